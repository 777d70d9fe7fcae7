"""A manager invites a partner contact; the contact opens the e-mailed link in a fresh
browser (no login), answers and submits; the manager's results show the perception gap."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from alliances.access import MANAGERS_GROUP
from alliances.models import Membership
from assessments.models import PartnerInvitation
from tests.assessment_factories import answer_all, make_version, start, submit
from tests.conftest import Team
from tests.factories import AllianceFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+(/partner/[\w-]+/)")
PHONE = {"width": 390, "height": 844}


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical accessibility violations on the page, as text."""
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_partner_contact_answers_through_the_link_and_the_manager_sees_the_gap(
    live_server, page, browser, login, csp_violations, settings
):
    settings.SITE_URL = live_server.url
    maya = UserFactory(
        username="maya", first_name="Maya", last_name="Patel", groups=[MANAGERS_GROUP]
    )
    alliance = AllianceFactory(name="Project Lighthouse", partner__name="Helios Analytics")
    MembershipFactory(alliance=alliance, user=maya, role=Membership.Role.MANAGER)
    version = make_version(
        slug="mutual-fit-e2e", kind="mutual_fit", name="Mutual fit", n_questions=4
    )
    team = Team(alliance=alliance, users={"manager": maya})
    assessment = start(team, version, assessors=("manager",), title="Both sides")
    response = assessment.responses.get()
    answer_all(response, 3)
    submit(response)

    # The manager invites a contact of the partner, through the confirmation page.
    login("maya")
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    page.get_by_role("link", name="Invite partner contacts").click()
    page.get_by_label("Partner contacts").fill("Dana Whitfield <dana@helios.example>")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#invite-confirm")).to_contain_text("Helios Analytics will learn")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Invited Dana Whitfield")).to_be_visible()
    expect(page.locator("#invitations")).to_contain_text("Dana Whitfield")
    link = LINK.search(mail.outbox[-1].body).group(1)

    # The contact opens the link in a fresh browser: no login, a phone-sized screen.
    partner_context = browser.new_context(viewport=PHONE)
    theirs = partner_context.new_page()
    opened = theirs.goto(f"{live_server.url}{link}")
    assert opened.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in opened.headers["cache-control"]
    expect(theirs.get_by_role("heading", name="Project Lighthouse")).to_be_visible()
    expect(theirs.get_by_text("0 of 4 answered")).to_be_visible()
    assert serious_violations(theirs) == []
    width = theirs.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    for section in (1, 2):
        for fieldset in theirs.locator("fieldset[id^=q-]").all():
            fieldset.get_by_label(re.compile(r"^1 — Weak")).check()
            expect(fieldset.locator("[role=status]")).to_contain_text("Saved")
        if section == 1:
            theirs.get_by_role("button", name="Next section").click()
    expect(theirs.get_by_text("4 of 4 answered")).to_be_visible()
    theirs.get_by_role("button", name="Review and submit").click()
    assert serious_violations(theirs) == []
    theirs.get_by_role("button", name="Submit my answers").click()
    expect(theirs.get_by_role("heading", name="Thank you")).to_be_visible()
    assert PartnerInvitation.objects.get().is_submitted
    partner_context.close()

    # The manager's results show both sides, the radar and the gaps.
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    expect(page.locator("#invitations [data-state]")).to_have_text("submitted")
    page.get_by_role("link", name="Results").click()
    expect(page.locator("#perception-radar")).to_be_visible()
    # The radar draws their side: its legend names them, its description gives their score.
    expect(page.locator("#perception-radar")).to_contain_text("Helios Analytics")
    expect(page.locator("#perception-radar-desc")).to_contain_text("Helios Analytics 25")
    expect(page.locator("#perception")).to_contain_text(
        "we score it 75, Helios Analytics scores it 25"
    )
    assert csp_violations == []
