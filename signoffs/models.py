"""Executive sign-off: a manager asks team executives to sign off the current decision.

A request records the hash of the decision's evidence (signoffs/evidence.py) when it
was made; each executive's answer belongs to that request. When the evidence changes
the hash no longer matches and the sign-off is stale: it must be asked again. Rows are
never deleted; answers keep their history (simple-history).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliances.models import Alliance

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
# The rationale is the decision's reasons in words, as the executives were asked to sign them.
USER_TEXT = {"SignOffRequest": ("rationale", "message"), "SignOff": ("comment", "shown")}
NOT_USER_TEXT = {
    "SignOffRequest": ("evidence_sha256", "verdict"),
    "SignOff": ("evidence_sha256",),
}


class SignOffRequest(models.Model):
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="signoff_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    evidence_sha256 = models.CharField(max_length=64)
    verdict = models.CharField(max_length=30)
    rationale = models.TextField()
    message = models.TextField(_("message to the executives"), blank=True, max_length=2000)
    # Set when the evidence changed before every executive answered: the request leaves
    # their work and a manager must ask again.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        get_latest_by = ["requested_at", "pk"]

    def __str__(self):
        return f"Sign-off of {self.alliance} ({self.verdict}) on {self.requested_at:%Y-%m-%d}"


class SignOff(models.Model):
    """One executive's answer to a request."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        MORE = "more", _("Asks for more")

    request = models.ForeignKey(SignOffRequest, on_delete=models.CASCADE, related_name="signoffs")
    executive = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signoffs"
    )
    answer = models.CharField(max_length=20, choices=Answer.choices, default=Answer.PENDING)
    comment = models.TextField(blank=True, max_length=2000)
    answered_at = models.DateTimeField(null=True, blank=True)
    # What the answer was given on: the evidence's hash and the decision as the page
    # showed it (verdict, conditions with owners and status, scores with their dates).
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    shown = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "executive"], name="one_signoff_per_executive"
            )
        ]

    def __str__(self):
        return f"{self.executive} — {self.get_answer_display()}"

    @property
    def is_pending(self) -> bool:
        return self.answer == self.Answer.PENDING
