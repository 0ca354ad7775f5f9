"""The server-error handler: a database outage is a 503, anything else Django's 500 page."""

import sys

from django.views.defaults import server_error as default_server_error

from .middleware import database_unavailable_response, is_database_error


def server_error(request, template_name="500.html"):
    _, error, _ = sys.exc_info()
    if is_database_error(error):
        return database_unavailable_response()
    return default_server_error(request, template_name=template_name)
