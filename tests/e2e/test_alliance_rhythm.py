"""The alliance in the company's rhythm (issue 28), as its people live it: the manager plans
a QBR from the agenda the app proposes, records its minutes with an action owned by the
contributor; the contributor finds the action on My work and in their calendar feed (read
back as iCalendar); once its due date has passed the daily job reminds them. Meanwhile a
CRM posts a KPI actual through the API (a read token is refused, a write token moves the
KPI's attainment on the alliance page) and a receiver gets "decision changed", signed and
verifiable, after a failed first attempt, from a real Celery worker."""

import datetime
from decimal import Decimal

import pytest
import requests
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from alliances.access import EXECUTIVES_GROUP, MANAGERS_GROUP
from alliances.models import Membership
from api.models import ApiToken
from api.services import token_create
from kit import events
from meetings.models import ActionItem
from notifications.models import Kind, Notification
from notifications.reminders import daily_jobs
from tests.conftest import Team
from tests.factories import AllianceFactory, KPIFactory, MembershipFactory, UserFactory
from tests.test_briefs import make_assessed
from tests.test_webhooks import (  # noqa: F401
    fast_webhooks,
    make_endpoint,
    receiver,
    wait_until,
    worker_queue,
)
from tests.test_worker import broker, queue  # noqa: F401
from webhooks.models import Delivery

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ACTION = "Send Orion the joint pipeline review"


def test_a_qbr_planned_minuted_followed_up_and_the_alliance_told_to_other_systems(
    live_server,
    page,
    browser,
    login,
    csp_violations,
    receiver,  # noqa: F811
    fast_webhooks,  # noqa: F811
    worker_queue,  # noqa: F811
):
    mia = UserFactory(username="mia", first_name="Mia", last_name="Brandt", groups=[MANAGERS_GROUP])
    cole = UserFactory(username="cole", first_name="Cole", last_name="Reyes")
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    alliance = AllianceFactory(name="Orion co-sell", is_confidential=False)
    MembershipFactory(alliance=alliance, user=mia, role=Membership.Role.MANAGER)
    MembershipFactory(alliance=alliance, user=cole, role=Membership.Role.CONTRIBUTOR)
    eve = UserFactory(username="eve", groups=[EXECUTIVES_GROUP])
    MembershipFactory(alliance=alliance, user=eve, role=Membership.Role.EXECUTIVE)
    kpi = KPIFactory(alliance=alliance, name="Co-sold pipeline", target=100, actual=40, unit="")

    # --- The manager plans a QBR from the proposed agenda.
    login("mia")
    page.goto(f"{live_server.url}{alliance.get_absolute_url()}")
    page.get_by_role("link", name="Plan a meeting").click()
    agenda = page.get_by_label("Agenda")
    assert "Co-sold pipeline" in agenda.input_value(), "the KPI off target is proposed"
    page.get_by_label("Kind").select_option(label="Quarterly business review")
    page.get_by_label("Cole Reyes").check()
    held = timezone.localtime() - datetime.timedelta(hours=2)
    page.get_by_label("Starts at").fill(held.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.locator("#agenda")).to_contain_text("Co-sold pipeline")

    # --- After it, the minutes with one action owned by the contributor.
    page.get_by_role("link", name="Record the minutes").click()
    page.get_by_label("Minutes").fill("Pipeline reviewed; the joint offer goes to three accounts.")
    page.get_by_label("Decisions taken").fill("Launch the joint offer in January.")
    due = timezone.localdate() + datetime.timedelta(days=3)
    first = page.locator(".action-row").first
    first.get_by_label("Action").fill(ACTION)
    first.get_by_label("Owner").select_option(label="Cole Reyes")
    first.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text(ACTION)).to_be_visible()
    action = ActionItem.objects.get(description=ACTION)
    assert action.owner == cole

    # --- The contributor: the action on My work and in their calendar feed.
    other = browser.new_context()
    cole_page = other.new_page()
    cole_page.goto(f"{live_server.url}/accounts/login/")
    cole_page.get_by_label("Username").fill("cole")
    cole_page.get_by_label("Password").fill("pw-for-tests-1")
    cole_page.get_by_role("button", name="Log in").click()
    cole_page.wait_for_url(f"{live_server.url}/")
    expect(cole_page.get_by_text(ACTION)).to_be_visible()
    cole_page.goto(f"{live_server.url}/accounts/calendar/")
    cole_page.get_by_role("button", name="Create").click()
    address = cole_page.locator("#calendar-address").inner_text().strip()
    feed = requests.get(address, timeout=10)
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    todo = [event for event in calendar.walk("VEVENT") if ACTION in str(event.get("SUMMARY"))]
    assert len(todo) == 1, [str(e.get("SUMMARY")) for e in calendar.walk("VEVENT")]
    assert todo[0].decoded("DTSTART") == due
    meetings = [e for e in calendar.walk("VEVENT") if "Quarterly" in str(e.get("SUMMARY"))]
    assert len(meetings) == 1, "the QBR she attends"
    other.close()

    # --- The due date passes: the daily job reminds the owner, once.
    day_after = due + datetime.timedelta(days=1)
    for job in daily_jobs:
        job(day_after)
    reminded = Notification.objects.filter(recipient=cole, kind=Kind.CONDITION_OVERDUE)
    assert reminded.count() == 1
    assert "action" in reminded.get().title.lower()

    # --- A CRM posts a KPI actual: a read token is refused, a write token moves the KPI.
    url = f"{live_server.url}/api/v1/kpis/{kpi.pk}/actuals/"
    body = {"value": "85", "date": timezone.localdate().isoformat(), "source": "Salesforce"}
    read = token_create(name="BI", by=mia).key
    refused = requests.post(url, json=body, headers={"Authorization": f"Bearer {read}"}, timeout=10)
    assert refused.status_code == 403, refused.text
    write = token_create(name="CRM", by=mia, scope=ApiToken.Scope.KPI_WRITE).key
    posted = requests.post(
        url,
        json=body,
        headers={"Authorization": f"Bearer {write}", "Idempotency-Key": "crm-2026-12-07"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    kpi.refresh_from_db()
    assert (kpi.actual, kpi.attainment) == (Decimal("85"), 85)
    page.goto(f"{live_server.url}{alliance.get_absolute_url()}")
    expect(page.get_by_role("row", name="Co-sold pipeline")).to_contain_text("85 %")

    # --- Another system hears that the decision changed, after one failed attempt.
    receiver.answers = [500, 200]
    endpoint = make_endpoint(receiver.url, admin)
    receiver.secret = endpoint.secret
    make_assessed(Team(alliance, {"manager": mia, "contributor": cole, "executive": eve}))
    wait_until(lambda: receiver.verified, "the receiver verified a signed webhook")
    delivery = endpoint.deliveries.filter(status=Delivery.Status.SUCCEEDED).first()
    assert delivery is not None
    assert delivery.attempts == 2
    assert receiver.verified[0]["payload"]["type"] == events.DECISION_CHANGED
    assert receiver.verified[0]["payload"]["data"]["alliance_id"] == alliance.pk
    assert receiver.refused == []
    assert csp_violations == []
