"""What brings people to the work: in-app notifications, their e-mails, each user's
choice of how to hear of each kind, and every e-mail on its way (the one mail path)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from kit import mail

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
# A title and body are written by the code around what people typed (names, comments).
USER_TEXT = {
    "Notification": ("title", "body"),
    # An e-mail quotes names and texts people typed; the error is the mail server's answer,
    # which may quote the address a manager typed.
    "OutgoingMail": ("recipients", "subject", "body", "html", "last_error"),
}
NOT_USER_TEXT = {
    "Notification": ("url", "key"),
    "OutgoingMail": ("from_email", "purpose", "object_id"),
}


class Kind(models.TextChoices):
    ASSESSOR_ASSIGNED = "assessor_assigned", _("You were made an assessor")
    ASSESSORS_ALL_SUBMITTED = "assessors_all_submitted", _("All assessors submitted")
    KNOCKOUT_OPENED = "knockout_opened", _("A knock-out finding opened")
    DECISION_CHANGED = "decision_changed", _("The decision changed")
    SIGNOFF_REQUESTED = "signoff_requested", _("Sign-off requested")
    SIGNOFF_GIVEN = "signoff_given", _("Sign-off given")
    SIGNOFF_REFUSED = "signoff_refused", _("Sign-off refused")
    SIGNOFF_WITHDRAWN = "signoff_withdrawn", _("A sign-off request was withdrawn")
    BRIEF_READY = "brief_ready", _("A brief is ready")
    CONDITION_DUE = "condition_due", _("A condition you own is due soon")
    CONDITION_OVERDUE = "condition_overdue", _("A condition you own is overdue")
    REASSESSMENT_DUE = "reassessment_due", _("A reassessment is due")
    SIGNAL_OVERDUE = "signal_overdue", _("A sponsor signal is overdue")
    SPONSOR_ADDED = "sponsor_added", _("A person you work with was added to another alliance")
    PERSON_CHANGE_PROPOSED = "person_change_proposed", _("A change to a person was proposed")
    PERSON_CHANGE_DECIDED = "person_change_decided", _("Your proposed change was decided")


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
    Kind.SIGNOFF_WITHDRAWN: Delivery.IMMEDIATELY,
    Kind.BRIEF_READY: Delivery.IMMEDIATELY,
    Kind.CONDITION_DUE: Delivery.DIGEST,
    Kind.CONDITION_OVERDUE: Delivery.DIGEST,
    Kind.REASSESSMENT_DUE: Delivery.DIGEST,
    Kind.SIGNAL_OVERDUE: Delivery.DIGEST,
    Kind.SPONSOR_ADDED: Delivery.IMMEDIATELY,
    Kind.PERSON_CHANGE_PROPOSED: Delivery.IMMEDIATELY,
    Kind.PERSON_CHANGE_DECIDED: Delivery.DIGEST,
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


class OutgoingMail(models.Model):
    """One e-mail on the mail path (kit/mail.py): stored by `mail_queue` in the sender's
    transaction, delivered by the task `notifications.tasks.deliver_mail` with retries and
    backoff (notifications/worker.py). `purpose` and `object_id` say what it is about (a
    team invitation, a partner's link, a notification, a digest), so the sender's page can
    show its state."""

    class Status(models.TextChoices):
        QUEUED = mail.QUEUED, _("on its way")
        SENDING = mail.SENDING, _("being sent")
        SENT = mail.SENT, _("sent")
        RETRYING = mail.RETRYING, _("not delivered yet, retrying")
        FAILED = mail.FAILED, _("could not be delivered")

    class Problem(models.TextChoices):
        UNREACHABLE = "unreachable", _("The mail server could not be reached")
        TIMEOUT = "timeout", _("The mail server did not answer in time")
        DEFERRED = "deferred", _("The mail server refused it for now")
        REFUSED = "refused", _("The mail server refused it")
        OTHER = "other", _("The e-mail could not be sent")

    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html = models.TextField(blank=True)
    from_email = models.CharField(max_length=254, blank=True)  # empty: DEFAULT_FROM_EMAIL
    purpose = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    problem = models.CharField(max_length=20, choices=Problem.choices, blank=True)
    # The server's answer or the error's own words, without a trace.
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["purpose", "object_id"], name="mail_about"),
            models.Index(fields=["status", "created_at"], name="mail_status"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.recipients)} ({self.status})"
