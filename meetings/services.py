"""Writes of the meetings: plan, edit and delete a meeting, record its minutes and
actions, mark an action done, and the daily job's announcement of overdue actions.

Each checks its right through alliances/access.py (a meeting is the managers' to plan and
minute: `Action.EDIT`; an action is marked done by its owner or a manager), runs in one
transaction and names the acting user in the history. Recording minutes e-mails them to
the attendees through the one mail path and tells other systems (kit.events).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.access import Action, can, ensure_can, role_of
from alliances.models import Alliance
from alliances.services import as_done_by
from kit import events
from kit.mail import mail_queue
from kit.people import display_name, preferred_language
from kit.site_url import absolute_url
from meetings.models import ACTION_MAX_LENGTH, ActionItem, Meeting
from meetings.selectors import action_owners, partner_people

# What the mail path calls the minutes' e-mail (kit.mail `purpose`).
MINUTES_MAIL = "meeting_minutes"
SUBJECT_PREFIX = "[Alliance Readiness] "
MEETING_FIELDS = ("kind", "starts_at", "ends_at", "location", "agenda")


def may_manage(user, alliance: Alliance) -> bool:
    """Plan, edit, minute and delete the alliance's meetings: its managers."""
    return can(user, Action.EDIT, alliance)


def may_mark_done(user, action: ActionItem) -> bool:
    """The alliance's managers, and the action's owner while on the team."""
    alliance = action.meeting.alliance
    if alliance.is_archived or not action.is_open:
        return False
    if may_manage(user, alliance):
        return True
    return (
        action.owner_id == user.pk
        and can(user, Action.VIEW, alliance)
        and role_of(user, alliance) is not None
    )


def _check_people(alliance: Alliance, attendees, partner_attendees) -> None:
    team = set(action_owners(alliance).values_list("pk", flat=True))
    if any(user.pk not in team for user in attendees):
        raise ValidationError({"attendees": _("Only members of the alliance's team attend.")})
    partners = set(partner_people(alliance).values_list("pk", flat=True))
    if any(person.pk not in partners for person in partner_attendees):
        raise ValidationError(
            {
                "partner_attendees": _("Choose people of the partner, %(partner)s.")
                % {"partner": alliance.partner.name}
            }
        )


def _fill(meeting: Meeting, fields: dict) -> None:
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name] if fields[name] is not None else "")
    meeting.location = (meeting.location or "").strip()
    meeting.agenda = (meeting.agenda or "").strip()
    if meeting.starts_at and meeting.ends_at and meeting.ends_at < meeting.starts_at:
        raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})
    meeting.full_clean(exclude=["alliance", "created_by", "minutes_recorded_by"])


@transaction.atomic
def meeting_plan(
    *,
    alliance: Alliance,
    by,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    agenda: str = "",
    attendees=(),
    partner_attendees=(),
) -> Meeting:
    """Plan a meeting of the alliance with its agenda and attendees."""
    ensure_can(by, Action.EDIT, alliance)
    attendees, partner_attendees = list(attendees), list(partner_attendees)
    _check_people(alliance, attendees, partner_attendees)
    meeting = Meeting(alliance=alliance, created_by=by)
    _fill(
        meeting,
        dict(kind=kind, starts_at=starts_at, ends_at=ends_at, location=location, agenda=agenda),
    )
    as_done_by(meeting, by).save()
    meeting.attendees.set(attendees)
    meeting.partner_attendees.set(partner_attendees)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by, attendees=None, partner_attendees=None, **fields):
    """Change a meeting's time, place, agenda or attendees (None: unchanged)."""
    alliance = meeting.alliance
    ensure_can(by, Action.EDIT, alliance)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields {sorted(unknown)}")
    attendees = list(meeting.attendees.all()) if attendees is None else list(attendees)
    partner_attendees = (
        list(meeting.partner_attendees.all())
        if partner_attendees is None
        else list(partner_attendees)
    )
    _check_people(alliance, attendees, partner_attendees)
    _fill(meeting, fields)
    as_done_by(meeting, by).save()
    meeting.attendees.set(attendees)
    meeting.partner_attendees.set(partner_attendees)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by) -> None:
    """Delete a meeting with its minutes and actions."""
    ensure_can(by, Action.EDIT, meeting.alliance)
    as_done_by(meeting, by).delete()


@dataclass(frozen=True)
class ActionChange:
    """One row of the minutes' actions: a new action (pk None), a change, or a removal."""

    description: str
    owner: object  # a user
    due_date: date
    pk: int | None = None
    remove: bool = False


