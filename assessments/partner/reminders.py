"""Automatic reminders to partner contacts who have not submitted (a daily job).

Each two-sided assessment with a due date for the partner's answers has a schedule: the
days before that date on which the contacts still expected to answer are reminded
(default "3,7"). The job runs once a day (notifications.reminders.daily_jobs, registered
in AssessmentsConfig.ready()); an invitation's `last_reminded_on` keeps it to one
reminder a day, whether sent by the job, by a second worker or by hand ("Remind now").
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import Assessment, PartnerInvitation
from assessments.partner.services import invitation_remind
from banks.models import BankVersion, QuestionBank

log = logging.getLogger(__name__)

MAX_REMINDER_DAYS = 90  # a reminder further ahead than this is a typo
MAX_REMINDERS = 5


def parse_reminder_days(text: str) -> list[int]:
    """ "7, 3" -> [3, 7]: whole days before the due date, each at most MAX_REMINDER_DAYS,
    at most MAX_REMINDERS of them; "" is no automatic reminder. Raises ValidationError."""
    days = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or len(part) > 3:
            raise ValidationError(
                _("“%(part)s” is not a number of days: write e.g. “3, 7”.") % {"part": part[:20]}
            )
        if int(part) > MAX_REMINDER_DAYS:
            raise ValidationError(
                _("At most %(max)s days before the due date.") % {"max": MAX_REMINDER_DAYS}
            )
        days.add(int(part))
    if len(days) > MAX_REMINDERS:
        raise ValidationError(_("At most %(max)s reminders.") % {"max": MAX_REMINDERS})
    return sorted(days)


def format_reminder_days(days: list[int]) -> str:
    return ",".join(str(d) for d in days)


def _schedule(assessment: Assessment) -> list[int]:
    try:
        return parse_reminder_days(assessment.partner_reminder_days)
    except ValidationError:  # a value stored before the form checked it: no reminder
        return []


def due_reminders(day: date) -> list[PartnerInvitation]:
    """The invitations to remind on `day`: their assessment's due date is one of the
    scheduled days ahead, they are still expected to answer, not yet reminded today."""
    assessments = Assessment.objects.filter(
        partner_due_date__gte=day,
        version__bank__kind=QuestionBank.Kind.MUTUAL_FIT,
    ).exclude(version__status=BankVersion.Status.RETIRED)
    todays = [a.pk for a in assessments if (a.partner_due_date - day).days in _schedule(a)]
    if not todays:
        return []
    now_pending = [
        i
        for i in PartnerInvitation.objects.filter(
            assessment_id__in=todays, submitted_at=None, revoked_at=None
        )
        .exclude(last_reminded_on=day)
        .select_related("assessment__alliance", "assessment__version__bank")
        .order_by("pk")
        if i.is_pending()
    ]
    return now_pending


def remind_partner_contacts(day: date) -> int:
    """The daily job: remind each contact due today; returns how many were reminded. A
    contact whose state changed meanwhile (submitted, revoked, reminded by hand) is
    skipped, not an error."""
    sent = 0
    for invitation in due_reminders(day):
        try:
            invitation_remind(invitation=invitation, by=None, day=day)
        except ValidationError as exc:
            log.info("partner reminder %s skipped: %s", invitation.pk, exc.messages)
            continue
        sent += 1
    return sent
