import datetime

import pytest
from playwright.sync_api import expect

from alliances.access import MANAGERS_GROUP
from tests.factories import AllianceFactory, MembershipFactory, UserFactory
from tests.sponsor_factories import SignalFactory, SponsorshipFactory, days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_records_an_allocation_and_sees_the_allocation_delay_change(
    live_server, page, login
):
    maya = UserFactory(username="maya", groups=[MANAGERS_GROUP])
    alliance = AllianceFactory(name="Project Aurora", is_confidential=True)
    MembershipFactory(alliance=alliance, user=maya, role="manager")
    elena = SponsorshipFactory(alliance=alliance, sponsor__name="Elena Rossi")
    first = SignalFactory(sponsorship=elena, kind="resources_requested", date=days_ago(60))
    SignalFactory(
        sponsorship=elena, kind="resources_allocated", date=days_ago(50), responds_to=first
    )
    SignalFactory(
        sponsorship=elena,
        kind="resources_requested",
        date=days_ago(30),
        note="Two data engineers for the pilot",
    )

    login("maya")
    page.goto(f"{live_server.url}/alliances/{alliance.slug}/sponsors/")
    delay = page.locator('[data-indicator="allocation_delay"]')
    expect(delay).to_contain_text("Median 10 days over 1 allocation; 1 request open")
    expect(delay).to_contain_text("Green")
    page.evaluate("window.notReloaded = true")

    entry = page.locator("form", has=page.locator("#signal-entry"))
    entry.get_by_label("Sponsor").select_option(label="Elena Rossi — executive sponsor (Our side)")
    entry.get_by_label("Kind").select_option(label="Resources allocated")
    entry.get_by_label("Answers").select_option(index=1)
    # Dated before the request it answers: refused, with the reason, nothing changes.
    entry.get_by_label("Date").fill(days_ago(31).isoformat())
    entry.get_by_role("button", name="Record signal").click()
    expect(entry).to_contain_text("cannot be dated before the request it answers")
    expect(delay).to_contain_text("Median 10 days over 1 allocation")

    entry.get_by_label("Date").fill(datetime.date.today().isoformat())
    entry.get_by_label("Note").fill("Engineers seconded from Digital & Data")
    entry.get_by_role("button", name="Record signal").click()

    expect(entry).to_contain_text("Resources allocated recorded for Elena Rossi.")
    expect(delay).to_contain_text("Median 20 days over 2 allocations")
    expect(delay).to_contain_text("Amber")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Engineers seconded from Digital & Data")
    expect(timeline).to_contain_text("30 days later")
    # The panel and timeline were swapped in place by htmx, not by a reload.
    assert page.evaluate("window.notReloaded") is True
