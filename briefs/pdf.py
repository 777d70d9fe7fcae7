"""The brief's PDF renderer: kit/pdf.py, HTML → PDF with WeasyPrint fetching nothing but
our own static files. It moved to kit so the response copies (assessments/copies.py),
below briefs in the layers, render their PDFs the same safe way; import it from here
inside the function that renders (briefs/worker.py), never at a web module's top."""

from kit.pdf import BASE_URL, RefusedURL, StaticOnlyFetcher, render_pdf

__all__ = ["BASE_URL", "RefusedURL", "StaticOnlyFetcher", "render_pdf"]
