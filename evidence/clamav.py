"""clamd's INSTREAM command over TCP or a Unix socket (clamd(8), "INSTREAM").

Written here rather than taken from PyPI: the maintained client (clamav-client) is
GPL-2.0 and sends 1 kB chunks. The protocol is small: `zINSTREAM\\0`, then chunks each
prefixed by its length (4 bytes, big-endian), then a zero length; clamd answers one
NUL-terminated line, `stream: OK` or `stream: <signature> FOUND` (or `... ERROR`).
"""

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# Well under clamd's StreamMaxLength chunking limits; big enough to be quick.
CHUNK_BYTES = 64 * 1024


class ClamdUnavailable(OSError):
    """clamd could not be reached or broke off: worth another try later."""


class ClamdRefusedToScan(Exception):
    """clamd answered with an error about this stream (too big for its limits, say)."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str = ""  # what clamd found, when not clean


def address(url: str) -> tuple[int, str | tuple[str, int]]:
    """The socket family and address of `tcp://host:port` or `unix:///path`."""
    parts = urlsplit(url)
    if parts.scheme == "unix" and parts.path:
        return socket.AF_UNIX, parts.path
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        return socket.AF_INET, (parts.hostname, parts.port)
    raise ValueError(f"CLAMD_URL must be tcp://host:port or unix:///path, not {url!r}")


def scan_stream(url: str, chunks: Iterable[bytes], *, timeout: float) -> Verdict:
    """Send `chunks` to the clamd at `url` and return its verdict."""
    family, where = address(url)
    try:
        with socket.socket(family, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(where)
            conn.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK_BYTES):
                    part = chunk[start : start + CHUNK_BYTES]
                    conn.sendall(struct.pack("!L", len(part)) + part)
            conn.sendall(struct.pack("!L", 0))
            reply = _read_reply(conn)
    except OSError as exc:
        raise ClamdUnavailable(f"clamd at {url}: {exc}") from exc
    return parse_reply(reply)


def _read_reply(conn: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        part = conn.recv(4096)
        if not part:
            break
        data += part
    return data.rstrip(b"\0\n").decode("utf-8", "replace")


def parse_reply(reply: str) -> Verdict:
    """`stream: OK` → clean; `stream: X FOUND` → not clean, X; anything else raises."""
    _, _, result = reply.partition(": ")
    if result == "OK":
        return Verdict(clean=True)
    if result.endswith(" FOUND"):
        return Verdict(clean=False, signature=result.removesuffix(" FOUND"))
    if not reply:
        raise ClamdUnavailable("clamd closed the connection without a verdict")
    raise ClamdRefusedToScan(reply)


def ping(url: str, *, timeout: float = 2.0) -> bool:
    """Whether clamd answers PING with PONG (for start-up waits and health checks)."""
    family, where = address(url)
    try:
        with socket.socket(family, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(where)
            conn.sendall(b"zPING\0")
            return _read_reply(conn) == "PONG"
    except OSError:
        return False
