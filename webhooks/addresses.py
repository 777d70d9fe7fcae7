"""Where a webhook may go: an `https://` URL whose host resolves only to public
addresses. Loopback, private, link-local, multicast, reserved and unspecified addresses
are refused (a webhook must not reach the machines behind our firewall, nor the cloud's
metadata service), unless `allow_private` is given, for tests and local development,
which also lets plain `http://` through. Pure: no Django; the messages are in English
and the callers say them in the user's words."""

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURL(ValueError):
    """Why a URL is refused; `reason` is one of the REASONS' keys."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail


NOT_HTTPS, NO_HOST, UNKNOWN_HOST, PRIVATE = "not_https", "no_host", "unknown_host", "private"


def is_public(address: str) -> bool:
    """True for an IP address anyone on the internet could reach (IPv4 or IPv6; an
    IPv4-mapped IPv6 address is judged as the IPv4 address it maps)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (a literal IP resolves to itself)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL(UNKNOWN_HOST, host) from exc
    return sorted({info[4][0] for info in found})


def check_url(url: str, *, allow_private: bool = False) -> list[str]:
    """Raise UnsafeURL unless `url` may receive webhooks; return the addresses its host
    resolves to. Every address must be public: one private answer among public ones is
    refused too (a host can choose which one a client uses)."""
    parts = urlsplit(url)
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme.lower() not in allowed:
        raise UnsafeURL(NOT_HTTPS, parts.scheme)
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:  # a port out of range or not a number
        raise UnsafeURL(NO_HOST, url) from exc
    if not host:
        raise UnsafeURL(NO_HOST, url)
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    found = resolve(host, port)
    if not allow_private:
        private = [address for address in found if not is_public(address)]
        if private:
            raise UnsafeURL(PRIVATE, ", ".join(private))
    return found