def _apply_action(meeting: Meeting, change: ActionChange, team: set[int], existing, by):
    if change.pk is not None:
        action = existing.get(change.pk)
        if action is None:
            raise ValidationError(_("An action of another meeting cannot be changed here."))
        if change.remove:
            as_done_by(action, by).delete()
            return
    elif change.remove:
        return
    else:
        action = ActionItem(meeting=meeting, created_by=by)
    description = (change.description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say what is to be done.")})
    if len(description) > ACTION_MAX_LENGTH:
        raise ValidationError(
            {
                "description": _("Keep an action under %(max)d characters.")
                % {"max": ACTION_MAX_LENGTH}
            }
        )
    if change.owner is None or change.owner.pk not in team:
        raise ValidationError({"owner": _("An action's owner must be on the alliance's team.")})
    if change.due_date is None:
        raise ValidationError({"due_date": _("Give the action a due date.")})
    if action.due_date != change.due_date:
        action.overdue_announced_on = None  # a new due date can be missed again
    action.description, action.owner, action.due_date = description, change.owner, change.due_date
    as_done_by(action, by).save()


@transaction.atomic
def minutes_record(
    *,
    meeting: Meeting,
    by,
    minutes: str,
    decisions_taken: str = "",
    actions: list[ActionChange] = (),
) -> Meeting:
    """Record (or correct) the minutes, the decisions taken and the actions of a meeting;
    the attendees and the actions' owners get them by e-mail, and other
    systems hear of it (kit.events.MINUTES_RECORDED) once this commits."""
    alliance = meeting.alliance
    ensure_can(by, Action.EDIT, alliance)
    minutes, decisions_taken = (minutes or "").strip(), (decisions_taken or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    meeting.minutes, meeting.decisions_taken = minutes, decisions_taken
    meeting.full_clean(exclude=["alliance", "created_by", "minutes_recorded_by"])
    first_time = meeting.minutes_recorded_at is None
    meeting.minutes_recorded_at = timezone.now()
    meeting.minutes_recorded_by = by
    as_done_by(meeting, by).save()
    team = set(action_owners(alliance).values_list("pk", flat=True))
    existing = {a.pk: a for a in meeting.actions.all()}
    for change in actions:
        _apply_action(meeting, change, team, existing, by)
    _mail_minutes(meeting, by=by, first_time=first_time)
    events.publish(events.MINUTES_RECORDED, alliance_id=alliance.pk, meeting_id=meeting.pk)
    return meeting


def _mail_minutes(meeting: Meeting, *, by, first_time: bool) -> None:
    """One e-mail per attendee and action owner (in their own language), queued on the
    mail path. A confidential alliance is never named: the e-mail asks to sign in."""
    actions = list(meeting.actions.select_related("owner").order_by("due_date", "pk"))
    people = {u.pk: u for u in meeting.attendees.all()}
    people |= {a.owner.pk: a.owner for a in actions if a.owner}
    url = absolute_url(meeting.get_absolute_url())
    for person in people.values():
        if not (person.is_active and person.email):
            continue
        with translation.override(preferred_language(person) or settings.LANGUAGE_CODE):
            subject, body = _minutes_mail(meeting, actions, url, by=by, first_time=first_time)
        mail_queue(
            to=[person.email],
            subject=subject,
            body=body,
            purpose=MINUTES_MAIL,
            object_id=meeting.pk,
        )


def _minutes_mail(meeting, actions, url, *, by, first_time) -> tuple[str, str]:
    alliance = meeting.alliance
    if alliance.is_confidential:
        subject = _("Minutes of a meeting on a confidential alliance")
        body = _(
            "Minutes of a meeting on a confidential alliance were recorded. "
            "Sign in to read them:\n%(url)s"
        ) % {"url": absolute_url(reverse("dashboard"))}
        return SUBJECT_PREFIX + subject, body + "\n"
    when = date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
    subject = (
        _("Minutes: %(kind)s of %(alliance)s on %(date)s")
        if first_time
        else _("Minutes corrected: %(kind)s of %(alliance)s on %(date)s")
    ) % {"kind": meeting.get_kind_display(), "alliance": alliance.name, "date": when}
    body = render_to_string(
        "meetings/minutes_email.txt",
        {
            "meeting": meeting,
            "alliance": alliance,
            "actions": actions,
            "url": url,
            "recorded_by": display_name(by),
            "when": when,
        },
    )
    return SUBJECT_PREFIX + subject, body


@transaction.atomic
def action_mark_done(*, action: ActionItem, by) -> ActionItem:
    """Mark an action done: its owner or one of the alliance's managers."""
    if not can(by, Action.VIEW, action.meeting.alliance):
        raise PermissionDenied(_("You may not view this alliance."))
    if not action.is_open:
        raise ValidationError(_("This action is already done."))
    if not may_mark_done(by, action):
        raise PermissionDenied(_("Only the action's owner and the alliance's managers may."))
    action.status = ActionItem.Status.DONE
    action.done_at = timezone.now()
    action.done_by = by
    as_done_by(action, by).save()
    return action


@transaction.atomic
def announce_overdue_actions(*, today: date, by=None) -> int:
    """Tell other systems (kit.events.ACTION_OVERDUE) of each open action that became
    overdue, once per action (and due date); returns how many were announced."""
    overdue = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN,
        due_date__lt=today,
        overdue_announced_on__isnull=True,
        meeting__alliance__is_archived=False,
    ).select_related("meeting")
    announced = 0
    for action in overdue:
        # Claimed by a conditional update: a second beat or worker announces nothing more.
        claimed = ActionItem.objects.filter(pk=action.pk, overdue_announced_on__isnull=True)
        if not claimed.update(overdue_announced_on=today):
            continue
        events.publish(
            events.ACTION_OVERDUE,
            alliance_id=action.meeting.alliance_id,
            action_id=action.pk,
            meeting_id=action.meeting_id,
            due_date=action.due_date.isoformat(),
        )
        announced += 1
    return announced
