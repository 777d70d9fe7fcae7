"""A bank admin edits a bank without the manual: New draft, questions edited inside their
dimension on the version's page (nested inlines, under the strict CSP), Publish with its
differences; the version page fits a 1366 px wide screen."""

import pytest
from django.core.management import call_command

from banks.models import BankVersion, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_new_draft_edit_inside_the_version_and_publish_at_1366_px(
    live_server, page, login, csp_violations
):
    call_command("seed_demo", "--quiet-logins")
    page.set_viewport_size({"width": 1366, "height": 768})
    login("admin", "admin-demo")
    published = BankVersion.objects.filter(status="published").order_by("pk").first()
    page.goto(f"{live_server.url}/admin/banks/bankversion/{published.pk}/change/")
    assert horizontal_overflow(page) <= 0
    page.get_by_role("button", name="New draft").click()
    page.wait_for_load_state()
    draft = BankVersion.objects.get(bank=published.bank, status="draft")
    assert page.url.endswith(f"/admin/banks/bankversion/{draft.pk}/change/")
    assert horizontal_overflow(page) <= 0, "the draft's page scrolls sideways at 1366 px"

    # Reword the first question of the first dimension, right on the version's page.
    first = Question.objects.filter(dimension__version=draft).order_by("dimension__order", "order")[
        0
    ]
    text_input = page.locator("input[name$='-text']").first
    assert text_input.input_value() == first.text
    text_input.fill("Reworded in the version page")
    # Add a scale question to the first dimension with nested-admin's own button.
    dimension = page.locator(".djn-group-nested").first
    dimension.get_by_text("Add another Question").last.click()
    row = dimension.locator(".djn-item:not(.djn-empty-form)").last
    row.locator("input[name$='-key']").fill("Z9")
    row.locator("input[name$='-text']").fill("A question added in the browser")
    row.locator("input[name$='-order']").fill("99")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert "was changed successfully" in page.content(), page.content()[:3000]
    first.refresh_from_db()
    assert first.text == "Reworded in the version page"
    added = Question.objects.get(dimension__version=draft, key="Z9")
    assert [c.score for c in added.choices.order_by("order")] == [0, 25, 50, 75, 100]

    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    body = page.locator("#content-main").inner_text()
    assert "1 question added, 1 question reworded" in body
    assert horizontal_overflow(page) <= 0
    page.get_by_role("button", name="Yes, publish").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.status == "published"
    page.screenshot(path="/tmp/h12f-published.png", full_page=False)

    dimension = first.dimension
    for path in [
        "/admin/banks/bankversion/",
        "/admin/banks/question/",
        f"/admin/banks/question/{first.pk}/change/",
        f"/admin/banks/dimension/{dimension.pk}/change/",
        f"/admin/banks/questionbank/{draft.bank_id}/change/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert horizontal_overflow(page) <= 0, f"{path} scrolls sideways at 1366 px"
    assert not csp_violations, "\n".join(csp_violations)
