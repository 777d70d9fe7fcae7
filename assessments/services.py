"""Writes for assessments: one transaction per action, readable errors (banks: see banks/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.access import Action, can, ensure_can
from alliances.models import Alliance
from alliances.people import answering_people
from alliances.services import as_done_by
from alliances.signals import decision_inputs_changed_on
from assessments import events, respondents
from assessments.history_reasons import REOPENED_REASON, SUBMITTED_REASON
from assessments.models import (
    Answer,
    Assessment,
    ConditionStatus,
    Finding,
    ReassessmentInterval,
    Response,
)
from assessments.scoring import answer_is_given
from banks.models import BankVersion, Choice, Question
from kit.people import display_name
from kit.texts import in_sentence

User = get_user_model()


# ---------------------------------------------------------------- assessments


def _month(day) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT")


def _eligible_assessors(alliance: Alliance, users) -> None:
    # Checked on the memberships: `alliance` may carry the caller's `my_role` annotation.
    eligible = set(answering_people(alliance).values_list("pk", flat=True))
    for user in users:
        if user.pk not in eligible:
            raise ValidationError(
                _(
                    "%(name)s cannot fill in assessments on this alliance: "
                    "add them to the team as manager or contributor first."
                )
                % {"name": display_name(user)}
            )


@transaction.atomic
def assessment_start(
    *, alliance: Alliance, version: BankVersion, title: str, by: User, assessors
) -> Assessment:
    """Start an assessment pinned to a published version, one response per assessor."""
    ensure_can(by, Action.RUN_ASSESSMENT, alliance)
    version = BankVersion.objects.select_related("bank").get(pk=version.pk)
    if version.status != BankVersion.Status.PUBLISHED:
        raise ValidationError({"version": _("Choose a published question bank version.")})
    assessors = list(assessors)
    if not assessors:
        raise ValidationError({"assessors": _("Choose at least one assessor.")})
    _eligible_assessors(alliance, assessors)
    assessment = Assessment.objects.create(
        alliance=alliance, version=version, title=title.strip(), created_by=by
    )
    responses = Response.objects.bulk_create(
        Response(assessment=assessment, assessor=user) for user in assessors
    )
    events.assessors_assigned(assessment=assessment, responses=responses, by=by)
    return assessment


def latest_published_version(bank_id: int) -> BankVersion | None:
    return (
        BankVersion.objects.select_related("bank")
        .filter(bank_id=bank_id, status=BankVersion.Status.PUBLISHED)
        .first()
    )


def reassess_blocker(assessment: Assessment) -> str:
    """Why `assessment` cannot be followed by a new round now ("" when it can)."""
    if not assessment.is_submitted:
        return _("Only a submitted assessment can be reassessed: submit this round first.")
    in_progress = Assessment.objects.filter(
        alliance_id=assessment.alliance_id,
        version__bank_id=assessment.version.bank_id,
        status=Assessment.Status.DRAFT,
        previous__isnull=False,
    ).first()
    if in_progress is not None:
        return _("A new round of this bank is already in progress: “%(title)s”.") % {
            "title": in_progress.title
        }
    if latest_published_version(assessment.version.bank_id) is None:
        return _("This question bank has no published version to reassess on.")
    return ""


@transaction.atomic
def assessment_reassess(*, assessment: Assessment, by: User, title: str = "") -> Assessment:
    """Start a new round after a submitted assessment: the latest published version of its
    bank, the same assessors (those still on the team as manager or contributor), linked
    to the round it follows. The earlier round is not touched."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("version__bank", "alliance")
        .get(pk=assessment.pk)
    )
    ensure_can(by, Action.RUN_ASSESSMENT, assessment.alliance)
    blocker = reassess_blocker(assessment)
    if blocker:
        raise ValidationError(blocker)
    version = latest_published_version(assessment.version.bank_id)
    eligible = set(answering_people(assessment.alliance).values_list("pk", flat=True))
    assessors = [
        r.assessor
        for r in assessment.responses.select_related("assessor")
        if r.assessor_id in eligible
    ]
    if by.pk in eligible and all(a.pk != by.pk for a in assessors):
        assessors.append(by)
    if not assessors:
        raise ValidationError(
            _("Nobody on the team can fill in assessments: add a manager or contributor first.")
        )
    today = timezone.localdate()
    new_round = Assessment.objects.create(
        alliance=assessment.alliance,
        version=version,
        # The month in the manager's language ("Dezember 2026"), not Python's English.
        title=(title.strip() or f"{assessment.version.bank.name} — {_month(today)}")[:200],
        created_by=by,
        previous=assessment,
    )
    Response.objects.bulk_create(Response(assessment=new_round, assessor=u) for u in assessors)
    return new_round


