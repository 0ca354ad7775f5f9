"""Rate limits on the forms anyone can post, keyed on the client's address.

`RATELIMITS` maps a URL name to a rate such as "10/h" (count per second, minute,
hour or day; "10/15m" is ten per fifteen minutes). Only POSTs count; a client
over its limit gets a friendly 429 page with a Retry-After header, and the view
never runs. Counters live in Django's default cache, which every Gunicorn worker
shares: files on the host by default (project/cache.py), Redis in production
(CACHE_URL), which every host shares.

The client's address is REMOTE_ADDR, unless the request came through a trusted
proxy (TRUSTED_PROXIES; Gunicorn on a unix socket, which only Nginx can reach,
has no REMOTE_ADDR at all). Nginx overwrites X-Forwarded-For with the address
it saw, so the right-most untrusted address in that header is the client.
"""

import ipaddress
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, text):
        match = _RATE.match(str(text))
        if not match:
            raise ImproperlyConfigured(f"Rate {text!r} is not like '10/h' or '5/15m'.")
        count, multiplier, unit = match.groups()
        period = int(multiplier or 1) * _UNITS[unit]
        if period <= 0:
            raise ImproperlyConfigured(f"Rate {text!r} has an empty period.")
        return cls(int(count), period)


def _address(value):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _is_trusted(address, trusted):
    return any(address in network for network in trusted)


def _trusted_networks():
    networks = []
    for entry in getattr(settings, "TRUSTED_PROXIES", ["127.0.0.1", "::1"]):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES entry {entry!r} is not an address or network") from error
    return networks


def client_ip(request):
    """The address of the client, trusting forwarding headers only from a trusted proxy."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    peer = _address(remote) if remote else None
    trusted = _trusted_networks()
    # No REMOTE_ADDR: Gunicorn on its unix socket, reachable only by Nginx.
    if peer is not None and not _is_trusted(peer, trusted):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break  # a made-up value: stop believing the header here
        if not _is_trusted(address, trusted):
            return str(address)
    real_ip = _address(request.META.get("HTTP_X_REAL_IP", ""))
    if real_ip is not None:
        return str(real_ip)
    return str(peer) if peer is not None else "unknown"


def configured_rates():
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return {}
    return {name: Rate.parse(rate) for name, rate in getattr(settings, "RATELIMITS", {}).items()}


def hit(name, key, rate, *, now=None):
    """Count one request for (`name`, `key`); return seconds to wait if it is over `rate`, else 0."""
    now = time.time() if now is None else now
    window = int(now // rate.period)
    cache_key = f"ratelimit:{name}:{key}:{rate.period}:{window}"
    try:
        cache = caches[getattr(settings, "RATELIMIT_CACHE", "default")]
        # add() and incr() are atomic on Redis (SET NX, INCR) and in project/cache.py (a file lock).
        cache.add(cache_key, 0, timeout=rate.period + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=rate.period + 1)
            count = 1
    except Exception:
        # A cache outage must not take the forms down with it: let the request through.
        logger.exception("Rate-limit cache unavailable; %s not counted", name)
        return 0
    if count > rate.limit:
        return max(1, int(rate.period - (now % rate.period)) + 1)
    return 0


def too_many_requests(request, retry_after):
    minutes = max(1, round(retry_after / 60))
    body = render_to_string("429.html", {"retry_after": retry_after, "retry_minutes": minutes}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """Applies `settings.RATELIMITS` to POSTs, by the URL name the request resolved to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        match = request.resolver_match
        name = getattr(match, "view_name", None)
        rates = configured_rates()
        if not name or name not in rates:
            return None
        address = client_ip(request)
        retry_after = hit(name, address, rates[name])
        if retry_after:
            logger.warning("Rate limit for %s reached by %s", name, address)
            return too_many_requests(request, retry_after)
        return None
