"""Executive sponsors on both sides of an alliance, and the evidence of their engagement.

The rules that involve other rows (one active executive sponsor per side, a
sponsor from the right organisation, an allocation after its request) live in
each model's `clean()`, so the services and the Django admin enforce the same
ones. `sponsors/services.py` wraps them in a transaction.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from alliances.models import Alliance, Organisation
from kit.texts import in_sentence
from sponsors import health, matching

AGENDA_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000
MOTIVE_MAX_LENGTH = 300
MAX_INTERESTS = 20
INTEREST_MAX_LENGTH = 60
PROPOSAL_NOTE_MAX_LENGTH = 300

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {
    "Sponsor": ("name", "title", "business_unit"),
    "Sponsorship": (
        "motive_corporate",
        "motive_departmental",
        "motive_personal",
        "personal_agenda",
        "notes",
    ),
    "Signal": ("where", "note", "link"),
    "PeerLink": ("note",),
    "SponsorChangeProposal": ("name", "title", "business_unit", "interests", "note"),
    # A sponsor's interests.
    "taggit.Tag": ("name",),
}
NOT_USER_TEXT = {"taggit.Tag": ("slug",)}


class Sponsor(models.Model):
    """A person who backs (or could back) alliances, on our side or a partner's."""

    class Seniority(models.TextChoices):
        # The values are sponsors/matching.py's, which scores them.
        BOARD = matching.BOARD, _("Board")
        C_SUITE = matching.C_SUITE, _("C-suite")
        REPORTS_TO_C_SUITE = matching.REPORTS_TO_C_SUITE, _("Reports to the C-suite")
        BU_HEAD = matching.BU_HEAD, _("Business-unit head")
        OTHER = matching.OTHER, _("Other")

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sponsors",
        verbose_name=_("organisation"),
    )
    seniority = models.CharField(_("seniority"), max_length=30, choices=Seniority.choices)
    business_unit = models.CharField(_("business unit"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsor_profile",
        help_text=_("For our own executives: their account here, so they see their sponsorships."),
        verbose_name=_("user"),
    )
    interests = TaggableManager(
        blank=True,
        help_text=_("Interests, comma-separated (e.g. sailing, Porsche 911 GT3 track days)."),
        verbose_name=_("interests"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                F("organisation"), Lower("name"), name="sponsor_name_unique_per_org"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.title})" if self.title else self.name

    def get_absolute_url(self):
        return reverse("sponsors:profile", args=[self.pk])

    def clean(self):
        duplicate = (
            Sponsor.objects.filter(organisation_id=self.organisation_id, name__iexact=self.name)
            .exclude(pk=self.pk)
            .exists()
        )
        if self.organisation_id and duplicate:
            raise ValidationError(
                {"name": _("This organisation already has a sponsor of that name.")}
            )


class SponsorChangeProposal(models.Model):
    """A change to a person's shared details (name, title, seniority, business unit,
    interests) proposed by someone who may not make it: the details show on every
    alliance the person sponsors, so only the person, a superuser or whoever manages all
    of those alliances changes them (sponsors/access.py). It holds the whole proposed
    record; accepting applies it as it stands (the decider sees the difference from now)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    sponsor = models.ForeignKey(
        Sponsor,
        on_delete=models.CASCADE,
        related_name="change_proposals",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    seniority = models.CharField(_("seniority"), max_length=30, choices=Sponsor.Seniority.choices)
    business_unit = models.CharField(_("business unit"), max_length=200, blank=True)
    # Normalised interest tags (services.clean_interests), comma-separated.
    interests = models.CharField(_("interests"), max_length=1500, blank=True)
    note = models.CharField(
        _("why"), max_length=PROPOSAL_NOTE_MAX_LENGTH, blank=True, help_text=_("Optional.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sponsor", "state"])]

    def __str__(self):
        return f"{self.sponsor.name}: {self.get_state_display()}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def interest_list(self) -> list[str]:
        return [tag.strip() for tag in self.interests.split(",") if tag.strip()]

    def changes(self) -> list[tuple[str, str, str]]:
        """(field label, now, proposed) for each detail that differs from the person's now."""
        sponsor = self.sponsor
        pairs = [
            (_("Name"), sponsor.name, self.name),
            (_("Title"), sponsor.title, self.title),
            (_("Seniority"), sponsor.get_seniority_display(), self.get_seniority_display()),
            (_("Business unit"), sponsor.business_unit, self.business_unit),
        ]
        current = sorted(tag.name for tag in sponsor.interests.all())
        if sorted(self.interest_list) != current:
            pairs.append((_("Interests"), ", ".join(current), ", ".join(self.interest_list)))
        return [(str(label), str(now), str(new)) for label, now, new in pairs if now != new]


class SponsorshipQuerySet(models.QuerySet):
    def active(self, today=None):
        """Not ended yet: no end date, or an end date today or later."""
        today = today or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=today))


