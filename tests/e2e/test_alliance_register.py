import re

import pytest
from playwright.sync_api import expect

from alliances.access import MANAGERS_GROUP
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_registers_an_alliance_adds_a_member_and_finds_it_on_the_dashboard(
    live_server, page, login
):
    UserFactory(username="maya", groups=[MANAGERS_GROUP])
    UserFactory(username="chris", email="chris@example.com", first_name="Chris", last_name="Okafor")
    OrganisationFactory(name="Helios Analytics")

    login("maya")
    page.get_by_role("link", name="Register your first alliance").click()
    page.get_by_label("Name").fill("Project Aurora")
    page.get_by_role("combobox", name="Partner").select_option(label="Helios Analytics")
    page.get_by_label("Where the partner fits").fill("Fills our analytics gap")
    page.get_by_label("Type").select_option(label="Technology")
    page.get_by_label("Origin").select_option(label="Executive-initiated")
    page.get_by_label("Objectives").fill("Add predictive analytics to our ERP")
    page.get_by_label("Confidential").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Project Aurora")).to_be_visible()
    expect(page.get_by_text("Alliance registered")).to_be_visible()

    page.get_by_role("link", name="Team", exact=True).click()
    add_member = page.locator("form", has=page.get_by_role("button", name="Add to team"))
    add_member.get_by_label("Username or email").fill("chris@example.com")
    add_member.get_by_label("Role").select_option(label="Contributor")
    add_member.get_by_role("button", name="Add to team").click()
    expect(page.get_by_text("Chris Okafor added to the team")).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    row = page.get_by_role("row", name=re.compile("Project Aurora"))
    expect(row).to_contain_text("Helios Analytics")
    expect(row).to_contain_text("Exploring")
    expect(row).to_contain_text("Confidential")


def test_a_user_outside_the_team_gets_404_on_a_confidential_alliance(live_server, page, login):
    UserFactory(username="omar", groups=[MANAGERS_GROUP])
    secret = AllianceFactory(name="Project Aurora", is_confidential=True)

    login("omar")
    response = page.goto(f"{live_server.url}{secret.get_absolute_url()}")
    assert response.status == 404
    page.goto(f"{live_server.url}/alliances/")
    expect(page.get_by_text("Project Aurora")).to_have_count(0)
