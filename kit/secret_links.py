"""Links and keys that are passwords: team invitations, partner links, API tokens.

A secret is 256 random bits, shown once (in the e-mail or on the page) and stored only
as its sha256, so a stolen database opens nothing. It is found by looking its hash up
(a unique index), so timing says nothing about a stored secret. A link expires; failed
look-ups of a kind of link can be counted per client address in the cache (a
`Throttle`), and over the limit every look-up from that address is refused until the
window ends.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

SECRET_BYTES = 32  # 256 bits
# Longer than any secret we make: a longer one is no secret of ours, and is not hashed.
SECRET_MAX_LENGTH = 200


def new_secret(prefix: str = "") -> str:
    """A fresh URL-safe secret (43 characters after `prefix`)."""
    return prefix + secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    """The sha256 (hex) stored in place of `secret`; a secret longer than any we make is
    cut first, so a megabyte of path costs nothing."""
    return hashlib.sha256(secret[:SECRET_MAX_LENGTH].encode("utf-8", "surrogatepass")).hexdigest()


def expiry(days: int) -> datetime:
    """When a link made now stops working."""
    return timezone.now() + timedelta(days=days)


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded header is the client's to forge. Behind a proxy the
    # operator sets the real address in the proxy (as axes does for logins).
    return request.META.get("REMOTE_ADDR") or "unknown"


@dataclass(frozen=True)
class Throttle:
    """At most as many failed look-ups of a kind of link per client address as the setting
    `limit_setting` says, within `window_setting` seconds (read when counting, so an
    operator's value applies; counted in the shared cache, so every web process agrees)."""

    kind: str
    limit_setting: str
    window_setting: str

    def _key(self, request) -> str:
        return f"{self.kind}-failures:{client_address(request)}"

    def is_over(self, request) -> bool:
        return cache.get(self._key(request), 0) >= getattr(settings, self.limit_setting)

    def record_failure(self, request) -> None:
        count_in_window(self._key(request), window=getattr(settings, self.window_setting))


def count_in_window(key: str, *, window: int) -> int:
    """Add one to the count under `key` in the shared cache (every web process agrees),
    which starts at 1 and ends `window` seconds after its first count; returns it."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1
