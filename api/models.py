"""Personal API tokens. Only a SHA-256 hash of each token is stored: the token itself
is shown once, when it is made, and cannot be read back (like a password)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_NAME_MAX = 100

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {"ApiToken": ("name",)}
NOT_USER_TEXT = {"ApiToken": ("prefix", "key_hash")}


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read")
        KPI_WRITE = "read+kpi_write", _("Read, and post KPI actuals")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=TOKEN_NAME_MAX, help_text=_("What it is for, e.g. “Power BI”.")
    )
    scope = models.CharField(
        _("scope"),
        max_length=20,
        choices=Scope.choices,
        default=Scope.READ,
        help_text=_("What the token may do: read, or read and post KPI actuals."),
    )
    # The first characters of the token, so its owner can tell tokens apart.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def writes_kpi_actuals(self) -> bool:
        return self.scope == self.Scope.KPI_WRITE
