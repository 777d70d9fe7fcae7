"""Spreadsheet exports of an assessment (answers, results); an alliance's findings export
(with the decision's conditions) is decisions/exports.py. Rows come from generators over
the selectors' queries, so a large export streams (kit/spreadsheets.py); each query count
is fixed (answers: one query per assessor or partner contact, never per question).

Who gets what is the pages' rule: the results page's readers (Action.VIEW) get the
submitted answers; those who run the assessment also see answers still in progress,
as the history page shows them. A two-sided assessment's partner answers and perception
gap come once the results page shows them: when both sides have submitted.
"""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.access import Action, can
from assessments import round_selectors, selectors
from assessments.models import Answer, Assessment, PartnerAnswer, PartnerInvitation, Response
from assessments.partner.selectors import partner_side
from banks.models import Question, QuestionBank
from kit.people import display_name
from kit.spreadsheets import Sheet

FORMATS = ("xlsx", "csv")


def export_responses(assessment: Assessment, user) -> list[Response]:
    """The responses `user` may read in an export, by assessor (1 query)."""
    responses = assessment.responses.select_related("assessor").order_by("assessor__username")
    if not can(user, Action.RUN_ASSESSMENT, assessment.alliance):
        responses = responses.filter(status=Response.Status.SUBMITTED)
    return list(responses)


def answer_header() -> list[str]:
    return [
        _("Assessor"),
        _("Response status"),
        _("Dimension"),
        _("Question key"),
        _("Question"),
        _("Answer"),
        _("Score (0–100)"),
        _("N/A"),
        _("Don't know"),
        _("Comment"),
        _("Evidence link"),
        _("Last changed"),
        # Last, so the columns before it stay where earlier exports had them.
        _("Side"),
    ]


ANSWER_WIDTHS = (20, 14, 24, 10, 60, 30, 10, 6, 10, 50, 40, 18, 20)


def shown_partner_contacts(assessment: Assessment) -> tuple[PartnerInvitation, ...]:
    """The partner contacts whose answers the results page compares with ours: those who
    submitted, once both sides have (blind until then). 1 query."""
    side = partner_side(assessment)
    if not (assessment.is_submitted and side.is_complete):
        return ()
    return side.submitted


def answer_rows(assessment: Assessment, responses: list[Response]) -> Iterator[list]:
    """A row per assessor × question of the version, in bank order, then a row per
    partner contact × question once both sides have submitted (`shown_partner_contacts`);
    an unanswered question is a row with empty answer cells. One query for the
    questions, then one per respondent: memory holds one respondent's answers at a time."""
    questions = list(
        Question.objects.filter(dimension__version_id=assessment.version_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "order", "pk")
    )
    ours = _("Our side")
    for response in responses:
        answers = Answer.objects.filter(response=response)
        yield from _respondent_rows(
            questions,
            answers,
            assessor=display_name(response.assessor),
            status=response.get_status_display(),
            side=ours,
        )
    partner = assessment.alliance.partner.name
    for contact in shown_partner_contacts(assessment):
        yield from _respondent_rows(
            questions,
            PartnerAnswer.objects.filter(invitation=contact),
            assessor=contact.name,
            status=Response.Status.SUBMITTED.label,
            side=partner,
        )


def _respondent_rows(questions, answers, *, assessor: str, status: str, side: str):
    """One respondent's rows (ours or a partner contact's: the answers have one shape)."""
    answers = {a.question_id: a for a in answers.select_related("choice").order_by()}
    for question in questions:
        answer = answers.get(question.pk)
        head = [assessor, status, question.dimension.name, question.key, question.text]
        if answer is None:
            yield [*head, "", None, False, False, "", "", None, side]
            continue
        yield [
            *head,
            answer.choice.label if answer.choice_id else answer.text,
            answer.choice.score if answer.choice_id else None,
            answer.is_na,
            answer.is_dont_know,
            answer.comment,
            getattr(answer, "evidence_url", ""),  # the partner's page asks for none
            answer.updated_at,
            side,
        ]


def result_sheets(assessment: Assessment) -> list[Sheet]:
    """The results page as sheets: overview, dimensions, questions (median and spread),
    gaps and knock-outs, a two-sided assessment's perception gap per dimension, and a
    reassessment's comparison with the previous round. Submitted answers only, as on the
    page; each score with the day it was submitted."""
    score = selectors.assessment_score(assessment)
    submitted = submitted_on(assessment)
    questions = {
        q.key: q
        for q in Question.objects.filter(dimension__version_id=assessment.version_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "order", "pk")
    }
    version = assessment.version
    overview = [
        [_("Assessment"), assessment.title],
        [_("Alliance"), assessment.alliance.name],
        [_("Question bank"), f"{version.bank.name_shown} v{version.number}"],
        [_("Status"), assessment.get_status_display()],
        [_("Submitted at"), assessment.submitted_at],
        [_("Overall score (0–100)"), _rounded(score.overall)],
        [_("Coverage (%)"), _rounded(score.coverage * 100)],
        [_("GO at or above"), score.thresholds.go],
        [_("NO-GO below"), score.thresholds.no_go],
        [_("Gap below"), score.thresholds.gap],
        [_("Assessors who submitted"), ", ".join(score.assessors)],
        [_("Knock-outs on the median answer"), len(score.knockouts)],
        [_("“Don't know” answers"), len(score.dont_know)],
    ]
    for name, own in score.per_assessor:
        overview.append([_("Overall of %(name)s") % {"name": name}, _rounded(own.overall)])
    dimensions = [
        [
            d.name,
            d.weight,
            _rounded(d.score),
            _rounded(d.coverage * 100),
            d.answered,
            d.total,
            submitted,
        ]
        for d in score.dimensions
    ]
    medians = score.median_by_key
    spread = {d.key: d.spread for d in score.disagreements}
    knocked = {k.key for k in score.knockouts}
    question_rows = [
        [
            q.dimension.name,
            key,
            q.text,
            q.weight,
            _rounded(medians.get(key)),
            spread.get(key),
            key in knocked,
            key in score.dont_know,
        ]
        for key, q in questions.items()
    ]
    gaps = [
        [g.key, g.dimension, _text(questions, g.key), _rounded(g.score), _rounded(g.priority, 2)]
        for g in score.gaps
    ]
    perception = _perception_sheet(assessment, score, overview)
    since = _comparison_sheet(assessment, overview)
    return [
        Sheet(_("Overview"), [_("Item"), _("Value")], overview, widths=(34, 60)),
        Sheet(
            _("Dimensions"),
            [
                _("Dimension"),
                _("Weight"),
                _("Score"),
                _("Coverage (%)"),
                _("Answered"),
                _("Of"),
                _("Submitted on"),
            ],
            dimensions,
            widths=(30, 8, 8, 12, 10, 6, 14),
        ),
        Sheet(
            _("Questions"),
            [
                _("Dimension"),
                _("Key"),
                _("Question"),
                _("Weight"),
                _("Median score"),
                _("Disagreement (levels)"),
                _("Knock-out"),
                _("Don't know"),
            ],
            question_rows,
            widths=(24, 8, 60, 8, 12, 12, 10, 10),
        ),
        Sheet(
            _("Gaps"),
            [_("Key"), _("Dimension"), _("Question"), _("Score"), _("Priority")],
            gaps,
            widths=(8, 24, 60, 8, 10),
        ),
        *perception,
        *since,
    ]


