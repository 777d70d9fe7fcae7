"""A person's private calendar feed: the address is a secret, of which only the SHA-256
is stored (kit/secret_links.py). One feed per person; rotating it gives a new address
and the old one stops working, revoking it deletes the row."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT: dict[str, tuple[str, ...]] = {}
NOT_USER_TEXT = {"CalendarFeed": ("token_hash",)}


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # When the address last changed (made or rotated): it was shown once, then.
    address_since = models.DateTimeField(_("address since"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"Calendar feed of {self.user}"
