"""Autosave that never loses a word: typed text saves after a pause, leaving with text
not yet saved asks first, and a refused evidence link is marked while the rest saves."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer
from tests.assessment_factories import make_version, question, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fill_page(live_server, page, login, open_team):
    version = make_version(n_questions=4, n_dimensions=1)
    assessment = start(open_team, version)
    mine = assessment.responses.get(assessor=open_team.users["manager"])
    url = reverse("assessments:fill", args=[open_team.alliance.slug, assessment.pk, mine.pk])
    login("open-manager")
    page.goto(f"{live_server.url}{url}")
    return page, version, mine


def test_a_comment_saves_while_the_cursor_is_still_in_the_box(fill_page):
    page, version, mine = fill_page
    q = question(version, "A2")
    box = page.get_by_label("Comment on A2")
    box.click()
    page.keyboard.type("Confirmed at the March board")
    expect(box).to_be_focused()  # never left the box
    expect(page.locator(f"#status-q{q.pk}")).to_contain_text("Saved", timeout=5000)
    assert Answer.objects.get(response=mine, question=q).comment == "Confirmed at the March board"
    page.reload()
    expect(page.get_by_label("Comment on A2")).to_have_value("Confirmed at the March board")


def test_leaving_with_text_not_yet_saved_asks_first(fill_page):
    page, version, mine = fill_page
    page.get_by_label("Comment on A3").click()
    page.keyboard.type("Half a thought")
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", stay)
    # Reload at once, before the pause that saves it: the browser asks, the user stays.
    with page.expect_event("dialog", timeout=5000) as asked:
        page.evaluate("location.reload()")
    assert asked.value.type == "beforeunload"
    expect(page.get_by_label("Comment on A3")).to_have_value("Half a thought")
    # Once the text is saved, leaving asks nothing: the reload goes through (a dialog
    # would be dismissed, keeping the page, and the reload would time out).
    q = question(version, "A3")
    expect(page.locator(f"#status-q{q.pk}")).to_contain_text("Saved", timeout=5000)
    assert Answer.objects.get(response=mine, question=q).comment == "Half a thought"
    page.reload(timeout=10000)
    expect(page.get_by_label("Comment on A3")).to_have_value("Half a thought")
    assert dialogs == ["beforeunload"]


def test_a_refused_evidence_link_is_marked_and_the_rest_is_saved(fill_page):
    page, version, mine = fill_page
    q = question(version, "A1")
    card = page.locator(f"#q-{q.pk}")
    card.get_by_label("Largely (A1)").check()
    expect(page.locator(f"#status-q{q.pk}")).to_contain_text("Saved")
    card.get_by_label("Comment on A1").fill("Board minutes of 3 March")
    link = card.get_by_label("Evidence link for A1")
    link.fill("not a link")
    link.press("Tab")
    status = page.locator(f"#status-q{q.pk}")
    expect(status).to_contain_text("Evidence link not saved: Enter a valid URL.")
    expect(status).to_contain_text("Your level and comment were saved at")
    expect(link).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(link).to_have_attribute("aria-invalid", "true")
    answer = Answer.objects.get(response=mine, question=q)
    assert (answer.choice.score, answer.comment, answer.evidence_url) == (
        75,
        "Board minutes of 3 March",
        "",
    )
    # Correcting the link saves it and clears the mark.
    link.fill("https://intranet.example/minutes")
    link.press("Tab")
    expect(status).to_contain_text("✓ Saved")
    expect(link).not_to_have_class(re.compile(r"\bis-invalid\b"))
    answer.refresh_from_db()
    assert answer.evidence_url == "https://intranet.example/minutes"
