"""The server-error handler: a database outage is a 503, anything else the site's 500 page."""

import sys

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader

from .middleware import database_unavailable_response, is_database_error


def server_error(request, template_name="500.html"):
    _, error, _ = sys.exc_info()
    if is_database_error(error):
        return database_unavailable_response()
    # Like Django's own handler, without the request: whatever failed may fail again in a context processor.
    return HttpResponseServerError(loader.get_template(template_name).render({"site_title": settings.SITE_NAME}))
