"""My work: what needs each person now, each item linking to where the work is done,
in a fixed number of queries whatever the number of alliances and items."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.access import MANAGERS_GROUP
from alliances.models import Membership
from assessments.models import Finding
from briefs.models import Brief
from tests.assessment_factories import give, make_version, start
from tests.conftest import Team
from tests.factories import AllianceFactory, MembershipFactory, UserFactory
from tests.sponsor_factories import SignalFactory, SponsorshipFactory, days_ago

pytestmark = pytest.mark.django_db

# Dashboard without My work (tests/test_query_budget.py) plus My work's own queries:
# answers due, findings to classify, unopened briefs, sponsorships (+ their signals and
# peer links when some exist).
# + conditions I own, + sign-offs waiting (1 query each), + reassessments due (2), + the
# reader's language (profile) once per request, + the decision's tracked conditions I own,
# + the meeting actions I own
DASHBOARD_WITH_MY_WORK = 23


def busy_alliance(manager, n, version):
    """An alliance the manager runs with an answer due, a finding to classify, a ready
    brief and a sponsor whose resource request has waited 45 days."""
    alliance = AllianceFactory(name=f"Busy {n}", slug=f"busy-{n}")
    MembershipFactory(alliance=alliance, user=manager, role=Membership.Role.MANAGER)
    team = Team(alliance=alliance, users={"manager": manager})
    assessment = start(team, version, assessors=("manager",), title=f"Fit {n}")
    give(assessment.responses.get(), "A1", 0)  # a knock-out: opens a finding
    Brief.objects.create(
        alliance=alliance,
        snapshot={},
        snapshot_sha256=f"{n:064d}",
        status=Brief.Status.READY,
        rendered_at=timezone.now(),
    )
    sponsorship = SponsorshipFactory(alliance=alliance)
    SignalFactory(sponsorship=sponsorship, kind="resources_requested", date=days_ago(45))
    return alliance


def test_my_work_lists_every_kind_of_item_with_its_link(client):
    manager = UserFactory(username="busy", groups=[MANAGERS_GROUP])
    version = make_version(slug="busy-fit", n_questions=4)
    alliance = busy_alliance(manager, 1, version)
    client.force_login(manager)
    page = client.get(reverse("dashboard"))
    items = {item.kind: item for item in page.context["my_work"]}
    assert set(items) == {"answers_due", "findings_to_classify", "brief_ready", "signal_overdue"}
    response = alliance.assessments.get().responses.get()
    assert items["answers_due"].url == reverse(
        "assessments:fill", args=[alliance.slug, response.assessment_id, response.pk]
    )
    assert items["answers_due"].detail == "1 of 4 questions answered"
    assert "Resources requested on" in items["signal_overdue"].detail
    assert items["signal_overdue"].overdue
    assert items["findings_to_classify"].title == "Classify 1 finding of “Fit 1”"
    html = page.content.decode()
    assert html.index("Needs you now") < html.index("My alliances")
    for item in items.values():
        assert client.get(item.url.split("#")[0]).status_code == 200


def test_opening_a_brief_takes_it_off_my_work(client):
    manager = UserFactory(username="reader", groups=[MANAGERS_GROUP])
    alliance = busy_alliance(manager, 2, make_version(slug="reader-fit"))
    client.force_login(manager)
    brief = alliance.briefs.get()
    assert "brief_ready" in {i.kind for i in client.get(reverse("dashboard")).context["my_work"]}
    client.get(brief.get_absolute_url())
    assert "brief_ready" not in {
        i.kind for i in client.get(reverse("dashboard")).context["my_work"]
    }


def test_submitted_answers_and_classified_findings_leave_my_work(client):
    manager = UserFactory(username="done", groups=[MANAGERS_GROUP])
    alliance = busy_alliance(manager, 3, make_version(slug="done-fit"))
    Finding.objects.filter(assessment__alliance=alliance).update(
        classification=Finding.Classification.SHOWSTOPPER
    )
    alliance.assessments.get().responses.update(status="submitted")
    client.force_login(manager)
    kinds = {i.kind for i in client.get(reverse("dashboard")).context["my_work"]}
    assert kinds == {"brief_ready", "signal_overdue"}


def test_a_viewer_has_no_answers_due_even_if_once_an_assessor(client, open_team):
    version = make_version(slug="demoted")
    start(open_team, version, assessors=("contributor",))
    open_team.member("contributor").delete()
    client.force_login(open_team.users["contributor"])
    assert client.get(reverse("dashboard")).context["my_work"] == []
    assert "Nothing needs you right now" in client.get(reverse("dashboard")).content.decode()


def test_the_navigation_shows_the_count_of_what_needs_me(client):
    manager = UserFactory(username="counted", groups=[MANAGERS_GROUP])
    busy_alliance(manager, 4, make_version(slug="counted-fit"))
    client.force_login(manager)
    assert (
        'hx-get="/notifications/my-work-count/"'
        in client.get(reverse("dashboard")).content.decode()
    )
    badge = client.get(reverse("home:my_work_count")).content.decode()
    assert ">4<" in badge


def test_my_work_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    manager = UserFactory(username="crowded", groups=[MANAGERS_GROUP])
    version = make_version(slug="crowded-fit", n_questions=4)
    counts = {}
    made = 0
    for size in (2, 12):
        while made < size:
            made += 1
            busy_alliance(manager, 100 + made, version)
        client.force_login(manager)
        with django_assert_max_num_queries(DASHBOARD_WITH_MY_WORK) as captured:
            page = client.get(reverse("dashboard"))
        assert len(page.context["my_work"]) == 4 * size
        counts[size] = len(captured)
    assert counts[2] == counts[12]
