"""The decision where users meet it: dashboard, alliance page and `manage.py decision`."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.access import MANAGERS_GROUP
from tests.assessment_factories import answer_all, make_version, start, submit
from tests.conftest import make_team
from tests.factories import UserFactory
from tests.sponsor_factories import SignalFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(seeded_demo, db):
    """The demo (tests/conftest.py: seeded once for the module)."""


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_dashboard_shows_each_alliances_verdict(client, demo):
    page = login(client, "manager").get(reverse("dashboard"))
    decisions = {
        alliance.slug: page.context["decisions"][alliance.pk].verdict.value
        for alliance in page.context["my_alliances"]
    }
    assert decisions["project-aurora"] == "NO-GO"
    assert decisions["cobalt-cloud-co-sell"] == "GO WITH CONDITIONS"
    assert decisions["quartz-embedded-payments"] == "INCOMPLETE"
    assert "verdict-no-go" in page.content.decode()


def test_alliance_page_shows_the_decision_with_its_reasons_and_conditions(client, demo):
    page = login(client, "manager").get(reverse("alliances:detail", args=["cobalt-cloud-co-sell"]))
    html = page.content.decode()
    assert "GO WITH CONDITIONS" in html
    assert "Conditions to proceed" in html
    assert "Name an active executive sponsor on our side" in html
    assert "Close the gap on P6" in html
    assert "Strategic fit scores" in html  # every rule checked is listed


def test_decision_command_prints_the_verdict_and_reasons(demo):
    out = StringIO()
    call_command("decision", "project-aurora", stdout=out)
    text = out.getvalue()
    assert "NO-GO" in text
    assert "[showstopper]" in text
    assert "S4" in text


def test_decision_command_prints_json(demo):
    out = StringIO()
    call_command("decision", "cobalt-cloud-co-sell", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["verdict"] == "GO WITH CONDITIONS"
    # Cobalt's two-sided assessment adds the governance perception gap.
    assert {c["source"] for c in data["conditions"]} == {"gap", "sponsor", "perception"}
    assert all({"rule", "text", "decisive", "refs"} <= set(r) for r in data["reasons"])


def test_decision_command_names_an_unknown_alliance(db):
    with pytest.raises(CommandError, match="No alliance has the slug"):
        call_command("decision", "atlantis")


def _assessed_alliances(count, user, prefix):
    fit = make_version(slug=f"{prefix}-fit", kind="strategic_fit", knockouts={})
    partner = make_version(slug=f"{prefix}-partner", kind="partner_selection", knockouts={})
    for n in range(count):
        team = make_team(confidential=n % 2 == 0, prefix=f"{prefix}{n}")
        team.alliance.memberships.create(user=user, role="viewer")
        for version in (fit, partner):
            assessment = start(team, version)
            for response in assessment.responses.all():
                answer_all(response, 3)
                submit(response)
        sponsorship = SponsorshipFactory(alliance=team.alliance)
        SignalFactory(sponsorship=sponsorship)


def test_dashboard_decisions_cost_the_same_queries_for_2_or_8_alliances(client):
    counts = []
    for count in (2, 8):
        user = UserFactory(username=f"watcher{count}", groups=[MANAGERS_GROUP])
        _assessed_alliances(count, user, prefix=f"d{count}-")
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("dashboard"))
        counts.append(len(queries))
        assert len(page.context["decisions"]) == count
    assert counts[0] == counts[1]
    # My work, the reader's language, the portfolio link, the evidence dates and the
    # tracked conditions included, and the look for stored decision records (none here:
    # factories write no record, so the decision is computed); + the meeting actions I own.
    assert counts[1] <= 25


# Cobalt's page shows the decision in four panels (decision card, sign-off evidence,
# summary, trend): 57 queries when each computed it again.
ALLIANCE_PAGE_BUDGET = 32


def test_the_alliance_page_computes_the_decision_once_for_all_its_panels(
    client, demo, django_assert_max_num_queries
):
    login(client, "manager")
    with django_assert_max_num_queries(ALLIANCE_PAGE_BUDGET):
        page = client.get(reverse("alliances:detail", args=["cobalt-cloud-co-sell"]))
    assert page.status_code == 200
    assert "Executive sign-off" in page.content.decode()
