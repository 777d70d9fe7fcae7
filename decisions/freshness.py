"""A stored decision record is read only while nothing it was made from has changed.

The services that change a decision's inputs recheck it and store a new record at once.
Any other write to what the record was made from (an admin edit, a rename, a bulk tool,
a service that does not recheck) marks the alliance's record stale here, in the same
transaction, so that reads compute the decision afresh until the next recheck stores it
again: a page may be slower, never wrong. Connected in DecisionsConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from alliances.models import KPI, Alliance, Membership, Organisation
from assessments.models import Assessment, Finding, PartnerInvitation, ReassessmentInterval
from assessments.models import Response as AssessmentResponse
from banks.models import QuestionBank
from decisions.models import DecisionRecord, TrackedCondition
from sponsors.models import PeerLink, Signal, Sponsor, Sponsorship

# Fields a save may write without touching anything a decision reads.
IGNORED_USER_FIELDS = frozenset({"last_login", "password"})


def records_stale(alliance_ids: Iterable[int] | None) -> None:
    """Mark the records of these alliances (all when None) as not to be read."""
    records = DecisionRecord.objects.exclude(computed_on=None)
    if alliance_ids is not None:
        records = records.filter(alliance_id__in=list(alliance_ids))
    records.update(computed_on=None)


def _own(instance) -> list[int]:
    return [instance.alliance_id]


def _by_assessment(instance) -> list[int]:
    return list(
        Assessment.objects.filter(pk=instance.assessment_id).values_list("alliance_id", flat=True)
    )


def _by_sponsorship(instance) -> list[int]:
    return list(
        Sponsorship.objects.filter(pk=instance.sponsorship_id).values_list("alliance_id", flat=True)
    )


def _sponsored(instance) -> list[int]:
    return list(instance.sponsorships.values_list("alliance_id", flat=True))


def _partnered(instance) -> list[int]:
    return list(Alliance.objects.filter(partner=instance).values_list("pk", flat=True))


def _alliance(instance) -> list[int]:
    return [instance.pk]


def _every(instance) -> None:
    return None


def _member(instance) -> list[int]:
    return list(Membership.objects.filter(user=instance).values_list("alliance_id", flat=True))


# What each model's rows are read into: which alliances' records a write to it touches.
READ_INTO: dict[type, Callable] = {
    Alliance: _alliance,  # its partner, stage (the reassessment due), archiving
    Organisation: _partnered,  # the partner's name in a perception gap
    KPI: _own,  # sponsor health
    ReassessmentInterval: _own,  # when the evidence is overdue
    Assessment: _own,  # the latest of each kind, its title, its status
    AssessmentResponse: _by_assessment,  # a submission or reopening
    Finding: _by_assessment,  # classification, mitigation, owner, due date, condition
    PartnerInvitation: _by_assessment,  # the partner side complete (submitted, revoked)
    TrackedCondition: _own,  # owner, due date, status
    Sponsorship: _own,  # our executive sponsor
    Signal: _by_sponsorship,  # sponsor health
    PeerLink: _own,  # sponsor health
    Sponsor: _sponsored,  # the sponsor's name
    QuestionBank: _every,  # the bank's name
    get_user_model(): _member,  # owners' and waivers' names
}


def _on_write(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return  # loading a fixture
    if update_fields and set(update_fields) <= IGNORED_USER_FIELDS:
        return
    records_stale(READ_INTO[sender](instance))


def connect() -> None:
    for model in READ_INTO:
        uid = f"decisions.freshness.{model._meta.label}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}.delete")
