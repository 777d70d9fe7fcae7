"""The decision as last told to each alliance's team. The table keeps the name it had in
`assessments`, where the model lived first."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliances.models import Alliance
from kit.texts import say

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {
    # The decision's reasons, in words that quote findings and names.
    "DecisionRecord": ("rationale", "inputs", "robustness"),
    # The condition quotes question texts, names and dimensions; the note is typed.
    "TrackedCondition": ("text", "note", "evidence_url", "words"),
}
NOT_USER_TEXT = {
    "DecisionRecord": ("verdict",),
    "TrackedCondition": ("key", "source", "status"),
}


class DecisionRecord(models.Model):
    """The decision of an alliance as last told to its team: when a recheck finds another
    verdict, the team hears "from X to Y because …" and this record moves on.

    Every recheck (each write to what the decision reads, and the daily job) also stores
    what the rules read and the verdict's robustness, so that pages, the brief and the
    API read them instead of querying and sampling again. The rules' own texts are made
    from `inputs` in the reader's language; `computed_on` dates them, because overdue
    evidence and sponsor health move with the calendar: a record of an earlier day is
    not read (the daily job renews it)."""

    alliance = models.OneToOneField(
        Alliance, on_delete=models.CASCADE, related_name="decision_record"
    )
    verdict = models.CharField(max_length=30)
    rationale = models.TextField(blank=True)
    changed_at = models.DateTimeField()
    inputs = models.JSONField(null=True, blank=True, editable=False)
    robustness = models.JSONField(null=True, blank=True, editable=False)
    computed_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "assessments_decisionrecord"

    def __str__(self):
        return f"{self.alliance}: {self.verdict}"


class TrackedCondition(models.Model):
    """A condition of the decision that no finding carries (a gap to close, a sponsor to
    name, a perception gap to agree on), followed up to closure. `key` names its cause
    (rules.Condition.key), so the same cause is the same condition at every recheck:
    when the cause disappears the system closes it, when it comes back it reopens."""

    class Source(models.TextChoices):
        GAP = "gap", _("Gap")
        SPONSOR = "sponsor", _("Sponsor")
        PERCEPTION = "perception", _("Perception gap")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "done", _("Met")
        WAIVED = "waived", _("Waived")
        CLOSED = "closed", _("Closed: its cause is gone")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="tracked_conditions"
    )
    key = models.CharField(max_length=300)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    text = models.TextField(_("condition"))
    # The text as words to say again in each reader's language (rules.Condition.words).
    words = models.JSONField(default=dict, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracked_conditions_owned",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=500)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "key"], name="one_condition_per_cause")
        ]

    def __str__(self):
        return f"{self.alliance}: {self.text[:60]}"

    @property
    def shown_text(self) -> str:
        """The condition in the reader's language; as stored when it was kept without
        its words (before they were kept, or words no longer understood)."""
        try:
            return say(self.words) if self.words else self.text
        except (KeyError, TypeError, ValueError):
            return self.text

    @property
    def is_active(self) -> bool:
        """Still to be followed up (neither met, waived nor closed)."""
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    def is_overdue(self, today) -> bool:
        return self.is_active and self.due_date is not None and self.due_date < today