class Sponsorship(models.Model):
    """One person backing one alliance, on one side, in one role, for a period, with
    what this alliance's team knows of their motives and agenda."""

    class Side(models.TextChoices):
        OURS = "ours", _("Our side")
        PARTNER = "partner", _("Partner side")

    class Role(models.TextChoices):
        EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
        CHAMPION = "champion", _("Champion")
        ESCALATION_POINT = "escalation_point", _("Escalation point")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="sponsorships", verbose_name=_("alliance")
    )
    sponsor = models.ForeignKey(
        Sponsor, on_delete=models.PROTECT, related_name="sponsorships", verbose_name=_("sponsor")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    motive_corporate = models.CharField(
        _("corporate motive"),
        max_length=MOTIVE_MAX_LENGTH,
        blank=True,
        help_text=_("What the company gains (e.g. a strategic objective this serves)."),
    )
    motive_departmental = models.CharField(
        _("departmental motive"),
        max_length=MOTIVE_MAX_LENGTH,
        blank=True,
        help_text=_("What their department or business unit gains."),
    )
    motive_personal = models.CharField(
        _("personal motive"),
        max_length=MOTIVE_MAX_LENGTH,
        blank=True,
        help_text=_("What they gain personally. Sensitive, like the personal agenda."),
    )
    # Sensitive and kept per alliance: what one team recorded about a person never
    # reaches the managers of their other alliances.
    personal_agenda = models.TextField(
        _("personal agenda"),
        blank=True,
        max_length=AGENDA_MAX_LENGTH,
        help_text=_(
            "What they want for themselves (career, visibility). Sensitive: only this "
            "alliance's managers and the person themself see it."
        ),
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Sensitive, like the personal agenda."),
    )
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty while it lasts.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SponsorshipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "side", "role", "-since"]
        constraints = [
            # The full rule (periods must not overlap) is in clean(); the database
            # guarantees at least that two open-ended ones never coexist.
            models.UniqueConstraint(
                fields=["alliance", "side"],
                condition=Q(role="executive_sponsor", until__isnull=True),
                name="one_open_executive_sponsor_per_side",
            ),
            models.UniqueConstraint(
                fields=["alliance", "sponsor"],
                condition=Q(until__isnull=True),
                name="one_open_sponsorship_per_sponsor",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="sponsorship_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["sponsor", "until"])]

    def __str__(self):
        return f"{self.sponsor.name} — {self.get_role_display()} of {self.alliance}"

    def get_absolute_url(self):
        return reverse("sponsors:alliance", args=[self.alliance.slug])

    @property
    def is_active(self) -> bool:
        return self.until is None or self.until >= timezone.localdate()

    @property
    def is_executive(self) -> bool:
        return self.role == self.Role.EXECUTIVE_SPONSOR

    def clean(self):
        errors = {}
        if self.personal_agenda and len(self.personal_agenda) > AGENDA_MAX_LENGTH:
            errors["personal_agenda"] = _("Keep the agenda under %(max)d characters.") % {
                "max": AGENDA_MAX_LENGTH
            }
        if self.notes and len(self.notes) > NOTE_MAX_LENGTH:
            errors["notes"] = _("Keep the notes under %(max)d characters.") % {
                "max": NOTE_MAX_LENGTH
            }
        if self.until and self.since and self.until < self.since:
            errors["until"] = _("The end date cannot be before the start date.")
        if self.alliance_id and self.sponsor_id and self.side:
            errors.update(self._organisation_errors())
            if not errors:
                errors.update(self._overlap_errors())
        if errors:
            raise ValidationError(errors)

    def _organisation_errors(self) -> dict:
        sponsor, alliance = self.sponsor, self.alliance
        if self.side == self.Side.OURS and not sponsor.organisation.is_own:
            return {
                "sponsor": _(
                    "%(name)s works for %(organisation)s, not for us: "
                    "only our own people can sponsor on our side."
                )
                % {"name": sponsor.name, "organisation": sponsor.organisation}
            }
        if self.side == self.Side.PARTNER and sponsor.organisation_id != alliance.partner_id:
            return {
                "sponsor": _(
                    "%(name)s works for %(organisation)s, not for this "
                    "alliance's partner %(partner)s."
                )
                % {
                    "name": sponsor.name,
                    "organisation": sponsor.organisation,
                    "partner": alliance.partner,
                }
            }
        return {}

    def _overlapping(self):
        """Sponsorships of the same alliance whose period overlaps this one's."""
        others = Sponsorship.objects.filter(alliance_id=self.alliance_id).exclude(pk=self.pk)
        others = others.filter(Q(until__isnull=True) | Q(until__gte=self.since))
        if self.until:
            others = others.filter(since__lte=self.until)
        return others.select_related("sponsor")

    def _overlap_errors(self) -> dict:
        overlapping = self._overlapping()
        same_person = overlapping.filter(sponsor_id=self.sponsor_id).first()
        if same_person:
            return {
                "sponsor": _("%(name)s already sponsors this alliance (%(role)s since %(date)s).")
                % {
                    "name": same_person.sponsor.name,
                    "role": in_sentence(same_person.get_role_display()),
                    "date": date_format(same_person.since, "SHORT_DATE_FORMAT"),
                }
            }
        if self.role == self.Role.EXECUTIVE_SPONSOR:
            rival = overlapping.filter(side=self.side, role=self.role).first()
            if rival:
                side = in_sentence(self.get_side_display())
                return {
                    "role": _(
                        "%(name)s is already the executive sponsor on %(side)s "
                        "for that period: end their sponsorship first, or choose another role."
                    )
                    % {"name": rival.sponsor.name, "side": side}
                }
        return {}


class Signal(models.Model):
    """Evidence that a sponsor is (or is not) engaged: what happened, when."""

    class Kind(models.TextChoices):
        RESOURCES_REQUESTED = health.RESOURCES_REQUESTED, _("Resources requested")
        RESOURCES_ALLOCATED = health.RESOURCES_ALLOCATED, _("Resources allocated")
        KPI_REVIEW = health.KPI_REVIEW, _("KPI review")
        ADVOCACY = health.ADVOCACY, _("Advocacy")
        MEETING = health.MEETING, _("Meeting")
        ESCALATION_RAISED = health.ESCALATION_RAISED, _("Escalation raised")
        ESCALATION_RESOLVED = health.ESCALATION_RESOLVED, _("Escalation resolved")
        SENIOR_PRESENCE = health.SENIOR_PRESENCE, _("Senior presence")

    class MeetingWith(models.TextChoices):
        COUNTERPART = "counterpart", _("Their counterpart")
        TEAM = "team", _("The alliance team")

    # Which kind answers which: an allocation answers a request, a resolution an escalation.
    ANSWERS = {
        Kind.RESOURCES_ALLOCATED: Kind.RESOURCES_REQUESTED,
        Kind.ESCALATION_RESOLVED: Kind.ESCALATION_RAISED,
    }

    sponsorship = models.ForeignKey(
        Sponsorship, on_delete=models.CASCADE, related_name="signals", verbose_name=_("sponsorship")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    responds_to = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        # Deleting a request with an allocation is refused (the delay would be lost),
        # unless the whole sponsorship goes.
        on_delete=models.RESTRICT,
        related_name="response",
        verbose_name=_("answers"),
        error_messages={"unique": _("That request or escalation has already been answered.")},
        help_text=_("For an allocation: the request it answers; for a resolution: the escalation."),
    )
    meeting_with = models.CharField(
        _("meeting with"),
        max_length=20,
        choices=MeetingWith.choices,
        blank=True,
        help_text=_("For meetings."),
    )
    where = models.CharField(
        _("where"),
        max_length=200,
        blank=True,
        help_text=_("For advocacy: where they promoted the alliance."),
    )
    note = models.TextField(_("note"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["sponsorship", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%d %b %Y}"

    @property
    def delay_days(self) -> int | None:
        """Days from the signal this one answers to this one (e.g. request → allocation)."""
        if self.responds_to_id is None:
            return None
        return (self.date - self.responds_to.date).days

    def clean(self):
        errors = {}
        if self.note and len(self.note) > NOTE_MAX_LENGTH:
            errors["note"] = _("Keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("A signal records what happened: it cannot be dated in the future.")
        if self.kind == self.Kind.MEETING and not self.meeting_with:
            errors["meeting_with"] = _("Say whom the meeting was with.")
        if self.kind != self.Kind.MEETING:
            self.meeting_with = ""
        if self.kind == self.Kind.ADVOCACY and not self.where.strip():
            errors["where"] = _("Say where they promoted the alliance.")
        if self.sponsorship_id and self.date and "date" not in errors:
            errors.update(self._period_errors())
        errors.update(self._answer_errors())
        if errors:
            raise ValidationError(errors)

    # Set (not stored) when the person recording asked to move the sponsorship's start
    # back to this signal's date: `services.signal_record` moves it in the same transaction.
    moves_since_back = False

    def _period_errors(self) -> dict:
        sponsorship = self.sponsorship
        today = timezone.localdate()
        if self._state.adding and sponsorship.until and sponsorship.until < today:
            return {
                "sponsorship": _(
                    "This sponsorship ended on %(date)s: signals can no longer be recorded on it."
                )
                % {"date": date_format(sponsorship.until, "SHORT_DATE_FORMAT")}
            }
        if self.date < sponsorship.since and not self.moves_since_back:
            return {
                "date": _(
                    "The sponsorship started on %(date)s: a signal cannot be dated before that."
                )
                % {"date": date_format(sponsorship.since, "SHORT_DATE_FORMAT")}
            }
        if sponsorship.until and self.date > sponsorship.until:
            return {
                "date": _("The sponsorship ended on %(date)s.")
                % {"date": date_format(sponsorship.until, "SHORT_DATE_FORMAT")}
            }
        return {}

    def _answer_errors(self) -> dict:
        expected = self.ANSWERS.get(self.kind)
        answered = self.responds_to if self.responds_to_id else None
        if expected is None:
            if answered is not None:
                return {
                    "responds_to": _("Only allocations and resolutions answer an earlier signal.")
                }
            return self._answered_errors()
        is_request = expected == self.Kind.RESOURCES_REQUESTED
        if answered is None:
            return {
                "responds_to": _("Choose the request this answers.")
                if is_request
                else _("Choose the escalation this answers.")
            }
        if answered.kind != expected or answered.sponsorship_id != self.sponsorship_id:
            return {
                "responds_to": _("Choose a request of the same sponsorship.")
                if is_request
                else _("Choose an escalation of the same sponsorship.")
            }
        if self.date and self.date < answered.date:
            dates = {
                "date": date_format(self.date, "SHORT_DATE_FORMAT"),
                "answered": date_format(answered.date, "SHORT_DATE_FORMAT"),
            }
            return {
                "date": (
                    _(
                        "The allocation (%(date)s) cannot be dated before the "
                        "request it answers (%(answered)s)."
                    )
                    if is_request
                    else _(
                        "The resolution (%(date)s) cannot be dated before the "
                        "escalation it answers (%(answered)s)."
                    )
                )
                % dates
            }
        return {}

    def _answered_errors(self) -> dict:
        """A request or escalation that already has an answer keeps its kind and stays
        on or before the answer's date."""
        if self.pk is None:
            return {}
        answer = Signal.objects.filter(responds_to_id=self.pk).first()
        if answer is None:
            return {}
        if self.kind != self.ANSWERS.get(answer.kind):
            return {
                "kind": _("This signal has been answered: delete the answer before changing it.")
            }
        if self.sponsorship_id != answer.sponsorship_id:
            return {"sponsorship": _("This signal has been answered: it stays with its sponsor.")}
        if self.date and self.date > answer.date:
            return {
                "date": _("It was answered on %(date)s: it cannot come later.")
                % {"date": date_format(answer.date, "SHORT_DATE_FORMAT")}
            }
        return {}


class PeerLink(models.Model):
    """Which of our people is the counterpart of which partner person: by function,
    not title (a small partner's CEO may map to one of our business-unit heads)."""

    class Strength(models.IntegerChoices):
        NONE = 0, _("0 — no relationship yet")
        ACQUAINTED = 1, _("1 — acquainted")
        WORKING = 2, _("2 — working relationship")
        TRUSTED = 3, _("3 — trusted")
        CLOSE = 4, _("4 — close, speaks frankly")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="peer_links", verbose_name=_("alliance")
    )
    ours = models.ForeignKey(
        Sponsor,
        on_delete=models.CASCADE,
        related_name="peer_links_as_ours",
        verbose_name=_("our person"),
    )
    theirs = models.ForeignKey(
        Sponsor,
        on_delete=models.CASCADE,
        related_name="peer_links_as_theirs",
        verbose_name=_("partner person"),
    )
    strength = models.PositiveSmallIntegerField(
        _("strength"),
        choices=Strength.choices,
        default=Strength.ACQUAINTED,
        validators=[MaxValueValidator(4)],
    )
    last_contact = models.DateField(
        _("last direct contact"), null=True, blank=True, help_text=_("Leave empty if unknown.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["alliance", "ours__name", "theirs__name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "ours", "theirs"], name="one_peer_link"),
            models.CheckConstraint(condition=Q(strength__lte=4), name="peer_strength_0_to_4"),
        ]

    def __str__(self):
        return f"{self.ours.name} ↔ {self.theirs.name}"

    def clean(self):
        errors = {}
        if self.last_contact and self.last_contact > timezone.localdate():
            errors["last_contact"] = _("The last contact cannot be in the future.")
        if self.alliance_id and self.ours_id and not self.ours.organisation.is_own:
            errors["ours"] = _("%(name)s is not one of our people.") % {"name": self.ours.name}
        if (
            self.alliance_id
            and self.theirs_id
            and (self.theirs.organisation_id != self.alliance.partner_id)
        ):
            errors["theirs"] = _("%(name)s does not work for %(partner)s.") % {
                "name": self.theirs.name,
                "partner": self.alliance.partner,
            }
        if self.alliance_id and self.ours_id and self.theirs_id and not errors:
            clash = PeerLink.objects.filter(
                alliance_id=self.alliance_id, ours_id=self.ours_id, theirs_id=self.theirs_id
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["theirs"] = _("These two are already mapped: edit that mapping instead.")
        if errors:
            raise ValidationError(errors)
