"""A respondent's answers in one piece, as given: the summary before submitting, the
read-only copy after it (page, print and PDF) and the copy e-mailed to a partner contact
once they submit.

One reader for our assessor's response and a partner contact's invitation
(assessments/respondents.py), so every copy shows the same answers the same way and
the summary's "not answered" links go where the fill page shows that question. Nothing
here reads more than the fill pages do: the version's sections (banks/sections.py) and
the respondent's answers by question id, worded in the reader's language.

Who may read our response's copy is the rule of the results page and the answers export
(assessments/exports.py): a submitted response, whoever may read the alliance; one still
in progress, its assessor and those who run the assessment. A partner contact's copy is
reached through their own link only (assessments/partner/views.py).

The PDF renders in the request (one response is a few pages) through kit/pdf.py, which
fetches nothing but our static files; the templates escape every answer, comment and
link, as the pages do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import get_valid_filename
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from alliances.access import Action, can
from assessments.models import PartnerInvitation, Response
from banks.models import Question
from banks.sections import version_sections
from kit.mail import mail_queue
from kit.site_url import absolute_url

# What the mail path calls the e-mail of a partner contact's submitted answers.
COPY_MAIL = "partner_answers_copy"


@dataclass(frozen=True)
class CopyRow:
    """One question and the answer given to it, in words."""

    question: Question  # from the version's sections (shared: read, never annotated)
    given: bool
    level: str  # the chosen level's label, "N/A" or "Don't know"; "" for none
    text: str  # a text question's answer
    comment: str
    evidence_url: str  # "" where the respondent keeps no evidence link
    fill_url: str  # where the fill page shows this question ("" when not asked for)


@dataclass(frozen=True)
class CopySection:
    dimension: object  # banks.models.Dimension
    position: int  # the `?d=` of its fill page
    rows: tuple[CopyRow, ...]

    @property
    def answered_count(self) -> int:
        return sum(1 for row in self.rows if row.given)


def _level(question, answer) -> str:
    if answer.is_na:
        return _("N/A")
    if answer.is_dont_know:
        return _("Don't know")
    if answer.choice_id:
        choice = next((c for c in question.choice_list if c.pk == answer.choice_id), None)
        return choice.label if choice is not None else ""
    return ""


def copy_sections(
    respondent: Response | PartnerInvitation,
    answers: dict,
    fill_url: Callable[[int], str] | None = None,
) -> list[CopySection]:
    """The respondent's questionnaire section by section, each question with its answer
    among `answers` (by question id, as the fill pages read them). `fill_url(position)`,
    when given, links each question to its place on the fill page. No query for a
    released version this process has read."""
    keeps_evidence = respondent.keeps_evidence
    sections = []
    for position, section in enumerate(version_sections(respondent.assessment.version), 1):
        page = fill_url(position) if fill_url else ""
        rows = []
        for question in section.questions:
            answer = answers.get(question.pk)
            rows.append(
                CopyRow(
                    question=question,
                    given=answer is not None and answer.is_given,
                    level=_level(question, answer) if answer else "",
                    # As the fill page: only a text question shows an answer's text.
                    text=answer.text if answer and question.kind == Question.Kind.TEXT else "",
                    comment=answer.comment if answer else "",
                    evidence_url=answer.evidence_url if answer and keeps_evidence else "",
                    fill_url=f"{page}#q-{question.pk}" if page else "",
                )
            )
        sections.append(CopySection(section.dimension, position, tuple(rows)))
    return sections


def unanswered(sections: list[CopySection]) -> list[CopyRow]:
    return [row for section in sections for row in section.rows if not row.given]


# ---------------------------------------------------------------- who reads our copy


def ensure_may_read_response(user, response: Response) -> None:
    """The results page's rule for one response: submitted answers to whoever may read the
    alliance (the caller checked Action.VIEW); answers in progress to their assessor and
    to those who run the assessment. Else PermissionDenied, in words."""
    alliance = response.assessment.alliance
    if response.is_submitted or response.assessor_id == user.pk:
        return
    if can(user, Action.RUN_ASSESSMENT, alliance):
        return
    raise PermissionDenied(
        _("This response is still in progress: its answers show once its assessor submits.")
    )


# ---------------------------------------------------------------- the PDF


def submitted_state(submitted_at, pending: str) -> str:
    """“submitted 7 December 2026, 14:30”, or `pending` while not submitted: the copy's
    header line, ours and the partner's."""
    if submitted_at is None:
        return pending
    return _("submitted %(when)s") % {
        "when": date_format(localtime(submitted_at), "DATETIME_FORMAT")
    }


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    """The copy rendered to PDF as a download (WeasyPrint imported here, on demand)."""
    from kit.pdf import render_pdf, static_url

    html = render_to_string(template, {**context, "stylesheet": static_url("css/copy.css")})
    pdf, _refused = render_pdf(html)  # refused URLs are logged by the fetcher
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{get_valid_filename(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- the partner's e-mail


def partner_copy_urls(token: str) -> dict:
    """The read-only copy and its PDF, as links to e-mail."""
    return {
        "copy_url": absolute_url(reverse("partner:copy", args=[token])),
        "pdf_url": absolute_url(reverse("partner:copy_pdf", args=[token])),
    }


def partner_copy_mail(invitation: PartnerInvitation, answers: dict, *, company: str, token=""):
    """Queue the e-mail of a partner contact's submitted answers on the one mail path (sent
    after the caller's transaction commits). With the link's `token`, the e-mail also
    links the read-only copy and its PDF."""
    context = {
        "invitation": invitation,
        "company": company,
        "sections": copy_sections(invitation, answers),
        **(partner_copy_urls(token) if token else {}),
    }
    subject = _("Your answers on the alliance “%(alliance)s”") % {
        "alliance": invitation.alliance_label
    }
    mail_queue(
        to=[invitation.email],
        subject=subject,
        body=render_to_string("assessments/partner/answers_email.txt", context),
        purpose=COPY_MAIL,
        object_id=invitation.pk,
    )
