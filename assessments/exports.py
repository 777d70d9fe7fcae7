"""Spreadsheet exports of an assessment (answers, results); an alliance's findings export
(with the decision's conditions) is decisions/exports.py. Rows come from generators over
the selectors' queries, so a large export streams (kit/spreadsheets.py); each query count
is fixed (answers: one query per assessor, never per question).

Who gets what is the pages' rule: the results page's readers (Action.VIEW) get the
submitted answers; those who run the assessment also see answers still in progress,
as the history page shows them.
"""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from alliances.access import Action, can
from assessments import selectors
from assessments.models import Answer, Assessment, Response
from banks.models import Question
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
    ]


ANSWER_WIDTHS = (20, 14, 24, 10, 60, 30, 10, 6, 10, 50, 40, 18)


def answer_rows(assessment: Assessment, responses: list[Response]) -> Iterator[list]:
    """A row per assessor × question of the version, in bank order; an unanswered
    question is a row with empty answer cells. One query for the questions, then one per
    response: memory holds one assessor's answers at a time."""
    questions = list(
        Question.objects.filter(dimension__version_id=assessment.version_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "order", "pk")
    )
    for response in responses:
        answers = {
            a.question_id: a
            for a in Answer.objects.filter(response=response).select_related("choice").order_by()
        }
        assessor = display_name(response.assessor)
        status = response.get_status_display()
        for question in questions:
            answer = answers.get(question.pk)
            head = [assessor, status, question.dimension.name, question.key, question.text]
            if answer is None:
                yield [*head, "", None, False, False, "", "", None]
                continue
            yield [
                *head,
                answer.choice.label if answer.choice_id else answer.text,
                answer.choice.score if answer.choice_id else None,
                answer.is_na,
                answer.is_dont_know,
                answer.comment,
                answer.evidence_url,
                answer.updated_at,
            ]


def result_sheets(assessment: Assessment) -> list[Sheet]:
    """The results page as sheets: overview, dimensions, questions (median and spread),
    gaps and knock-outs. Submitted answers only, as on the page."""
    score = selectors.assessment_score(assessment)
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
        [_("Question bank"), f"{version.bank.name} v{version.number}"],
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
        [d.name, d.weight, _rounded(d.score), _rounded(d.coverage * 100), d.answered, d.total]
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
    return [
        Sheet(_("Overview"), [_("Item"), _("Value")], overview, widths=(34, 60)),
        Sheet(
            _("Dimensions"),
            [_("Dimension"), _("Weight"), _("Score"), _("Coverage (%)"), _("Answered"), _("Of")],
            dimensions,
            widths=(30, 8, 8, 12, 10, 6),
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
    ]


def _text(questions: dict, key: str) -> str:
    question = questions.get(key)
    return question.text if question else ""


def _rounded(value, digits: int = 1):
    return None if value is None else round(value, digits)


def results_csv_rows(assessment: Assessment) -> Iterator[list]:
    score = selectors.assessment_score(assessment)
    yield [
        _("Overall"),
        "",
        _rounded(score.overall),
        _rounded(score.coverage * 100),
        sum(d.answered for d in score.dimensions),
        sum(d.total for d in score.dimensions),
    ]
    for d in score.dimensions:
        yield [
            _("Dimension"),
            d.name,
            _rounded(d.score),
            _rounded(d.coverage * 100),
            d.answered,
            d.total,
        ]


def results_csv_header() -> list[str]:
    return [_("Scope"), _("Dimension"), _("Score"), _("Coverage (%)"), _("Answered"), _("Of")]
