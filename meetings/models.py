"""Governance meetings of an alliance (steering committee, QBR, other) and the actions
agreed in them.

A meeting is planned with an agenda (proposed from what is open on the alliance,
meetings/agenda.py), then its minutes, decisions and actions are recorded. An action has
an owner, a due date and a status; it is followed up like the decision's conditions (My
work, the daily reminders), linked to the meeting it came from.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliances.models import Alliance
from sponsors.models import Sponsor

TEXT_MAX_LENGTH = 10000
LOCATION_MAX_LENGTH = 300
ACTION_MAX_LENGTH = 1000

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {
    "Meeting": ("location", "agenda", "minutes", "decisions_taken"),
    "ActionItem": ("description",),
}
NOT_USER_TEXT = {
    "Meeting": ("kind",),
    "ActionItem": ("status",),
}


class Meeting(models.Model):
    class Kind(models.TextChoices):
        STEERING_COMMITTEE = "steering_committee", _("Steering committee")
        QBR = "qbr", _("Quarterly business review")
        OTHER = "other", _("Other meeting")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("alliance")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(
        _("location or link"),
        max_length=LOCATION_MAX_LENGTH,
        blank=True,
        help_text=_("A room, an address or a video-call link."),
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=TEXT_MAX_LENGTH)
    minutes = models.TextField(_("minutes"), blank=True, max_length=TEXT_MAX_LENGTH)
    decisions_taken = models.TextField(_("decisions taken"), blank=True, max_length=TEXT_MAX_LENGTH)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    minutes_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("minutes recorded by"),
    )
    # Our side: team members (users). The partner's side: their named people (sponsors of
    # the partner organisation).
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("our attendees"),
    )
    partner_attendees = models.ManyToManyField(
        Sponsor,
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("partner attendees"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["alliance", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="meeting_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.alliance} on {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.alliance.slug, self.pk])

    @property
    def has_minutes(self) -> bool:
        return self.minutes_recorded_at is not None


class ActionItem(models.Model):
    """Something agreed in a meeting: who does it by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting")
    )
    description = models.TextField(_("action"), max_length=ACTION_MAX_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="meeting_actions_owned",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("done by"),
    )
    # When the daily job first found it overdue and told other systems (kit.events
    # ACTION_OVERDUE): once per action.
    overdue_announced_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.description[:60]

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.meeting.alliance.slug, self.meeting_id])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date < today
