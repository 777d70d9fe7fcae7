"""Invitation links are passwords: 256 random bits, only their sha256 is stored.

A token is compared by looking its hash up (a unique index), so timing says nothing
about a stored token. Failed look-ups are counted per client address in the cache;
over the limit, every look-up from that address is refused until the window ends.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache

TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128
THROTTLE_KEY = "partner-link-failures:{}"


def new_token() -> str:
    """A fresh URL-safe token (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded header is the client's to forge. Behind a proxy the
    # operator sets the real address in the proxy (as axes does for logins).
    return request.META.get("REMOTE_ADDR") or "unknown"


def is_throttled(request) -> bool:
    count = cache.get(THROTTLE_KEY.format(client_address(request)), 0)
    return count >= settings.PARTNER_LINK_FAILURE_LIMIT


def record_failure(request) -> None:
    key = THROTTLE_KEY.format(client_address(request))
    window = settings.PARTNER_LINK_FAILURE_WINDOW_SECONDS
    if cache.add(key, 1, timeout=window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
