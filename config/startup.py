"""Checks a serving process runs before it accepts work."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to serve without a SECRET_KEY (only DEBUG has a development default)."""
    try:
        settings.SECRET_KEY  # noqa: B018 - Django raises when it is empty
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured("Set SECRET_KEY (required when DEBUG is off).") from exc
