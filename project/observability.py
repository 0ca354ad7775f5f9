"""What operators see: JSON log lines with a request id, mail to ADMINS on a 500, Sentry when configured.

Every log line is one JSON object (python-json-logger) with `time` in UTC ISO-8601,
`level`, `logger`, `message`, `request_id` and, for an exception, the traceback in
`exc_info`, so CloudWatch metric filters can match on fields and a multi-line
traceback stays one event. The request id comes from Nginx (`X-Request-ID`, its
`$request_id`) when it has a plausible form, or is made here; it is sent back on
the answer, so a visitor's report of an error page can be found in the logs.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished, request_started
from pythonjsonlogger.json import JsonFormatter

_request_id = contextvars.ContextVar("request_id", default="-")
_PLAUSIBLE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
HEADER = "X-Request-ID"


def _begin(sender, environ=None, **kwargs):
    # From request_started, before any middleware: Django logs a 4xx or 5xx ("Not Found: /x")
    # after the middleware chain has returned, and that line needs the id too.
    incoming = (environ or {}).get("HTTP_X_REQUEST_ID", "")
    _request_id.set(incoming if _PLAUSIBLE_ID.fullmatch(incoming) else uuid.uuid4().hex)


def _end(sender, **kwargs):
    _request_id.set("-")


request_started.connect(_begin, dispatch_uid="project.observability.request_id")
request_finished.connect(_end, dispatch_uid="project.observability.request_id")


class RequestIdMiddleware:
    """Sends the request's id back on the answer (X-Request-ID), so a visitor's report can be found in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response[HEADER] = _request_id.get()
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JsonLines(JsonFormatter):
    """One JSON object a line; `time` is UTC with its offset, whatever TIME_ZONE says."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__("%(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)


def init_sentry(dsn, *, environment, release=""):
    """Errors and unhandled exceptions to Sentry, with no personal data.

    `send_default_pii` is left at its default, off (sentry-sdk 2.75 deprecates setting it): no
    client address, cookie, user or request body is sent. Local variables stay out too, since a
    frame may hold a tip or a member's details.
    """
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
    )
