"""Whole public pages for visitors without a session, kept in the shared cache under one content version.

Every stored page's key contains the current *content version*, a random token kept
in the same cache (Redis in production, so every worker and every host reads the
same one). Any change to public content replaces the token (pagecache/signals.py),
so every page stored before it is unreachable from the very next request, and
expires by itself. A random token rather than a counter: if the cache evicts the
version key, a new one can never bring old pages back.

What is stored is the answer the view gave an anonymous visitor, only when nothing
personal went into it: no cookie set (CSRF token, session, messages), no session
change, status 200, nothing marked private. It is stored compressed (gzip, made
once) and only so: nearly every browser accepts it, so a hit costs no compression
anywhere, Nginx passes it on as it is, and each hit reads less than half the bytes
of the page. The rare client that does not accept gzip gets it decompressed.
Compressing a page can reveal a secret in it to an attacker who adds text to it and
watches its size (BREACH); a stored page holds no secret, so it needs no padding.
"""

import gzip
import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language

CONTENT_VERSION_KEY = "pagecache:content-version"
# The layout of a stored page (`_stored_response`), in its key: after a release that changes it,
# pages stored by the one before are never read.
STORED_FORMAT = 3
HEADER = "X-Page-Cache"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def content_version():
    version = _cache().get(CONTENT_VERSION_KEY)
    if version is None:
        _cache().add(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = _cache().get(CONTENT_VERSION_KEY)
    return version


def bump_content_version():
    """Make every stored page unreachable (call it once the change is committed)."""
    _cache().set(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _has_personal_cookie(request):
    # The CSRF and language cookies do not change a page that shows no form; any other cookie
    # (session, flash messages, something unknown) may, so such a visitor gets a fresh page.
    shared = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return any(name not in shared for name in request.COOKIES)


def page_key(request, version, language):
    """One key per version, language, address (scheme, host, path and query) and page fragment request."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    fragment = request.META.get("HTTP_X_REQUESTED_WITH", "")[:20]
    return f"pagecache:page:{STORED_FORMAT}:{version}:{language}:{fragment}:{address}"


def _storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


class PageCacheMiddleware:
    """Answers the pages named in `PAGE_CACHE_URL_NAMES` from the cache to visitors without a session.

    It comes first in MIDDLEWARE but for the request id, so a stored page is answered
    before any other middleware and the URL resolver run: that is what makes a hit cheap.
    What they add to a page (security, CSP and Permissions-Policy headers, Vary, the
    language) is stored with it; only the request id is the request's own. Only pages of
    those views are ever stored (`process_view` says which), and only when the answer
    went out in the language the key names: the one the locale middleware chooses for
    the request, which is asked before the lookup. It sees every cookie the middleware
    below it sets (CSRF, session, messages), so none of them is ever stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.locale = LocaleMiddleware(get_response)

    def __call__(self, request):
        key = language = None
        if settings.PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD") and not _has_personal_cookie(request):
            self.locale.process_request(request)
            language = get_language()
            key = page_key(request, content_version(), language)
            stored = _cache().get(key)
            if stored is not None:
                return _stored_response(request, stored)
        request._page_cache_key = key
        response = self.get_response(request)
        if getattr(request, "_page_cache_view", False):
            response[HEADER] = "miss"
            patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
            if _storable(request, response) and response.get("Content-Language") == language:
                stored = (response.status_code, compress_string(response.content), dict(response.items()))
                _cache().set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._page_cache_view = (
            request._page_cache_key is not None and request.resolver_match.view_name in settings.PAGE_CACHE_URL_NAMES
        )


def _stored_response(request, stored):
    status, compressed, headers = stored
    if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(compressed, status=status, headers=headers)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), status=status, headers=headers)
    response["Content-Length"] = str(len(response.content))
    response[HEADER] = "hit"
    return response
