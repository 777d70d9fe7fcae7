"""A manager starts an assessment; two assessors fill it in at once in real browsers; the
results show scores, chart, findings and disagreements."""

import re

import pytest
from playwright.sync_api import expect

from alliances.access import MANAGERS_GROUP
from alliances.models import Membership
from assessments.models import Answer, Assessment, Finding
from tests.assessment_factories import make_version, question
from tests.factories import AllianceFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def choose(page, version, key, label):
    """Click an answer and wait for its autosave to confirm."""
    q = question(version, key)
    page.locator(f"#q-{q.pk}").get_by_label(label).check()
    expect(page.locator(f"#status-q{q.pk}")).to_contain_text("Saved")


def test_two_assessors_fill_in_a_strategic_fit_assessment(live_server, page, browser):
    maya = UserFactory(
        username="maya", first_name="Maya", last_name="Patel", groups=[MANAGERS_GROUP]
    )
    chris = UserFactory(username="chris", first_name="Chris", last_name="Okafor")
    alliance = AllianceFactory(name="Project Aurora", is_confidential=True)
    MembershipFactory(alliance=alliance, user=maya, role=Membership.Role.MANAGER)
    MembershipFactory(alliance=alliance, user=chris, role=Membership.Role.CONTRIBUTOR)
    version = make_version(name="Strategic fit", n_questions=4, n_dimensions=2)

    # The manager starts the assessment with both of them as assessors.
    log_in(page, live_server, "maya")
    page.goto(f"{live_server.url}{alliance.get_absolute_url()}")
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name="Start an assessment").first.click()
    page.get_by_label("Question bank").select_option(label="Strategic fit (version 1)")
    page.get_by_label("Title").fill("Strategic fit before the MoU")
    expect(page.get_by_label("Maya Patel")).to_be_checked()
    # Assessors are picked by typing a name: the suggestion joins the ticked list.
    page.get_by_role("searchbox", name="Assessors").fill("chri")
    page.get_by_role("button", name="Chris Okafor").click()
    expect(page.get_by_label("Chris Okafor")).to_be_checked()
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_text("Assessment started")).to_be_visible()
    assessment = Assessment.objects.get()

    # The contributor opens the same assessment in another browser, at the same time.
    other = browser.new_context()
    chris_page = other.new_page()
    log_in(chris_page, live_server, "chris")
    chris_page.goto(f"{live_server.url}{assessment.get_absolute_url()}")
    chris_page.get_by_role("link", name="Fill in your answers").click()

    page.get_by_role("link", name="Fill in your answers").click()
    expect(page.get_by_text("0 of 4 answered")).to_be_visible()

    # Both answer the same knock-out question differently, interleaved.
    choose(page, version, "A1", "Fully evidenced (A1)")
    choose(chris_page, version, "A1", "Weak (A1)")
    expect(page.get_by_text("1 of 4 answered")).to_be_visible()
    expect(chris_page.get_by_text("This knock-out answer opens a finding")).to_be_visible()
    q2 = question(version, "A2")
    page.get_by_label("Comment on A2").fill("Confirmed at the March board")
    page.get_by_label("Comment on A2").blur()
    expect(page.locator(f"#status-q{q2.pk}")).to_contain_text("Saved")
    choose(page, version, "A2", "Largely (A2)")
    choose(chris_page, version, "A2", "Largely (A2)")

    # Answers survive a reload.
    page.reload()
    expect(page.locator(f"#q-{q2.pk}").get_by_label("Largely (A2)")).to_be_checked()
    expect(page.get_by_label("Comment on A2")).to_have_value("Confirmed at the March board")

    for assessor_page, levels in (
        (page, ("Largely", "Largely")),
        (chris_page, ("Partial", "Partial")),
    ):
        assessor_page.get_by_role("button", name="Next section").click()
        expect(assessor_page.get_by_text("Section 2 of 2")).to_be_visible()
        choose(assessor_page, version, "A3", f"{levels[0]} (A3)")
        choose(assessor_page, version, "A4", f"{levels[1]} (A4)")
        expect(assessor_page.get_by_text("4 of 4 answered")).to_be_visible()
        assessor_page.get_by_role("button", name="Review and submit").click()
        assessor_page.get_by_role("button", name="Submit my answers").click()

    expect(chris_page.get_by_role("heading", name=re.compile("^Results"))).to_be_visible()
    other.close()
    scores = dict(
        Answer.objects.filter(question__key="A1").values_list(
            "response__assessor__username", "choice__score"
        )
    )
    assert scores == {"maya": 100, "chris": 25}
    assert Finding.objects.filter(assessment=assessment, question__key="A1").exists()

    # The manager reads the results.
    page.goto(f"{live_server.url}{assessment.get_absolute_url()}results/")
    expect(page.locator("#overall-score")).to_contain_text(re.compile(r"\d+"))
    expect(page.locator("svg[role=img]")).to_be_visible()
    disagreements = page.locator("#disagreements")
    expect(disagreements).to_contain_text("A1")
    expect(disagreements).to_contain_text("Maya Patel: level 4")
    expect(disagreements).to_contain_text("Chris Okafor: level 1")
    # One assessor's knock-out opened a finding, in words; the page says why the median
    # count can differ.
    expect(page.locator("#findings")).to_contain_text(re.compile(r"A1 \S.* — answered “"))
    expect(page.locator("#knockouts-and-findings")).to_contain_text("1 finding below")

    # …and classifies the knock-out as a showstopper.
    page.locator("#findings").get_by_role("link", name="Classify").click()
    page.get_by_role("radio", name=re.compile("Showstopper")).check()
    page.get_by_role("button", name="Save classification").click()
    expect(page.get_by_text("Finding classified")).to_be_visible()
    expect(page.locator("#findings")).to_contain_text("Showstopper")
