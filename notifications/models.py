"""What brings people to the work: in-app notifications, their e-mails, and each user's
choice of how to hear of each kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
# A title and body are written by the code around what people typed (names, comments).
USER_TEXT = {"Notification": ("title", "body")}
NOT_USER_TEXT = {"Notification": ("url", "key")}


class Kind(models.TextChoices):
    ASSESSOR_ASSIGNED = "assessor_assigned", _("You were made an assessor")
    ASSESSORS_ALL_SUBMITTED = "assessors_all_submitted", _("All assessors submitted")
    KNOCKOUT_OPENED = "knockout_opened", _("A knock-out finding opened")
    DECISION_CHANGED = "decision_changed", _("The decision changed")
    SIGNOFF_REQUESTED = "signoff_requested", _("Sign-off requested")
    SIGNOFF_GIVEN = "signoff_given", _("Sign-off given")
    SIGNOFF_REFUSED = "signoff_refused", _("Sign-off refused")
    BRIEF_READY = "brief_ready", _("A brief is ready")
    CONDITION_DUE = "condition_due", _("A condition you own is due soon")
    CONDITION_OVERDUE = "condition_overdue", _("A condition you own is overdue")
    REASSESSMENT_DUE = "reassessment_due", _("A reassessment is due")
    SIGNAL_OVERDUE = "signal_overdue", _("A sponsor signal is overdue")


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("E-mail immediately")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("No e-mail (in the app only)")


# What a user gets until they choose: what needs them now comes at once, the rest in
# the digest of the next morning.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.ASSESSOR_ASSIGNED: Delivery.IMMEDIATELY,
    Kind.ASSESSORS_ALL_SUBMITTED: Delivery.IMMEDIATELY,
    Kind.KNOCKOUT_OPENED: Delivery.IMMEDIATELY,
    Kind.DECISION_CHANGED: Delivery.IMMEDIATELY,
    Kind.SIGNOFF_REQUESTED: Delivery.IMMEDIATELY,
    Kind.SIGNOFF_GIVEN: Delivery.IMMEDIATELY,
    Kind.SIGNOFF_REFUSED: Delivery.IMMEDIATELY,
    Kind.BRIEF_READY: Delivery.IMMEDIATELY,
    Kind.CONDITION_DUE: Delivery.DIGEST,
    Kind.CONDITION_OVERDUE: Delivery.DIGEST,
    Kind.REASSESSMENT_DUE: Delivery.DIGEST,
    Kind.SIGNAL_OVERDUE: Delivery.DIGEST,
}


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    alliance = models.ForeignKey(
        Alliance, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, max_length=4000)
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # One notification per recipient and key: a reminder keyed by its thing and day exists
    # once, whatever the number of beats or workers. Empty for one-off events.
    key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="one_notification_per_recipient_and_key"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryPreference(models.Model):
    """A user's choice for one kind; no row means DEFAULT_DELIVERY."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_delivery_per_user_and_kind"),
        ]

    def __str__(self):
        return f"{self.user} — {self.kind}: {self.delivery}"
