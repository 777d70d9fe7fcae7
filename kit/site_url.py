"""Absolute links (in e-mails, on a page to copy) that point where users reach the site.

`SITE_URL`, when set, wins: production names its public address there. When it is
empty (the default), a link follows the server's own address: built from the current
request (`request.build_absolute_uri`) while one is being served, so `make run
PORT=8001` mails links to port 8001. A worker has no request: it uses the origin of the
last request a signed-in user made (kept in the shared cache by `RememberOrigin`), or
http://127.0.0.1:8000 when no request was seen yet. The host of a request is checked
against `ALLOWED_HOSTS` by Django before anything here reads it.
"""

import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

FALLBACK_ORIGIN = "http://127.0.0.1:8000"
CACHE_KEY = "site-url:last-origin"
CACHE_SECONDS = 30 * 24 * 60 * 60
REWRITE_SECONDS = 600  # a process writes the same origin again at most this often

_current_request: ContextVar = ContextVar("site_url_request", default=None)
_remembered: dict[str, tuple[str, float]] = {}  # this process's last write: spares the cache


def request_origin(request) -> str:
    """scheme://host[:port] of a request (its Host header, validated by Django)."""
    return request.build_absolute_uri("/").rstrip("/")


def site_origin(request=None) -> str:
    """Where users reach the site, without a trailing slash."""
    configured = (settings.SITE_URL or "").strip().rstrip("/")
    if configured:
        return configured
    request = request or _current_request.get()
    if request is not None:
        return request_origin(request)
    return cache.get(CACHE_KEY) or FALLBACK_ORIGIN


def absolute_url(path: str, request=None) -> str:
    """`path` (from `reverse`, starting with "/") as a full link."""
    return site_origin(request) + path


def remember_origin(request) -> None:
    """Keep the request's origin for workers: written when it changed, or every few
    minutes (another process may have written another), never read on a request."""
    origin = request_origin(request)
    now = time.monotonic()
    last = _remembered.get(CACHE_KEY)
    if last is None or last[0] != origin or now - last[1] > REWRITE_SECONDS:
        cache.set(CACHE_KEY, origin, CACHE_SECONDS)
        _remembered[CACHE_KEY] = (origin, now)


class RememberOrigin:
    """Middleware: links built while a request is served follow its address, and a
    signed-in user's request leaves its origin for the workers (after authentication:
    an anonymous caller cannot choose where the e-mails of others point)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                remember_origin(request)
            return self.get_response(request)
        finally:
            _current_request.reset(token)
