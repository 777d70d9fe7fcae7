"""The workflow that moves people, in real browsers: a contributor sees "answers due" on
My work, fills in and submits; the manager is notified and requests sign-off; the
executive signs off from My work; the brief (read back with pypdf) shows the sign-off."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from alliances.access import MANAGERS_GROUP
from alliances.models import Membership
from assessments import services
from signoffs.models import SignOff
from tests.assessment_factories import make_version
from tests.e2e.test_executive_brief import brief_worker
from tests.factories import AllianceFactory, MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,  # the brief renders on a real worker when a broker is configured
    pytest.mark.django_db(transaction=True),
]


def test_answers_due_then_sign_off_requested_given_and_shown_in_the_brief(
    live_server, page, login, tmp_path, csp_violations
):
    maya = UserFactory(
        username="maya", first_name="Maya", last_name="Patel", groups=[MANAGERS_GROUP]
    )
    chris = UserFactory(username="chris", first_name="Chris", last_name="Okafor")
    elena = UserFactory(username="elena", first_name="Elena", last_name="Rossi")
    alliance = AllianceFactory(name="Cobalt Cloud co-sell")
    for user, role in ((maya, "manager"), (chris, "contributor"), (elena, "executive")):
        MembershipFactory(alliance=alliance, user=user, role=role)
    version = make_version(name="Strategic fit", n_questions=2, n_dimensions=1, knockouts={})
    services.assessment_start(
        alliance=alliance, version=version, title="Fit check", by=maya, assessors=[chris]
    )

    # The contributor's home page says what needs them: answers due, with progress.
    login("chris")
    my_work = page.locator("#my-work")
    expect(my_work).to_contain_text("Needs you now")
    my_work.get_by_role("link", name="Answer “Fit check”").click()
    for key in ("A1", "A2"):
        page.get_by_label(f"Largely ({key})").check()
        expect(page.locator("[id^=status-q]").filter(has_text="Saved")).not_to_have_count(0)
    expect(page.get_by_text("2 of 2 answered")).to_be_visible()
    page.get_by_role("button", name="Review and submit").click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name=re.compile("^Results"))).to_be_visible()
    page.context.clear_cookies()

    # The manager is notified, and asks the executive to sign off the decision.
    login("maya")
    expect(page.locator("#nav-unread")).to_be_visible()
    page.locator("#nav-bell").click()
    submitted = re.compile("every assessor of “Fit check” has submitted")
    expect(page.get_by_role("link", name=submitted)).to_be_visible()
    page.goto(f"{live_server.url}{alliance.get_absolute_url()}")
    page.get_by_role("link", name="Request sign-off").click()
    expect(page.get_by_label("Elena Rossi")).to_be_checked()
    page.get_by_label("Message to the executives").fill("Before the QBR, please.")
    page.get_by_role("button", name="Request sign-off").click()
    expect(page.get_by_text("Sign-off requested.")).to_be_visible()
    page.context.clear_cookies()

    # The executive signs off from My work.
    login("elena")
    page.locator("#my-work").get_by_role("link", name=re.compile("Sign off the decision")).click()
    expect(page.get_by_text("Maya Patel writes:")).to_be_visible()
    page.get_by_role("radio", name=re.compile("Approve")).check()
    page.get_by_label("Comment").fill("Agreed; proceed with the co-sell plan.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is recorded.")).to_be_visible()
    panel = page.locator("section", has=page.get_by_role("heading", name="Executive sign-off"))
    expect(panel).to_contain_text("Approved")
    expect(panel).to_contain_text("Elena Rossi")
    assert SignOff.objects.get(executive=elena).answer == SignOff.Answer.APPROVED

    # The brief shows who signed off, when and what they said.
    with brief_worker():
        page.get_by_role("link", name="Briefs", exact=True).click()
        page.get_by_role("button", name="Prepare brief").click()
        download_link = page.get_by_role("link", name="Download PDF")
        expect(download_link).to_be_visible(timeout=60_000)
        with page.expect_download() as download:
            download_link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(saved).pages)
    assert "Executive sign-off" in text
    assert "Elena Rossi: Approved" in text
    assert "Agreed; proceed with the co-sell plan." in text
    assert "by Maya Patel" in text
    assert Membership.objects.filter(alliance=alliance).count() == 3
    assert not csp_violations
