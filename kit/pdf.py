"""HTML → PDF with WeasyPrint, fetching nothing but our own static files.

A PDF quotes user text (an executive brief: alliance names, answer comments; a
response copy: every answer as given). Templates escape it, and as a second wall
WeasyPrint gets a URL fetcher that serves files found by Django's static finders
under one private base URL and refuses everything else: http(s) anywhere,
file://, data: — for the HTML and the CSS alike. Here in kit so every app renders
its PDFs the one safe way (briefs/pdf.py, assessments/copies.py). WeasyPrint is
imported here only, and callers import this module inside the function that
renders, so web processes that never render a PDF never pay its import cost.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.templatetags.static import PrefixNode
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in a PDF resolve against this host, which DNS never answers.
BASE_URL = "https://brief.alliance-readiness.invalid/"
_BASE = urlsplit(BASE_URL)


class RefusedURL(ValueError):
    """A document asked for something other than our static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `{% static %}` files; refuses and records every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise RefusedURL(f"Refused to fetch {url[:200]}: PDFs use only our static files.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    @staticmethod
    def _static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != (_BASE.scheme, _BASE.netloc):
            return None
        if parts.query or not parts.path.startswith(static_prefix):
            return None
        relative = unquote(parts.path[len(static_prefix) :])
        try:
            # Source files during development; collected (hashed) ones in production.
            found = finders.find(relative)
            if not found and staticfiles_storage.exists(relative):
                found = staticfiles_storage.path(relative)
        except (SuspiciousFileOperation, NotImplementedError):
            return None
        return Path(found) if found else None


def render_pdf(html: str) -> tuple[bytes, list[str]]:
    """The PDF of `html`, and the URLs that were refused while rendering it."""
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(), fetcher.refused


def static_url(path: str) -> str:
    """A static file's plain URL (never a hashed one) for a PDF's template: the fetcher
    reads it from disk through the staticfiles finders, no manifest needed."""
    return urljoin(PrefixNode.handle_simple("STATIC_URL"), quote(path))