@transaction.atomic
def reassessment_intervals_set(*, alliance: Alliance, months: dict[str, int | None], by: User):
    """Set the alliance's own interval for each stage; None goes back to the default."""
    ensure_can(by, Action.EDIT, alliance)
    for stage, value in months.items():
        if stage not in Alliance.Stage.values:
            raise ValidationError(_("Unknown lifecycle stage: %(stage)s.") % {"stage": stage})
        if value is None:
            for interval in ReassessmentInterval.objects.filter(alliance=alliance, stage=stage):
                as_done_by(interval, by).delete()
            continue
        if not 0 <= value <= 60:
            raise ValidationError(_("An interval is between 0 and 60 months."))
        interval = ReassessmentInterval.objects.filter(alliance=alliance, stage=stage).first()
        interval = interval or ReassessmentInterval(alliance=alliance, stage=stage)
        if interval.pk and interval.months == value:
            continue
        interval.months = value
        as_done_by(interval, by).save()
    decision_inputs_changed_on(alliance, by)  # when its evidence is overdue


@transaction.atomic
def assessment_set_assessors(*, assessment: Assessment, assessors, by: User) -> Assessment:
    """Add and remove assessors; someone who has answered cannot be removed."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    ensure_can(by, Action.RUN_ASSESSMENT, assessment.alliance)
    wanted = {user.pk: user for user in assessors}
    if not wanted:
        raise ValidationError({"assessors": _("An assessment needs at least one assessor.")})
    _eligible_assessors(assessment.alliance, wanted.values())
    current = {r.assessor_id: r for r in assessment.responses.select_related("assessor")}
    for user_id, response in current.items():
        if user_id in wanted:
            continue
        if response.answers.exists() or response.is_submitted:
            raise ValidationError(
                {
                    "assessors": _(
                        "%(name)s has already answered: their answers stay part of the assessment."
                    )
                    % {"name": display_name(response.assessor)}
                }
            )
        response.delete()
    added = [user for pk, user in wanted.items() if pk not in current]
    responses = Response.objects.bulk_create(
        Response(assessment=assessment, assessor=u) for u in added
    )
    events.assessors_assigned(assessment=assessment, responses=responses, by=by)
    was_submitted = assessment.is_submitted
    if added and assessment.is_submitted:
        assessment.status = Assessment.Status.DRAFT
        assessment.submitted_at = None
        assessment.save(update_fields=["status", "submitted_at"])
    _refresh_assessment_status(assessment, by=by)
    if assessment.is_submitted != was_submitted:
        decision_inputs_changed_on(assessment.alliance, by)
    return assessment


def _locked_response(response: Response, user: User) -> Response:
    """The assessor's own response, locked, with its assessment and version; refuse anyone
    else, a submitted response and a retired version."""
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("assessment__version", "assessment__alliance", "assessor")
        .get(pk=response.pk)
    )
    if locked.assessor_id != user.pk:
        raise PermissionDenied(_("This is another assessor's response."))
    # An assessor whose role changed (say, to viewer) answers no more. The caller's
    # alliance may carry the user's role already (views): no extra query then.
    ensure_can(user, Action.ANSWER, response.assessment.alliance)
    if locked.is_submitted:
        raise ValidationError(
            _("This response is submitted and locked: ask a manager to reopen it.")
        )
    if locked.assessment.version.status == BankVersion.Status.RETIRED:
        raise ValidationError(
            _(
                "This assessment uses a retired version of the question bank: "
                "start a new assessment on the current version."
            )
        )
    return locked


@dataclass(frozen=True)
class AnswerValue:
    """A cleaned answer as a form gives it: `choice` or `na` or `dont_know`, plus notes."""

    choice: Choice | None = None
    is_na: bool = False
    is_dont_know: bool = False
    text: str = ""
    comment: str = ""
    evidence_url: str = ""
    # False when the form did not carry a level at all (plain submit of an untouched question).
    sets_level: bool = True
    # True when the link typed was refused: the rest saves, the last good link stays.
    keeps_evidence_url: bool = False

    @property
    def is_given(self) -> bool:
        return answer_is_given(
            chosen=self.choice is not None,
            is_na=self.is_na,
            is_dont_know=self.is_dont_know,
            has_text=bool(self.text.strip()),
        )


def answer_save(*, response: Response, question: Question, value: AnswerValue, by: User, then=None):
    """Save one answer of the assessor's own draft response; open or close its knock-out
    finding. Returns the answer, None when nothing was given and nothing was stored
    before; or, given `then(answer)`, what it returns: it runs in the same transaction,
    so a reply that cannot be made keeps no answer either."""
    with transaction.atomic():
        response = _locked_response(response, by)
        answer = _answer_write(response, question, value)
        return then(answer) if then else answer


@transaction.atomic
def answers_save(*, response: Response, values: dict[Question, AnswerValue], by: User) -> None:
    """Save several answers at once (the fill page without JavaScript)."""
    response = _locked_response(response, by)
    for question, value in values.items():
        _answer_write(response, question, value)


def _answer_write(response: Response, question: Question, value: AnswerValue) -> Answer | None:
    answer = respondents.answer_write(response, question, value)
    # The response row is locked (see _locked_response): no other save of it runs meanwhile.
    if answer is not None and question.knockout_level is not None:
        _sync_finding(response, question, answer)
    return answer


def knockout_issue(question: Question, choice) -> str:
    """`<question> — answered “<label>”.`: the question's words once, no code (pages put
    the code before it) and no doubled punctuation."""
    label = choice.label.strip().rstrip(".")
    return _("%(question)s — answered “%(answer)s”.") % {
        "question": question.text.strip().rstrip("."),
        "answer": label,
    }


def _sync_finding(response: Response, question: Question, answer: Answer) -> None:
    """A knock-out answered at or below its level opens a finding; an unclassified
    finding closes again when no answer triggers it any more."""
    threshold = question.knockout_score
    triggered = answer.choice is not None and answer.choice.score <= threshold
    assessment = response.assessment
    if triggered:
        # One finding per question: the first answer that triggers it opens it. A single
        # INSERT … ON CONFLICT DO NOTHING keeps the save to a fixed, small number of queries.
        finding = Finding(
            assessment=assessment,
            question=question,
            response=response,
            answer=answer,
            issue=knockout_issue(question, answer.choice),
        )
        Finding.objects.bulk_create([finding], ignore_conflicts=True)
        # This answer opened it (not an earlier one): the managers hear, once per finding.
        opened = Finding.objects.filter(assessment=assessment, question=question, answer=answer)
        finding.pk = opened.values_list("pk", flat=True).first()
        if finding.pk is not None:
            events.knockout_opened(finding=finding, by=response.assessor)
        return
    still = Answer.objects.filter(
        response__assessment=assessment, question=question, choice__score__lte=threshold
    )
    if not still.exists():
        for finding in Finding.objects.filter(
            assessment=assessment,
            question=question,
            classification=Finding.Classification.UNCLASSIFIED,
        ):
            finding.delete()


def missing_required(response: Response) -> list[Question]:
    """Required questions of the response's version that have no answer at all."""
    return respondents.missing_required(response)


