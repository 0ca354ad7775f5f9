"""Error pages: a database outage is a 503, anything else the site's 500 page; a refused form (CSRF) a 403."""

import sys

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .middleware import database_unavailable_response, is_database_error


def server_error(request, template_name="500.html"):
    _, error, _ = sys.exc_info()
    if is_database_error(error):
        return database_unavailable_response()
    # Like Django's own handler, without the request: whatever failed may fail again in a context processor.
    return HttpResponseServerError(loader.get_template(template_name).render({"site_title": settings.SITE_NAME}))


def csrf_failure(request, reason=""):
    """The refused-form page, drawn with the request like every other page, so the layout has its context."""
    return render(request, "403_csrf.html", status=403)
