"""Before submitting, a summary of every answer; after it, a read-only copy (page, print
and PDF) for our assessors and the partner contact, and the partner's answers by e-mail
(assessments/copies.py)."""

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.partner import services as partner
from banks.models import Choice
from tests.assessment_factories import (
    answer_all,
    invite_partner,
    make_version,
    question,
    start,
    submit,
)

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
LINK = re.compile(r"https?://\S+/partner/([\w-]+)/copy/")


def pdf_text(content: bytes) -> str:
    """The PDF's text with all white space gone (line breaks may fall anywhere)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def assessment(open_team):
    # A6 is an optional text question: it may stay unanswered at submit time.
    version = make_version(slug="copy-fit", text_keys=("A6",))
    return start(open_team, version)


def mine(assessment, team):
    return assessment.responses.get(assessor=team.users["manager"])


def urls(assessment, response):
    args = [assessment.alliance.slug, assessment.pk, response.pk]
    return {
        name: reverse(f"assessments:{name}", args=args)
        for name in ("submit", "fill", "response_copy", "response_pdf")
    }


def answer_with_notes(response, key, level, *, comment="", evidence_url=""):
    q = question(response.assessment.version, key)
    services.answer_save(
        response=response,
        question=q,
        value=services.AnswerValue(
            choice=Choice.objects.get(question=q, score=level * 25),
            comment=comment,
            evidence_url=evidence_url,
        ),
        by=response.assessor,
    )


# ---------------------------------------------------------------- our assessors


def test_the_submit_page_summarises_every_answer_and_links_the_unanswered_ones(
    client, open_team, assessment
):
    response = mine(assessment, open_team)
    answer_all(response, 3)
    answer_with_notes(
        response, "A2", 1, comment="Board minutes pending", evidence_url="https://docs.example/a2"
    )
    client.force_login(open_team.users["manager"])
    page = client.get(urls(assessment, response)["submit"])
    assert page.status_code == 200
    html = page.content.decode()
    summary = html[html.index('id="answer-summary"') :]
    assert "Largely (A1)" in summary  # the level's label, not a number
    assert "Weak (A2)" in summary
    assert "Board minutes pending" in summary
    assert 'href="https://docs.example/a2"' in summary
    # The optional A6 is unanswered: the summary says so and links to it on its section.
    a6 = question(assessment.version, "A6")
    assert f"{urls(assessment, response)['fill']}?d=2#q-{a6.pk}" in summary
    assert 'id="unanswered-note"' in html
    assert "Submit my answers" in html


def test_after_submitting_the_assessor_reads_every_answer_read_only(client, open_team, assessment):
    response = mine(assessment, open_team)
    answer_all(response, 2)
    answer_with_notes(response, "A3", 4, comment="Signed in March")
    submit(response)
    client.force_login(open_team.users["manager"])
    page = client.get(urls(assessment, response)["response_copy"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Signed in March" in html
    assert "Fully evidenced (A3)" in html
    assert "Partial (A1)" in html
    assert "<form" not in html[html.index('class="col-lg-9 response-copy"') :]  # read-only
    assert urls(assessment, response)["response_pdf"] in html
    detail = client.get(assessment.get_absolute_url()).content.decode()
    assert urls(assessment, response)["response_copy"] in detail


def test_who_reads_a_response_copy_follows_the_results_page(client, open_team, assessment):
    response = mine(assessment, open_team)
    answer_all(response, 2)
    copy = urls(assessment, response)["response_copy"]
    pdf = urls(assessment, response)["response_pdf"]
    # In progress: its assessor and those who run the assessment, nobody else.
    for role, status in (
        ("manager", 200),
        ("superuser", 200),
        ("contributor", 403),
        ("viewer", 403),
        ("outsider", 403),
    ):
        client.force_login(open_team.users[role])
        assert client.get(copy).status_code == status, role
        assert client.get(pdf).status_code == status, role
    submit(response)
    # Submitted: whoever reads the results page.
    client.force_login(open_team.users["viewer"])
    assert client.get(copy).status_code == 200
    # A response id of another assessment is not found under this one.
    other = start(open_team, make_version(slug="other-fit"), title="Other")
    args = [assessment.alliance.slug, other.pk, response.pk]
    assert client.get(reverse("assessments:response_copy", args=args)).status_code == 404


def test_the_response_pdf_carries_every_answer(client, open_team, assessment):
    response = mine(assessment, open_team)
    answer_all(response, 3)
    answer_with_notes(response, "A4", 0, comment="No budget line yet")
    submit(response)
    client.force_login(open_team.users["manager"])
    reply = client.get(urls(assessment, response)["response_pdf"])
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    assert "attachment" in reply["Content-Disposition"]
    text = pdf_text(reply.content)
    assert squash("Question A1 is well evidenced.") in text
    assert squash("Largely (A1)") in text
    assert squash("None (A4)") in text
    assert squash("No budget line yet") in text
    assert squash(assessment.alliance.name) in text


# ---------------------------------------------------------------- the partner contact


@pytest.fixture
def two_sided(open_team):
    version = make_version(slug="copy-mutual", kind="mutual_fit")
    return start(open_team, version, title="Both sides")


def invite(assessment, team, token, *, email="pat@partner.example", label="Project Lighthouse"):
    return invite_partner(
        assessment, by=team.users["manager"], token=token, email=email, label=label
    )


def partner_answers(invitation, level=2, comment=""):
    for q in invitation.assessment.version.dimensions.all():
        for each in q.questions.all():
            partner.partner_answer_save(
                invitation=invitation,
                question=each,
                value=services.AnswerValue(
                    choice=Choice.objects.get(question=each, score=level * 25),
                    comment=comment if each.key == "A1" else "",
                ),
            )


def test_the_partner_gets_their_answers_by_email_when_they_submit(
    client, open_team, two_sided, django_capture_on_commit_callbacks
):
    token = "copy-link-token-0123456789abcdefghijklmn"
    invitation = invite(two_sided, open_team, token)
    partner_answers(invitation, 3, comment="Our CFO agrees")
    mail.outbox.clear()
    submit_url = reverse("partner:submit", args=[token])
    summary = client.get(submit_url).content.decode()
    assert "Our CFO agrees" in summary
    assert "Largely (A1)" in summary
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(submit_url).status_code == 302
    (sent,) = mail.outbox
    assert sent.to == ["pat@partner.example"]
    assert "Project Lighthouse" in sent.subject
    assert "Question A1 is well evidenced." in sent.body
    assert "Largely (A1)" in sent.body
    assert "Our CFO agrees" in sent.body
    assert LINK.search(sent.body).group(1) == token
    thanks = client.get(reverse("partner:fill", args=[token])).content.decode()
    assert reverse("partner:copy_pdf", args=[token]) in thanks


def test_the_partner_reads_and_downloads_their_answers_from_the_link(client, open_team, two_sided):
    token = "copy-link-token-0123456789abcdefghijklmn"
    invitation = invite(two_sided, open_team, token)
    partner_answers(invitation, 1, comment="Needs a joint steering board")
    partner.partner_submit(invitation=invitation)
    page = client.get(reverse("partner:copy", args=[token]))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert "Needs a joint steering board" in page.content.decode()
    assert "<form" not in page.content.decode().split('class="col-lg-9 response-copy"')[1]
    reply = client.get(reverse("partner:copy_pdf", args=[token]))
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    assert "no-store" in reply["Cache-Control"]
    text = pdf_text(reply.content)
    assert squash("Needs a joint steering board") in text
    assert squash("Weak (A1)") in text
    assert squash("Project Lighthouse") in text


def test_another_partners_link_cannot_read_the_copy(client, open_team, two_sided):
    first = invite(two_sided, open_team, "first-link-token-0123456789abcdefghijkl")
    invite(two_sided, open_team, "second-link-token-0123456789abcdefghijk", email="sam@p.example")
    partner_answers(first, 4, comment="first-contact-secret")
    partner.partner_submit(invitation=first)
    for name in ("partner:copy", "partner:copy_pdf"):
        other = client.get(reverse(name, args=["second-link-token-0123456789abcdefghijk"]))
        assert other.status_code == 200
        body = other.content.decode() if name == "partner:copy" else pdf_text(other.content)
        assert "first-contact-secret" not in body
        assert (
            client.get(reverse(name, args=["no-such-link-0123456789abcdefghijk"])).status_code
            == 404
        )
    # Our side's copy pages do not open for a partner's browser either.
    response = two_sided.responses.get(assessor=open_team.users["manager"])
    assert client.get(urls(two_sided, response)["response_copy"]).status_code == 302


def test_hostile_text_is_escaped_on_every_copy(client, open_team, assessment, two_sided):
    response = mine(assessment, open_team)
    answer_all(response, 2)
    answer_with_notes(response, "A1", 2, comment=HOSTILE)
    client.force_login(open_team.users["manager"])
    for url in (urls(assessment, response)["submit"], urls(assessment, response)["response_copy"]):
        html = client.get(url).content.decode()
        assert HOSTILE not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    pdf = client.get(urls(assessment, response)["response_pdf"])
    assert squash(HOSTILE) in pdf_text(pdf.content)  # shown literally, never run or fetched

    token = "hostile-link-token-0123456789abcdefghij"
    invitation = invite(two_sided, open_team, token, label=f"Lighthouse {HOSTILE}")
    partner_answers(invitation, 2, comment=HOSTILE)
    client.logout()
    for name in ("partner:submit", "partner:copy"):
        html = client.get(reverse(name, args=[token])).content.decode()
        assert HOSTILE not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    text = pdf_text(client.get(reverse("partner:copy_pdf", args=[token])).content)
    assert text.count(squash(HOSTILE)) == 2  # the label and the comment, as typed
