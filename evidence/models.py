"""Evidence files: the bytes people attach to an answer, a finding, a condition or a
sponsor signal, kept in private storage and served only through an access-checked view."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliances.models import Alliance

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {"EvidenceFile": ("name",)}
# Detected from the bytes, hashed, or said by clamd (a signature name from its database).
NOT_USER_TEXT = {"EvidenceFile": ("sha256", "content_type", "scan_result")}


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    """`evidence/<alliance id>/<random>`: the name people gave never reaches storage."""
    return f"evidence/{instance.alliance_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """One attached file. Its target is any registered thing of the alliance (a generic
    relation: evidence sits below the apps that own those things). Deleting only marks
    it deleted, so its history (who attached what, when, its sha256) stays."""

    class State(models.TextChoices):
        SCANNING = "scanning", _("Being scanned")
        CLEAN = "clean", _("Clean")
        REFUSED = "refused", _("Refused by the virus scanner")
        NOT_SCANNED = "not_scanned", _("Not scanned")

    # The states whose bytes may be downloaded.
    SERVED = (State.CLEAN, State.NOT_SCANNED)

    alliance = models.ForeignKey(
        Alliance,
        on_delete=models.CASCADE,
        related_name="evidence_files",
        verbose_name=_("alliance"),
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("attached to")
    )
    target_id = models.PositiveBigIntegerField(_("target id"))
    target = GenericForeignKey("target_type", "target_id")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    scan_result = models.CharField(_("scan result"), max_length=200, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="evidence_target")]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name

    @property
    def is_served(self) -> bool:
        """Downloadable: not deleted, and clean or (without a scanner) not scanned."""
        return self.deleted_at is None and self.state in self.SERVED and bool(self.file)
