"""Reads with rules: scores of assessments, latest assessments of an alliance, findings.

Every function here runs a fixed number of queries, whatever the size of the bank.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from alliances.models import Alliance
from assessments.models import (
    Answer,
    Assessment,
    BankVersion,
    Dimension,
    Finding,
    Question,
    Response,
)
from assessments.scoring import (
    AnswerInput,
    AssessmentScore,
    DimensionSpec,
    QuestionSpec,
    ResponseInput,
    ResponseScore,
    Thresholds,
    VersionSpec,
    consolidate,
    score_response,
)


def version_spec(version: BankVersion) -> VersionSpec:
    """The scoring spec of a version (2 queries)."""
    dimensions = list(version.dimensions.order_by("order", "pk"))
    names = {d.pk: d.name for d in dimensions}
    questions = Question.objects.filter(dimension__version=version).order_by(
        "dimension__order", "dimension_id", "order", "pk"
    )
    return VersionSpec(
        dimensions=tuple(DimensionSpec(d.name, d.weight) for d in dimensions),
        questions=tuple(
            QuestionSpec(
                key=q.key,
                text=q.text,
                dimension=names[q.dimension_id],
                weight=q.weight,
                kind=q.kind,
                required=q.required,
                knockout_level=q.knockout_level,
            )
            for q in questions
        ),
        thresholds=Thresholds(
            go=version.go_threshold, no_go=version.no_go_threshold, gap=version.gap_threshold
        ),
    )


def _answer_input(row) -> AnswerInput:
    return AnswerInput(
        key=row["question__key"],
        score=row["choice__score"],
        is_na=row["is_na"],
        is_dont_know=row["is_dont_know"],
        has_text=bool(row["text"].strip()),
    )


ANSWER_FIELDS = ("response_id", "question__key", "choice__score", "is_na", "is_dont_know", "text")


def assessor_name(user) -> str:
    return user.get_full_name() or user.get_username()


def assessment_score(assessment: Assessment, *, submitted_only: bool = True) -> AssessmentScore:
    """Consolidated score of an assessment's (submitted) responses, in 4 queries."""
    spec = version_spec(assessment.version)
    responses = assessment.responses.select_related("assessor").order_by("assessor__username")
    if submitted_only:
        responses = responses.filter(status=Response.Status.SUBMITTED)
    responses = list(responses)
    by_response: dict[int, list[AnswerInput]] = {r.pk: [] for r in responses}
    rows = Answer.objects.filter(response__in=[r.pk for r in responses]).values(*ANSWER_FIELDS)
    for row in rows:
        by_response[row["response_id"]].append(_answer_input(row))
    return consolidate(
        spec,
        [ResponseInput(assessor_name(r.assessor), tuple(by_response[r.pk])) for r in responses],
    )


def response_score(response: Response) -> ResponseScore:
    spec = version_spec(response.assessment.version)
    rows = Answer.objects.filter(response=response).values(*ANSWER_FIELDS)
    return score_response(spec, [_answer_input(row) for row in rows])


def latest_submitted_assessments(alliance: Alliance) -> dict[str, Assessment]:
    """The alliance's latest submitted assessment of each bank kind (1 query)."""
    submitted = (
        Assessment.objects.filter(alliance=alliance, status=Assessment.Status.SUBMITTED)
        .select_related("version__bank")
        .order_by("-submitted_at", "-pk")
    )
    latest: dict[str, Assessment] = {}
    for assessment in submitted:
        latest.setdefault(assessment.version.bank.kind, assessment)
    return latest


def alliance_assessments(alliance: Alliance) -> QuerySet[Assessment]:
    """Every assessment of the alliance, newest first, with progress counts."""
    return (
        Assessment.objects.filter(alliance=alliance)
        .select_related("version__bank", "created_by")
        .annotate(
            assessor_count=Count("responses", distinct=True),
            submitted_count=Count(
                "responses", filter=Q(responses__status=Response.Status.SUBMITTED), distinct=True
            ),
            open_findings=Count(
                "findings",
                filter=Q(findings__classification=Finding.Classification.UNCLASSIFIED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def alliance_findings(alliance: Alliance, assessments=None) -> list[Finding]:
    """Findings of the given assessments (default: the latest submitted of each kind and
    every assessment in progress), showstoppers and unclassified first."""
    if assessments is None:
        latest = [a.pk for a in latest_submitted_assessments(alliance).values()]
        scope = Q(assessment_id__in=latest) | Q(assessment__status=Assessment.Status.DRAFT)
    else:
        scope = Q(assessment__in=assessments)
    findings = (
        Finding.objects.filter(scope, assessment__alliance=alliance)
        .select_related("assessment__version__bank", "question", "classified_by")
        .order_by("assessment_id", "question__dimension__order", "question__order")
    )
    rank = {
        Finding.Classification.SHOWSTOPPER: 0,
        Finding.Classification.UNCLASSIFIED: 1,
        Finding.Classification.MANAGEABLE: 2,
    }
    return sorted(findings, key=lambda f: rank[f.classification])


def fill_dimensions(version: BankVersion, response: Response) -> list[Dimension]:
    """Dimensions of the version with `question_count` and `answered_count` for the
    response (1 query), in order."""
    given = Q(questions__answers__response=response) & ~Q(
        questions__answers__choice__isnull=True,
        questions__answers__is_na=False,
        questions__answers__is_dont_know=False,
        questions__answers__text="",
    )
    return list(
        version.dimensions.annotate(
            question_count=Count("questions", distinct=True),
            answered_count=Count("questions__answers", filter=given, distinct=True),
        ).order_by("order", "pk")
    )


def dimension_questions(dimension: Dimension, response: Response) -> list[Question]:
    """The dimension's questions with their choices and `my_answer` (3 queries)."""
    questions = list(
        dimension.questions.order_by("order", "pk").prefetch_related(
            Prefetch("choices", to_attr="choice_list")
        )
    )
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(response=response, question__dimension=dimension)
    }
    for question in questions:
        question.my_answer = answers.get(question.pk)
        question.form_prefix = f"q{question.pk}"  # the AnswerForm prefix
    return questions


def progress(response: Response) -> tuple[int, int]:
    """(answered, total) questions of the response, in one query."""
    version_id = response.assessment.version_id
    counts = Question.objects.filter(dimension__version_id=version_id).aggregate(
        total=Count("pk", distinct=True),
        answered=Count(
            "answers",
            filter=Q(answers__response=response)
            & ~Q(
                answers__choice__isnull=True,
                answers__is_na=False,
                answers__is_dont_know=False,
                answers__text="",
            ),
            distinct=True,
        ),
    )
    return counts["answered"], counts["total"]


def answer_rows(assessment: Assessment, responses: list[Response]):
    """Questions of the version with each listed response's answer, for the results table
    (3 queries): a list of (dimension, [(question, [answer or None per response])])."""
    questions = list(
        Question.objects.filter(dimension__version_id=assessment.version_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "order", "pk")
    )
    answers = {
        (a.response_id, a.question_id): a
        for a in Answer.objects.filter(response__in=responses).select_related("choice")
    }
    grouped: list = []
    for question in questions:
        row = (question, [answers.get((r.pk, question.pk)) for r in responses])
        if grouped and grouped[-1][0].pk == question.dimension_id:
            grouped[-1][1].append(row)
        else:
            grouped.append((question.dimension, [row]))
    return grouped
