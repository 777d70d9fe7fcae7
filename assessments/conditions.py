"""Conditions to closure: what their owners must be told and shown.

A manageable finding of an alliance's latest submitted assessment is a condition of its
decision. Its owner sees it on My work when it is due within `MY_WORK_DAYS` or overdue,
and the daily job reminds them `REMIND_DAYS_BEFORE` days ahead and every day it is
overdue (one reminder per condition and day, through notify's key).
"""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.access import my_team_alliances
from alliances.models import Alliance
from alliances.pages import WorkItem
from assessments.models import Assessment, ConditionStatus, Finding
from notifications.models import Kind
from notifications.reminders import day_key
from notifications.services import notify

MY_WORK_DAYS = 14
REMIND_DAYS_BEFORE = 7


def open_conditions(alliances: QuerySet[Alliance]) -> QuerySet[Finding]:
    """Conditions not done of the alliances' current decisions (their latest submitted
    assessment of each kind), with an owner and a due date: one query."""
    newer = Assessment.objects.filter(
        alliance=OuterRef("assessment__alliance"),
        version__bank__kind=OuterRef("assessment__version__bank__kind"),
        status=Assessment.Status.SUBMITTED,
    ).filter(
        Q(submitted_at__gt=OuterRef("assessment__submitted_at"))
        | Q(submitted_at=OuterRef("assessment__submitted_at"), pk__gt=OuterRef("assessment_id"))
    )
    return (
        Finding.objects.filter(
            assessment__alliance__in=alliances,
            assessment__status=Assessment.Status.SUBMITTED,
            classification=Finding.Classification.MANAGEABLE,
            owner_user__isnull=False,
            due_date__isnull=False,
        )
        .exclude(condition_status__in=[ConditionStatus.DONE, ConditionStatus.WAIVED])
        .exclude(Exists(newer))
        .select_related("question", "assessment__alliance", "owner_user")
        .order_by("due_date", "pk")
    )


def condition_url(finding: Finding) -> str:
    return reverse(
        "assessments:condition",
        args=[finding.assessment.alliance.slug, finding.assessment_id, finding.pk],
    )


def my_conditions(request) -> list[WorkItem]:
    """My work: the conditions I own due within 14 days or overdue (1 query)."""
    user = request.user
    today = timezone.localdate()
    findings = open_conditions(my_team_alliances(user)).filter(
        owner_user=user, due_date__lte=today + timedelta(days=MY_WORK_DAYS)
    )
    return [
        WorkItem(
            kind="condition_due",
            title=_("Condition %(key)s: %(what)s")
            % {"key": f.question.key, "what": f.mitigation or f.issue},
            url=condition_url(f),
            detail=f.get_condition_status_display(),
            due=f.due_date,
            overdue=f.due_date < today,
            alliance_name=f.assessment.alliance.name,
        )
        for f in findings
    ]


def reminder_kind(due: date, today: date) -> str | None:
    """The reminder a condition due on `due` gets on `today`: overdue every day after it,
    due once, `REMIND_DAYS_BEFORE` days ahead; none on other days."""
    if due < today:
        return Kind.CONDITION_OVERDUE
    if due == today + timedelta(days=REMIND_DAYS_BEFORE):
        return Kind.CONDITION_DUE
    return None


def remind_condition_owners(today: date) -> int:
    """The daily job: owners of conditions due in `REMIND_DAYS_BEFORE` days, or overdue,
    hear of it once that day. Returns the number of reminders created."""
    alliances = Alliance.objects.filter(is_archived=False)
    due_soon = today + timedelta(days=REMIND_DAYS_BEFORE)
    created = 0
    for finding in open_conditions(alliances).filter(due_date__lte=due_soon):
        kind = reminder_kind(finding.due_date, today)
        if kind is None:
            continue
        alliance = finding.assessment.alliance

        def title(kind=kind, finding=finding, alliance=alliance):
            # In the owner's language (notify calls it in theirs), its date too.
            return (
                _("Overdue since %(due)s: condition %(key)s on %(alliance)s")
                if kind == Kind.CONDITION_OVERDUE
                else _("Due on %(due)s: condition %(key)s on %(alliance)s")
            ) % {
                "due": date_format(finding.due_date, "SHORT_DATE_FORMAT"),
                "key": finding.question.key,
                "alliance": alliance.name,
            }

        created += len(
            notify(
                kind,
                alliance=alliance,
                recipients=[finding.owner_user],
                title=title,
                body=finding.mitigation,
                url=condition_url(finding),
                key=day_key(kind, f"finding-{finding.pk}", today),
            )
        )
    return created
