"""Our answers and findings as targets of evidence files (evidence/targets.py): the same
rights that edit their evidence on their own pages attach and remove their files."""

from django.urls import reverse
from django.utils.translation import gettext as _

from alliances.access import Action, can
from assessments.models import Answer, Finding
from banks.models import BankVersion
from banks.sections import section_positions
from evidence.targets import TargetKind


def _find_answer(alliance, pk):
    answer = (
        Answer.objects.select_related(
            "question", "response__assessor", "response__assessment__version"
        )
        .filter(pk=pk, response__assessment__alliance=alliance)
        .first()
    )
    if answer is not None:
        answer.response.assessment.alliance = alliance  # with the user's role on it
    return answer


def _may_change_answer(user, answer) -> bool:
    """The fill page's right: the assessor's own answer (Action.ANSWER)."""
    response = answer.response
    return response.assessor_id == user.pk and can(
        user, Action.ANSWER, response.assessment.alliance
    )


def _answer_locked(answer) -> str:
    if answer.response.is_submitted:
        return _(
            "This answer is submitted: its files stay as they were submitted. A manager can "
            "reopen the response if something must change."
        )
    if answer.response.assessment.version.status == BankVersion.Status.RETIRED:
        return _("This assessment's question bank version is retired: its answers are final.")
    return ""


def _answer_fill_url(answer) -> str:
    response = answer.response
    assessment = response.assessment
    position = section_positions(assessment.version).get(answer.question.dimension_id, 1)
    url = reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, response.pk])
    return f"{url}?d={position}#q-{answer.question_id}"


def _describe_answer(answer) -> str:
    return _("Answer to %(key)s “%(text)s” in “%(title)s”") % {
        "key": answer.question.key,
        "text": answer.question.text,
        "title": answer.response.assessment.title,
    }


def _find_finding(alliance, pk):
    finding = (
        Finding.objects.select_related("question", "assessment")
        .filter(pk=pk, assessment__alliance=alliance)
        .first()
    )
    if finding is not None:
        finding.assessment.alliance = alliance
    return finding


def _may_change_finding(user, finding) -> bool:
    """The finding page's right: whoever classifies findings (Action.RUN_ASSESSMENT)."""
    return can(user, Action.RUN_ASSESSMENT, finding.assessment.alliance)


def _finding_url(finding) -> str:
    assessment = finding.assessment
    return reverse(
        "assessments:finding", args=[assessment.alliance.slug, assessment.pk, finding.pk]
    )


def _describe_finding(finding) -> str:
    return _("Finding on %(key)s “%(text)s” in “%(title)s”") % {
        "key": finding.question.key,
        "text": finding.question.text,
        "title": finding.assessment.title,
    }


ANSWER = TargetKind(
    name="answer",
    model=Answer,
    label=lambda: _("answer"),
    find=_find_answer,
    may_change=_may_change_answer,
    locked=_answer_locked,
    back_url=_answer_fill_url,
    describe=_describe_answer,
    # The fill page is one form of many answers: a file form cannot sit inside it, so it
    # links each saved answer to its files page.
    page_shows_files=False,
)
FINDING = TargetKind(
    name="finding",
    model=Finding,
    label=lambda: _("finding"),
    find=_find_finding,
    may_change=_may_change_finding,
    locked=lambda finding: "",
    back_url=_finding_url,
    describe=_describe_finding,
)