def submitted_on(assessment: Assessment):
    """The day the round was submitted (the evidence's date), or None while in progress."""
    submitted = assessment.submitted_at
    return timezone.localdate(submitted) if submitted else None


def _perception_sheet(assessment: Assessment, score, overview: list) -> list[Sheet]:
    """A two-sided assessment's perception gap per dimension, as the results page shows
    it; while blind, a line in the overview says so (no query for a one-sided bank)."""
    if assessment.version.bank.kind != QuestionBank.Kind.MUTUAL_FIT:
        return []
    perception = selectors.assessment_perception(assessment, score)
    if perception.is_blind:
        overview.append([_("Perception gap"), _("Blind until both sides have submitted.")])
        return []
    comparison = perception.comparison
    overview.append([_("Perception gap above (points)"), comparison.threshold])
    submitted = submitted_on(assessment)
    rows = [
        [
            row.dimension,
            _rounded(row.ours),
            _rounded(row.theirs),
            _rounded(row.difference),
            row.difference is not None and row.difference > comparison.threshold,
            submitted,
        ]
        for row in comparison.rows
    ]
    partner = assessment.alliance.partner.name
    return [
        Sheet(
            _("Perception gap"),
            [
                _("Dimension"),
                _("Our score"),
                _("Score of %(partner)s") % {"partner": partner},
                _("Difference (points)"),
                _("Perception gap"),
                _("Submitted on"),
            ],
            rows,
            widths=(30, 10, 14, 12, 12, 14),
        )
    ]


def _comparison_sheet(assessment: Assessment, overview: list) -> list[Sheet]:
    """A reassessment against the round it follows, as the results page compares them:
    Previous / Now / Change for the overall score, each dimension and each question, a
    two-sided round's perception gap per dimension, then what cannot be compared. None
    for a first round (no query)."""
    if assessment.previous_id is None:
        return []
    comparison = round_selectors.round_comparison(assessment)
    previous = assessment.previous
    overview.append([_("Previous round"), previous.title])
    overview.append([_("Previous round submitted at"), previous.submitted_at])
    overall, dimension, question = _("Overall"), _("Dimension"), _("Question")
    rows = [_change_row(overall, "", _("Overall"), comparison.overall)]
    rows += [_change_row(dimension, "", c.label, c) for c in comparison.dimensions]
    rows += [_change_row(question, c.key, c.label, c) for c in comparison.questions]
    gap = _("Perception gap (points apart)")
    rows += [[gap, "", m.dimension, m.before, m.after, m.change] for m in comparison.gap_moves]
    rows += [
        [_("Not comparable"), "", note, None, None, None] for note in comparison.not_comparable
    ]
    return [
        Sheet(
            _("Since the previous round"),
            [_("Scope"), _("Key"), _("Name"), _("Previous"), _("Now"), _("Change")],
            rows,
            widths=(16, 8, 60, 10, 10, 10),
        )
    ]


def _change_row(scope: str, key: str, name: str, change) -> list:
    return [scope, key, name, _rounded(change.before), _rounded(change.after), change.delta]


def _text(questions: dict, key: str) -> str:
    question = questions.get(key)
    return question.text if question else ""


def _rounded(value, digits: int = 1):
    return None if value is None else round(value, digits)


def results_csv_rows(assessment: Assessment) -> Iterator[list]:
    score = selectors.assessment_score(assessment)
    submitted = submitted_on(assessment)
    yield [
        _("Overall"),
        "",
        _rounded(score.overall),
        _rounded(score.coverage * 100),
        sum(d.answered for d in score.dimensions),
        sum(d.total for d in score.dimensions),
        submitted,
    ]
    for d in score.dimensions:
        yield [
            _("Dimension"),
            d.name,
            _rounded(d.score),
            _rounded(d.coverage * 100),
            d.answered,
            d.total,
            submitted,
        ]


def results_csv_header() -> list[str]:
    return [
        _("Scope"),
        _("Dimension"),
        _("Score"),
        _("Coverage (%)"),
        _("Answered"),
        _("Of"),
        _("Submitted on"),
    ]
