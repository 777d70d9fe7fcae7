"""What a feed holds, and whose it is.

A person's feed holds what concerns them on the alliances of their teams that they may
still see (alliances/access.py): meetings they attend, actions and conditions they own
(with their due dates), sign-offs asked of them, and the reassessments due on the
alliances they manage (as My work lists them). An alliance's feed holds the same for the
whole team. Leaving a team, or losing sight of a confidential alliance, takes its
entries out of the feed at the next fetch. Archived alliances are left out of a
person's feed, as they are of My work.

Each entry is revised by its own history (django-simple-history): SEQUENCE counts the
saves after the first, LAST-MODIFIED is the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.access import my_team_alliances, visible_alliances
from alliances.models import Alliance, Membership
from assessments.conditions import open_conditions
from assessments.models import Finding
from assessments.round_selectors import KIND_LABELS, reassessment_statuses
from calendars.ical import CalendarEntry
from calendars.models import CalendarFeed
from decisions.models import TrackedCondition
from decisions.reminders import active_owned
from kit.people import display_name
from kit.secret_links import secret_hash
from meetings.models import ActionItem, Meeting
from signoffs.models import SignOff, SignOffRequest
from signoffs.selectors import signoffs_waiting_for

# Meetings that ended longer ago than this are left out: a feed stays small.
MEETINGS_KEPT_DAYS = 180

Link = Callable[[str], str]  # a path from `reverse` → the full link


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed whose address holds `token`, if its owner may still sign in (1 query)."""
    return (
        CalendarFeed.objects.filter(token_hash=secret_hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )


def team_alliance(user, slug: str) -> Alliance | None:
    """The alliance `slug` when `user` is on its team (or a superuser), else None: the
    team's feed is the team's (1 query)."""
    alliance = visible_alliances(user).filter(slug=slug).first()
    if alliance is None or not (user.is_superuser or alliance.my_role is not None):
        return None
    return alliance


@dataclass(frozen=True)
class Revision:
    sequence: int
    last_modified: datetime


def revisions(model, pks: Iterable[int]) -> dict[int, Revision]:
    """Each object's revision from its history rows (1 query)."""
    rows = (
        model.history.model.objects.filter(id__in=list(pks))
        .order_by()
        .values("id")
        .annotate(saves=Count("history_id"), last=Max("history_date"))
    )
    return {row["id"]: Revision(row["saves"] - 1, row["last"]) for row in rows}


def _revised(revision: Revision | None, fallback: datetime) -> dict:
    if revision is None:  # written around the history (a bulk update): never revised
        return {"sequence": 0, "last_modified": fallback}
    return {"sequence": revision.sequence, "last_modified": revision.last_modified}


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _owner_line(owner) -> str:
    return _("Owner: %(name)s") % {"name": display_name(owner)} if owner else ""


# ---------------------------------------------------------------- each kind of entry


def meeting_entries(meetings: QuerySet[Meeting], link: Link) -> list[CalendarEntry]:
    """Meetings that ended at most MEETINGS_KEPT_DAYS ago, at their times (2 queries)."""
    since = timezone.now() - timedelta(days=MEETINGS_KEPT_DAYS)
    meetings = list(meetings.filter(ends_at__gte=since).select_related("alliance"))
    revised = revisions(Meeting, [m.pk for m in meetings])
    return [
        CalendarEntry(
            key=f"meeting-{m.pk}",
            summary=_("%(alliance)s: %(meeting)s")
            % {"alliance": m.alliance.name, "meeting": m.get_kind_display()},
            starts=m.starts_at,
            ends=m.ends_at,
            description=_lines(m.agenda, link(m.get_absolute_url())),
            location=m.location,
            url=link(m.get_absolute_url()),
            **_revised(revised.get(m.pk), m.updated_at),
        )
        for m in meetings
    ]


def action_entries(actions: QuerySet[ActionItem], link: Link) -> list[CalendarEntry]:
    """Open meeting actions on their due dates (2 queries)."""
    actions = list(
        actions.filter(status=ActionItem.Status.OPEN).select_related("meeting__alliance", "owner")
    )
    revised = revisions(ActionItem, [a.pk for a in actions])
    return [
        CalendarEntry(
            key=f"action-{a.pk}",
            summary=_("%(alliance)s — action due: %(action)s")
            % {"alliance": a.meeting.alliance.name, "action": a.description},
            starts=a.due_date,
            description=_lines(
                _owner_line(a.owner),
                _("From: %(meeting)s, %(day)s")
                % {
                    "meeting": a.meeting.get_kind_display(),
                    "day": timezone.localdate(a.meeting.starts_at).isoformat(),
                },
                link(a.get_absolute_url()),
            ),
            url=link(a.get_absolute_url()),
            **_revised(revised.get(a.pk), a.created_at),
        )
        for a in actions
    ]


def tracked_condition_entries(
    conditions: QuerySet[TrackedCondition], link: Link
) -> list[CalendarEntry]:
    """The decision's tracked conditions on their due dates (2 queries)."""
    conditions = list(conditions)
    revised = revisions(TrackedCondition, [c.pk for c in conditions])
    entries = []
    for c in conditions:
        url = link(reverse("decisions:condition", args=[c.alliance.slug, c.pk]))
        entries.append(
            CalendarEntry(
                key=f"condition-{c.pk}",
                summary=_("%(alliance)s — condition due: %(condition)s")
                % {"alliance": c.alliance.name, "condition": c.shown_text},
                starts=c.due_date,
                description=_lines(_owner_line(c.owner), c.get_status_display(), url),
                url=url,
                **_revised(revised.get(c.pk), c.created_at),
            )
        )
    return entries


def finding_condition_entries(findings: QuerySet[Finding], link: Link) -> list[CalendarEntry]:
    """Manageable findings' conditions on their due dates (2 queries)."""
    findings = list(findings)
    revised = revisions(Finding, [f.pk for f in findings])
    entries = []
    for f in findings:
        alliance = f.assessment.alliance
        url = link(reverse("assessments:condition", args=[alliance.slug, f.assessment_id, f.pk]))
        entries.append(
            CalendarEntry(
                key=f"finding-{f.pk}",
                summary=_("%(alliance)s — condition due: %(condition)s")
                % {"alliance": alliance.name, "condition": f.mitigation or f.issue},
                starts=f.due_date,
                description=_lines(
                    _owner_line(f.owner_user), f.get_condition_status_display(), url
                ),
                url=url,
                **_revised(revised.get(f.pk), f.created_at),
            )
        )
    return entries


def signoff_entries(signoffs: list[SignOff], link: Link) -> list[CalendarEntry]:
    """Unanswered sign-offs on the day they were asked for (1 query)."""
    revised = revisions(SignOff, [s.pk for s in signoffs])
    entries = []
    for s in signoffs:
        request = s.request
        url = link(reverse("signoffs:answer", args=[request.alliance.slug, s.pk]))
        entries.append(
            CalendarEntry(
                key=f"signoff-{s.pk}",
                summary=_("%(alliance)s — sign-off asked of %(executive)s: %(verdict)s")
                % {
                    "alliance": request.alliance.name,
                    "executive": display_name(s.executive),
                    "verdict": request.verdict,
                },
                starts=timezone.localdate(request.requested_at),
                description=_lines(request.message, url),
                url=url,
                **_revised(revised.get(s.pk), request.requested_at),
            )
        )
    return entries


def reassessment_entries(alliances: Iterable[Alliance], link: Link) -> list[CalendarEntry]:
    """Each kind of assessment's next round, on the day it falls due (2 queries)."""
    alliances = list(alliances)
    # Asked as of the last day there is, every round that will ever fall due is due,
    # each with its own date: past ones and coming ones alike.
    statuses = reassessment_statuses(alliances, today=date.max)
    entries = []
    for alliance in alliances:
        url = link(reverse("assessments:list", args=[alliance.slug]))
        for due in statuses[alliance.pk].due:
            last_round = datetime.combine(due.last_submitted, time.min, tzinfo=UTC)
            entries.append(
                CalendarEntry(
                    key=f"reassessment-{alliance.pk}-{due.kind}",
                    summary=_("%(alliance)s — reassessment due: %(kind)s")
                    % {"alliance": alliance.name, "kind": KIND_LABELS.get(due.kind, due.kind)},
                    starts=due.due_on,
                    description=_lines(
                        _("Last round “%(title)s” submitted on %(day)s.")
                        % {"title": due.title, "day": due.last_submitted.isoformat()},
                        url,
                    ),
                    url=url,
                    # The date moves with a new round, the stage or the interval.
                    last_modified=max(alliance.updated_at, last_round),
                )
            )
    return entries


# ---------------------------------------------------------------- the two feeds


def personal_entries(user, link: Link) -> list[CalendarEntry]:
    """Everything of `user`'s feed (about 14 queries, whatever the number of entries)."""
    mine = my_team_alliances(user)
    managed = my_team_alliances(user, role=Membership.Role.MANAGER)
    waiting = signoffs_waiting_for(user)
    for signoff in waiting:
        signoff.executive = user  # theirs, by definition: no query each
    return [
        *meeting_entries(Meeting.objects.filter(alliance__in=mine, attendees=user), link),
        *action_entries(ActionItem.objects.filter(meeting__alliance__in=mine, owner=user), link),
        *tracked_condition_entries(active_owned(mine).filter(owner=user), link),
        *finding_condition_entries(open_conditions(mine).filter(owner_user=user), link),
        *signoff_entries(waiting, link),
        *reassessment_entries(managed, link),
    ]


def alliance_entries(alliance: Alliance, link: Link) -> list[CalendarEntry]:
    """Everything of the alliance's feed for its team (about 14 queries)."""
    this = Alliance.objects.filter(pk=alliance.pk)
    latest = SignOffRequest.objects.filter(alliance=alliance).first()
    waiting = []
    if latest is not None and latest.withdrawn_at is None:
        waiting = list(
            SignOff.objects.filter(request=latest, answer=SignOff.Answer.PENDING).select_related(
                "request__alliance", "executive"
            )
        )
    return [
        *meeting_entries(Meeting.objects.filter(alliance=alliance), link),
        *action_entries(ActionItem.objects.filter(meeting__alliance=alliance), link),
        *tracked_condition_entries(active_owned(this), link),
        *finding_condition_entries(open_conditions(this), link),
        *signoff_entries(waiting, link),
        *reassessment_entries([alliance], link),
    ]
