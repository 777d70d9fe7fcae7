"""Outgoing webhooks: the endpoints a superuser registers (where, which events, which
alliances), and one delivery per event and endpoint with what happened to it.

A delivery's payload holds ids and plain facts (kit/events.py), never text people typed;
its `webhook_id` is the Standard Webhooks message id, the same for every retry and replay
of the message, so a receiver can tell a repeat from a new event.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kit import events

URL_MAX = 500
ERROR_MAX = 500

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {"Endpoint": ("url", "description")}
NOT_USER_TEXT = {
    "Endpoint": ("events", "secret"),
    "Delivery": ("webhook_id", "payload", "last_error"),
}

# The events a superuser picks from, in the words of the people who use them.
EVENT_LABELS = {
    events.DECISION_CHANGED: _("The decision changed"),
    events.SIGNOFF_GIVEN: _("Sign-off given"),
    events.SIGNOFF_REFUSED: _("Sign-off refused"),
    events.CONDITION_OVERDUE: _("A condition is overdue"),
    events.ACTION_OVERDUE: _("A meeting action is overdue"),
    events.BRIEF_READY: _("A brief is ready"),
    events.PARTNER_SUBMITTED: _("The partner submitted their answers"),
    events.MINUTES_RECORDED: _("Meeting minutes recorded"),
}
EVENT_CHOICES = [(code, EVENT_LABELS[code]) for code in events.EVENT_TYPES]


class Endpoint(models.Model):
    class Scope(models.TextChoices):
        ALL = "all", _("Every alliance that is not confidential")
        LISTED = "listed", _("Only the alliances listed")

    url = models.URLField(_("URL"), max_length=URL_MAX)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # The wire names of the events it receives (kit.events.EVENT_TYPES).
    events = models.JSONField(_("events"), default=list)
    scope = models.CharField(_("alliances"), max_length=10, choices=Scope, default=Scope.ALL)
    alliances = models.ManyToManyField(
        "alliances.Alliance", blank=True, related_name="webhook_endpoints"
    )
    # "whsec_" + base64 of the key (webhooks/signing.py); shown to superusers, who give it
    # to the receiver, so it is stored as it is (it signs, it cannot be a hash).
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["url", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("webhooks:detail", args=[self.pk])

    def event_labels(self) -> list[str]:
        return [str(EVENT_LABELS[code]) for code in events.EVENT_TYPES if code in self.events]


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40, choices=EVENT_CHOICES)
    webhook_id = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=ERROR_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # A worker's claim on the delivery while it sends (two tasks never send it at once).
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"

    @property
    def event_label(self) -> str:
        return str(EVENT_LABELS.get(self.event_type, self.event_type))
