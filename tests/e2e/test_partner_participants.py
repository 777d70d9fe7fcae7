"""The manager invites two partner contacts at once from the alliance page and copies one
contact's link; that contact answers and submits through it, the other is reminded by
the daily job; the manager shares the gap by dimension and the partner's link shows it,
and nothing else."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alliances.access import MANAGERS_GROUP
from alliances.models import Membership
from assessments.models import Assessment, PartnerInvitation
from assessments.partner.reminders import remind_partner_contacts
from tests.assessment_factories import answer_all, give, make_version, start, submit
from tests.conftest import Team
from tests.factories import AllianceFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(https?://[^/\s]+)(/partner/[\w-]+/)")


def test_two_contacts_invited_from_the_alliance_page_one_answers_one_is_reminded_gap_shared(
    live_server, page, browser, login, csp_violations, settings
):
    settings.SITE_URL = ""  # links follow the address the manager reached
    maya = UserFactory(
        username="maya", first_name="Maya", last_name="Patel", groups=[MANAGERS_GROUP]
    )
    alliance = AllianceFactory(name="Project Lighthouse", partner__name="Helios Analytics")
    MembershipFactory(alliance=alliance, user=maya, role=Membership.Role.MANAGER)
    version = make_version(
        slug="mutual-fit-e2e2", kind="mutual_fit", name="Mutual fit", n_questions=4
    )
    team = Team(alliance=alliance, users={"manager": maya})
    assessment = start(team, version, assessors=("manager",), title="Both sides")
    response = assessment.responses.get()
    answer_all(response, 3)
    give(response, "A1", 3, comment="our-internal-comment-e2e")
    submit(response)

    # From the alliance page, one click to the invitation; two contacts pasted at once.
    login("maya")
    page.goto(f"{live_server.url}{alliance.get_absolute_url()}")
    page.get_by_role("link", name="Invite the partner").click()
    page.get_by_label("Partner contacts").fill(
        "Dana Whitfield <dana@helios.example>\nLee Chen <lee@helios.example>"
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#invite-confirm")).to_contain_text("questionnaire “Both sides”")
    expect(page.locator("#invitees li")).to_have_count(2)
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Invited Dana Whitfield, Lee Chen")).to_be_visible()
    expect(page.locator("#invitations [data-state]")).to_have_text(["invited", "invited"])
    # The e-mailed links point where the manager reached the server.
    assert {m.to[0] for m in mail.outbox} == {"dana@helios.example", "lee@helios.example"}
    assert all(LINK.search(m.body).group(1) == live_server.url for m in mail.outbox)

    # The manager copies Dana's link (a new one: the e-mailed one stops working).
    page.get_by_role("link", name="Copy link Dana Whitfield").click()
    page.get_by_role("button", name="Show a new link").click()
    link = page.locator("#partner-link").input_value()
    assert link.startswith(f"{live_server.url}/partner/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#partner-link-status")).to_have_text("Copied")

    # Dana answers and submits through the copied link, in a fresh browser.
    theirs_context = browser.new_context()
    theirs = theirs_context.new_page()
    theirs.goto(link)
    for section in (1, 2):
        for fieldset in theirs.locator("fieldset[id^=q-]").all():
            fieldset.get_by_label(re.compile(r"^1 — Weak")).check()
            expect(fieldset.locator("[role=status]")).to_contain_text("Saved")
        if section == 1:
            theirs.get_by_role("button", name="Next section").click()
    theirs.get_by_role("button", name="Review and submit").click()
    theirs.get_by_role("button", name="Submit my answers").click()
    expect(theirs.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(theirs.locator("#shared-result")).to_have_count(0)  # nothing shared by default
    # Dana gets her copy: her answers by e-mail, and a link to read or print them.
    (copy,) = [m for m in mail.outbox if m.subject.startswith("Your answers")]
    assert copy.to == ["dana@helios.example"]
    assert "Answer: Weak (A1)" in copy.body
    her_copy = theirs_context.new_page()
    her_copy.goto(re.search(r"(http\S+/copy/)", copy.body).group(1))
    expect(her_copy.locator("main")).to_contain_text("Weak (A1)")
    her_copy.close()

    # Lee has not answered: the daily job reminds them (3 days before the due date).
    today = timezone.localdate()
    Assessment.objects.filter(pk=assessment.pk).update(
        partner_due_date=today + datetime.timedelta(days=3)
    )
    mail.outbox.clear()
    assert remind_partner_contacts(today) == 1
    assert remind_partner_contacts(today) == 0
    (reminder,) = mail.outbox
    assert reminder.to == ["lee@helios.example"]
    assert reminder.subject.startswith("Reminder:")
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    lee = page.locator("#invitations tr", has_text="Lee Chen")
    expect(lee.locator(".last-reminder")).to_have_text(today.strftime("%-d %b %Y"))
    expect(
        page.locator("#invitations tr", has_text="Dana Whitfield").locator("[data-state]")
    ).to_have_text("submitted")

    # Lee will not answer: the manager revokes the link, and shares the gap by dimension.
    page.get_by_role("link", name="Revoke Lee Chen").click()
    page.get_by_role("button", name="Revoke link").click()
    page.get_by_role("link", name="Due date, reminders, sharing").click()
    page.get_by_label("The perception gap by dimension", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#partner-settings [data-share]")).to_have_attribute(
        "data-share", "dimensions"
    )

    # Dana's link now shows the gap by dimension, and nothing else of ours.
    theirs.reload()
    shared = theirs.locator("#shared-result")
    expect(shared).to_be_visible()
    expect(shared.locator("#shared-dimensions tbody tr").first).to_contain_text("Dimension 1")
    expect(shared.locator("#shared-dimensions tbody tr").first).to_contain_text("75")
    expect(shared.locator("#shared-dimensions tbody tr").first).to_contain_text("25")
    expect(theirs.locator("#shared-questions")).to_have_count(0)
    body = theirs.content()
    assert "our-internal-comment-e2e" not in body
    assert f"/alliances/{alliance.slug}" not in body
    assert PartnerInvitation.objects.get(email="dana@helios.example").is_submitted
    theirs_context.close()
    assert csp_violations == []
