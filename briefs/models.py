"""The executive brief: one frozen decision snapshot and the PDF rendered from it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliances.models import Alliance
from kit.texts import in_sentence

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
# An error's message may quote what people typed.
USER_TEXT = {"Brief": ("error",)}
# The snapshot is a frozen copy of the texts declared in the other apps.
NOT_USER_TEXT = {"Brief": ("language", "snapshot", "snapshot_sha256", "pdf_sha256")}


def claim_lease() -> timedelta:
    """How long a render may hold its claim: the hard time limit kills it before that."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


class Brief(models.Model):
    """An executive PDF brief of one frozen decision snapshot.

    The snapshot (JSON) holds everything the PDF shows, so a brief can be
    rendered again, by any worker, with the same result; one brief per
    alliance and snapshot, so asking twice returns the same brief. The PDF
    lives in private storage and is only served by a view that checks access.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="briefs", verbose_name=_("alliance")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language of the person who asked for it: the PDF is written in it."),
    )
    snapshot = models.JSONField(
        _("snapshot"), help_text=_("The decision and evidence the PDF shows, frozen.")
    )
    snapshot_sha256 = models.CharField(_("snapshot sha256"), max_length=64)
    pdf = models.FileField(_("pdf"), upload_to="briefs/", blank=True)
    pdf_sha256 = models.CharField(_("pdf sha256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    # Who asked, retried and when it was ready; the snapshot never changes, so it is
    # not copied into every history row.
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        # The table kept its name when the model moved out of `assessments`: existing
        # rows stay where they are.
        db_table = "assessments_brief"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "snapshot_sha256"], name="one_brief_per_snapshot"
            ),
        ]

    def __str__(self):
        return _("Brief of %(alliance)s (%(status)s)") % {
            "alliance": self.alliance,
            "status": in_sentence(self.get_status_display()),
        }

    def get_absolute_url(self):
        return reverse("briefs:detail", args=[self.alliance.slug, self.pk])

    @property
    def verdict(self) -> str:
        return self.snapshot.get("decision", {}).get("verdict", "")

    @property
    def is_settled(self) -> bool:
        """Ready or failed: nothing more will happen without a retry."""
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def download_name(self) -> str:
        return f"brief-{self.alliance.slug}-{self.created_at:%Y-%m-%d}.pdf"

    @property
    def is_stale(self) -> bool:
        """Rendering for longer than any render may last: its worker died."""
        return (
            self.status == self.Status.RENDERING
            and self.claimed_at is not None
            and self.claimed_at < timezone.now() - claim_lease()
        )


class BriefView(models.Model):
    """Who opened (read or downloaded) a brief, first time: My work lists ready briefs a
    team member has not opened yet."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brief_views"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brief", "user"], name="one_view_per_brief_and_user"),
        ]

    def __str__(self):
        return f"{self.user} opened {self.brief}"
