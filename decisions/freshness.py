"""A stored decision record is read only while nothing it was made from has changed.

The services that change a decision's inputs recheck it and store a new record at once.
Any other write to what the record was made from (an admin edit, a rename, a bulk tool,
a service that does not recheck) marks the alliance's record stale here, in the same
transaction, so that reads compute the decision afresh until the next recheck stores it
again: a page may be slower, never wrong. Connected in DecisionsConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from alliances.models import KPI, Alliance, Organisation
from assessments.models import Assessment, Finding, PartnerInvitation, ReassessmentInterval
from assessments.models import Response as AssessmentResponse
from banks.models import QuestionBank
from decisions.models import DecisionRecord, TrackedCondition
from sponsors.models import PeerLink, Signal, Sponsor, Sponsorship

# Fields a save may write without touching anything a decision reads.
IGNORED_USER_FIELDS = frozenset({"last_login", "password"})


def records_stale(**where) -> None:
    """Mark the records `where` selects (all when empty) as not to be read: one UPDATE."""
    DecisionRecord.objects.filter(**where).exclude(computed_on=None).update(computed_on=None)


def _of_submitted(assessment_id: int) -> dict:
    """The record of the alliance whose submitted assessment this is (none of a draft)."""
    return {
        "alliance__assessments": assessment_id,
        "alliance__assessments__status": Assessment.Status.SUBMITTED,
    }


# What each model's rows are read into: which alliances' records a write to it touches,
# as a filter on DecisionRecord (so marking them stale is one query, no lookup first).
READ_INTO: dict[type, Callable[..., dict]] = {
    # its partner, stage (the reassessment due), archiving
    Alliance: lambda row: {"alliance": row.pk},
    # the partner's name in a perception gap
    Organisation: lambda row: {"alliance__partner": row.pk},
    KPI: lambda row: {"alliance": row.alliance_id},  # sponsor health
    ReassessmentInterval: lambda row: {"alliance": row.alliance_id},  # evidence overdue
    Assessment: lambda row: {"alliance": row.alliance_id},  # latest of each kind, title
    # A reopening. The decision reads submitted rounds only: a draft's responses and the
    # knock-out findings its answers open leave the record as it is (the submission
    # itself saves the assessment, above).
    AssessmentResponse: lambda row: _of_submitted(row.assessment_id),
    # classification, mitigation, owner, due date, condition
    Finding: lambda row: _of_submitted(row.assessment_id),
    # the partner side complete (submitted, revoked)
    PartnerInvitation: lambda row: {"alliance__assessments": row.assessment_id},
    TrackedCondition: lambda row: {"alliance": row.alliance_id},  # owner, due, status
    Sponsorship: lambda row: {"alliance": row.alliance_id},  # our executive sponsor
    Signal: lambda row: {"alliance__sponsorships": row.sponsorship_id},  # sponsor health
    PeerLink: lambda row: {"alliance": row.alliance_id},  # sponsor health
    Sponsor: lambda row: {"alliance__sponsorships__sponsor": row.pk},  # the name
    QuestionBank: lambda row: {},  # the bank's name
    # owners' and waivers' names
    get_user_model(): lambda row: {"alliance__memberships__user": row.pk},
}


def _on_write(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return  # loading a fixture
    if update_fields and set(update_fields) <= IGNORED_USER_FIELDS:
        return
    records_stale(**READ_INTO[sender](instance))


def connect() -> None:
    for model in READ_INTO:
        uid = f"decisions.freshness.{model._meta.label}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}.delete")
