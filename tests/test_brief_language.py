"""A brief is written in the language of the person who asked for it: the language is
stored with the brief, the snapshot is built in it, the worker renders the PDF in it
(dates and numbers in its format) and the "ready" e-mail speaks it."""

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from pypdf import PdfReader

from briefs import worker
from briefs.models import Brief
from tests.factories import KPIFactory
from tests.test_briefs import make_assessed, pdf_of, prepare, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(open_team):
    make_assessed(open_team)
    KPIFactory(alliance=open_team.alliance, name="Co-sold ARR", target=Decimal("1250.50"))
    return open_team


def ask_in(language, client, team, settings, capture, role="manager"):
    """Prepare the brief as a reader whose language is `language` (the site's language for
    this client, and the language cookie the chooser sets)."""
    settings.LANGUAGE_CODE = language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with capture(execute=True):
        prepare(client, team, role=role)
    settings.LANGUAGE_CODE = "en-gb"
    return Brief.objects.filter(language=language).get()


def rendered_on_5_march(brief: Brief) -> str:
    """The brief's PDF as it renders for a brief made on 5 March 2026, as text."""
    Brief.objects.filter(pk=brief.pk).update(created_at=datetime(2026, 3, 5, 12, tzinfo=UTC))
    brief.refresh_from_db()
    return text_of(PdfReader(io.BytesIO(worker.brief_pdf(brief))))


def test_a_brief_asked_for_in_german_is_written_in_german(
    client, assessed, settings, django_capture_on_commit_callbacks
):
    brief = ask_in("de", client, assessed, settings, django_capture_on_commit_callbacks)
    assert brief.status == Brief.Status.READY, brief.error
    assert brief.language == "de"
    assert brief.snapshot["language"] == "de"
    # The snapshot was built in German: the KPI's figures in German number format.
    kpi = next(k for k in brief.snapshot["kpis"] if k["name"] == "Co-sold ARR")
    assert kpi["target"] == "1.250,5"
    # The worker renders in the brief's language whatever the site's (English here): the
    # date is German.
    assert translation.get_language() != "de"
    text = rendered_on_5_march(brief)
    assert "5. März 2026" in text
    assert "5 March 2026" not in text
    assert "1.250,5" in text
    # The page footer too (brief.css takes its words from the template).
    assert "Seite 1 von " in text
    assert "page 1 of" not in text
    # Depends on the German catalogue (locale/de): the sponsors' side label, translated.
    with translation.override("de"):
        our_side = translation.gettext("Our side")
    assert our_side in text


def test_the_same_evidence_asked_for_in_two_languages_gives_two_briefs(
    client, assessed, settings, django_capture_on_commit_callbacks
):
    german = ask_in("de", client, assessed, settings, django_capture_on_commit_callbacks)
    english = ask_in(
        "en-gb", client, assessed, settings, django_capture_on_commit_callbacks, role="executive"
    )
    assert german.pk != english.pk
    assert english.snapshot["language"] == "en-gb"
    text = rendered_on_5_march(english)
    assert "5 March 2026" in text
    assert "1,250.5" in text
    # Asking again in German gives the German brief back.
    again = ask_in("de", client, assessed, settings, django_capture_on_commit_callbacks)
    assert again.pk == german.pk
    assert "NO-GO" in text_of(pdf_of(again))


def test_the_ready_email_speaks_the_language_the_brief_was_asked_in(
    client, assessed, settings, django_capture_on_commit_callbacks
):
    brief = ask_in("de", client, assessed, settings, django_capture_on_commit_callbacks)
    manager = assessed.users["manager"]
    [message] = [m for m in mail.outbox if m.to == [manager.email]]
    # Depends on the German catalogue (locale/de) to differ from the English subject.
    with translation.override("de"):
        title = translation.gettext("The brief of %(alliance)s is ready (%(verdict)s)") % {
            "alliance": assessed.alliance.name,
            "verdict": brief.verdict,
        }
    assert message.subject == "[Alliance Readiness] " + title
    assert title != f"The brief of {assessed.alliance.name} is ready ({brief.verdict})"
    assert brief.get_absolute_url() in message.body


def test_the_brief_names_a_kpi_unit_apart_from_its_figures(
    client, assessed, django_capture_on_commit_callbacks
):
    KPIFactory(
        alliance=assessed.alliance, name="Joint solutions", unit="solutions", target=2, actual=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, assessed)
    text = text_of(pdf_of(Brief.objects.get()))
    assert "Joint solutions" in text
    assert "measured in solutions" in text
    assert "1 solutions" not in text