@transaction.atomic
def response_submit(*, response: Response, by: User) -> Response:
    """Lock the assessor's response once every required question is answered."""
    Assessment.objects.select_for_update().get(pk=response.assessment_id)
    response = _locked_response(response, by)
    respondents.ensure_complete(response)
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response._change_reason = SUBMITTED_REASON
    response.save(update_fields=["status", "submitted_at"])
    if _refresh_assessment_status(response.assessment, by=by):
        decision_inputs_changed_on(response.assessment.alliance, by)
    return response


@transaction.atomic
def response_reopen(*, response: Response, by: User) -> Response:
    """A manager unlocks a submitted response; the reopening is recorded in its history."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("version", "alliance")
        .get(pk=response.assessment_id)
    )
    ensure_can(by, Action.RUN_ASSESSMENT, assessment.alliance)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if not response.is_submitted:
        raise ValidationError(_("This response is not submitted: there is nothing to reopen."))
    if assessment.version.status == BankVersion.Status.RETIRED:
        raise ValidationError(
            _(
                "This assessment uses a retired version of the question bank and cannot change: "
                "start a new assessment on the current version."
            )
        )
    response.status = Response.Status.DRAFT
    response.reopened_at = timezone.now()
    response.reopened_by = by
    response._change_reason = f"{REOPENED_REASON}{display_name(by)}"
    response.save(update_fields=["status", "reopened_at", "reopened_by"])
    if _refresh_assessment_status(assessment, by=by):
        decision_inputs_changed_on(assessment.alliance, by)
    return response


def _refresh_assessment_status(assessment: Assessment, *, by=None) -> bool:
    """An assessment is submitted when all of its responses are; the managers hear when
    the last one comes in. Returns whether the status changed."""
    statuses = set(assessment.responses.values_list("status", flat=True))
    submitted = statuses == {Response.Status.SUBMITTED}
    if submitted and not assessment.is_submitted:
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
    elif not submitted and assessment.is_submitted:
        assessment.status = Assessment.Status.DRAFT
        assessment.submitted_at = None
    else:
        return False
    assessment.save(update_fields=["status", "submitted_at"])
    if assessment.is_submitted:
        events.all_submitted(assessment=assessment, by=by)
    return True


@transaction.atomic
def finding_classify(*, finding: Finding, by: User) -> Finding:
    """Record the manager's classification of a finding (showstopper or manageable)."""
    alliance = finding.assessment.alliance
    ensure_can(by, Action.RUN_ASSESSMENT, alliance)
    if finding.classification == Finding.Classification.UNCLASSIFIED:
        raise ValidationError({"classification": _("Choose showstopper or manageable.")})
    if finding.classification == Finding.Classification.MANAGEABLE:
        missing = {
            name: _("A manageable finding needs this, to be a condition someone owns.")
            for name in ("mitigation", "owner_user", "due_date")
            if not getattr(finding, name)
        }
        if finding.owner and "owner_user" in missing:
            del missing["owner_user"]  # text kept from before owners were users
        if missing:
            raise ValidationError(missing)
        if finding.owner_user_id and not _is_team_member(finding.owner_user, alliance):
            raise ValidationError({"owner_user": _("The owner must be a member of the team.")})
        if finding.owner_user_id:
            finding.owner = ""
    finding.classified_by = by
    finding.classified_at = timezone.now()
    finding.full_clean(exclude=["assessment", "question", "response", "answer"])
    finding.save()
    decision_inputs_changed_on(finding.assessment.alliance, by)
    return finding


