"""Response headers Django has no setting for, and a calm answer when the database is away."""

import logging

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)

DEFAULT_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), "
    "xr-spatial-tracking=(), interest-cohort=()"
)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header (`settings.PERMISSIONS_POLICY`) to every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


def database_unavailable_response():
    """A styled 503 made without the request: no session, no user, no database query."""
    try:
        name = getattr(settings, "SITE_NAME", "LostInNL")
        body = render_to_string("503.html", {"site_title": name, "site_name": name})
    except Exception:  # the page must never fail: a plain one will do
        logger.exception("Could not render 503.html")
        body = (
            '<!doctype html><html lang="en-CA"><head><meta charset="utf-8">'
            "<title>Temporarily unavailable</title></head>"
            "<body><h1>The registry is briefly unavailable</h1><p>Please try again in a minute. "
            "If someone is in danger, call 911.</p></body></html>"
        )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(getattr(settings, "DATABASE_UNAVAILABLE_RETRY_AFTER", 30))
    response["Cache-Control"] = "no-store"
    return response


def is_database_error(error):
    while error is not None:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
    return False


class DatabaseUnavailableMiddleware:
    """A view (or its template) that cannot reach the database answers 503, not 500.

    Errors raised outside a view (for instance while the session is saved) reach
    `project.errors.server_error`, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_error(exception):
            logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception)
            return database_unavailable_response()
        return None
