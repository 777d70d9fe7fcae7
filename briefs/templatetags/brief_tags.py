"""Template tags of the PDF brief."""

from urllib.parse import quote, urljoin

from django import template
from django.templatetags.static import PrefixNode

register = template.Library()


@register.simple_tag
def brief_static(path: str) -> str:
    """`{% brief_static "css/brief.css" %}`: the static file's plain URL, never a hashed one.

    The PDF renderer (briefs/pdf.py) reads static files from disk through the staticfiles
    finders, so it needs no manifest: `manage.py render_brief` and the worker render on a
    machine where `collectstatic` never ran, with DEBUG off as in production. (`{% static %}`
    would ask the manifest storage for a hashed name and fail there.)
    """
    return urljoin(PrefixNode.handle_simple("STATIC_URL"), quote(path))