@transaction.atomic
def assessment_delete(*, assessment: Assessment, by: User) -> None:
    """Delete an assessment that is still in progress."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    ensure_can(by, Action.RUN_ASSESSMENT, assessment.alliance)
    if assessment.is_submitted:
        raise ValidationError(
            _("A submitted assessment is kept as a record; it cannot be deleted.")
        )
    assessment.delete()


def _is_team_member(user, alliance) -> bool:
    return user.is_active and alliance.memberships.filter(user=user).exists()


# open → in progress → done, or waived; a done condition can be reopened (back to in
# progress), a waived one too.
CONDITION_MOVES = {
    ConditionStatus.OPEN: {
        ConditionStatus.IN_PROGRESS,
        ConditionStatus.DONE,
        ConditionStatus.WAIVED,
    },
    ConditionStatus.IN_PROGRESS: {
        ConditionStatus.OPEN,
        ConditionStatus.DONE,
        ConditionStatus.WAIVED,
    },
    ConditionStatus.DONE: {ConditionStatus.IN_PROGRESS},
    ConditionStatus.WAIVED: {ConditionStatus.OPEN, ConditionStatus.IN_PROGRESS},
}


def may_update_condition(user, finding: Finding) -> bool:
    """The alliance's managers, and the condition's owner while on the team."""
    alliance = finding.assessment.alliance
    if can(user, Action.RUN_ASSESSMENT, alliance):
        return True
    return (
        finding.owner_user_id == user.pk
        and can(user, Action.VIEW, alliance)
        and not alliance.is_archived
        and alliance.memberships.filter(user=user).exists()
    )


@transaction.atomic
def condition_update(
    *, finding: Finding, status: str, by: User, note: str = "", done_on: date | None = None
) -> Finding:
    """Move a manageable finding's condition along open → in progress → done, or waive
    it. Done needs a note on what was done, waived one on why; both a date (today by
    default, never in the future) and record who."""
    if not may_update_condition(by, finding):
        raise PermissionDenied(_("Only the alliance's managers and the condition's owner may."))
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.classification != Finding.Classification.MANAGEABLE:
        raise ValidationError(_("Only a manageable finding is a condition to follow up."))
    current = ConditionStatus(finding.condition_status)
    settled = (ConditionStatus.DONE, ConditionStatus.WAIVED)
    if status == current:
        if status not in settled:
            return finding
    elif status not in CONDITION_MOVES[current]:
        raise ValidationError(
            {
                "status": _("A condition cannot go from %(status)s to that status.")
                % {"status": in_sentence(str(current.label))}
            }
        )
    today = timezone.localdate()
    if status in settled:
        note = note.strip()
        if not note and status == ConditionStatus.WAIVED:
            raise ValidationError({"done_note": _("Say why the condition is waived.")})
        if not note:
            raise ValidationError({"done_note": _("Say what was done.")})
        done_on = done_on or today
        if done_on > today:
            raise ValidationError({"done_on": _("A condition cannot be done in the future.")})
        finding.done_note, finding.done_on, finding.done_by = note, done_on, by
    else:
        finding.done_note, finding.done_on, finding.done_by = "", None, None
    finding.condition_status = status
    as_done_by(finding, by).save(
        update_fields=["condition_status", "done_note", "done_on", "done_by"]
    )
    # The decision counts met and waived conditions.
    decision_inputs_changed_on(finding.assessment.alliance, by)
    return finding
