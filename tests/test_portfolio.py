"""The portfolio page and its exports: managers and executives only, each seeing only the
alliances they may see; a fixed number of queries whatever the number of alliances;
Excel and CSV read back with formulas neutralised."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from alliances.access import EXECUTIVES_GROUP, MANAGERS_GROUP
from alliances.models import Alliance, Membership
from assessments import services
from assessments.models import Finding
from briefs.models import Brief
from tests.assessment_factories import answer_all, give, make_version, start, submit
from tests.factories import AllianceFactory, MembershipFactory, UserFactory
from tests.sponsor_factories import SignalFactory, SponsorshipFactory, days_ago

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example","x")'


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("portfolio:page"), params)


def test_outsiders_never_see_a_confidential_alliance_and_viewers_are_refused(
    client, open_team, confidential_team
):
    outsider = open_team.users["outsider"]  # a manager of no team here
    names = [r.alliance.name for r in page(client, outsider).context["portfolio"].rows]
    assert open_team.alliance.name in names
    assert confidential_team.alliance.name not in names
    inside = confidential_team.users["manager"]
    names = [r.alliance.name for r in page(client, inside).context["portfolio"].rows]
    assert confidential_team.alliance.name in names
    executive = confidential_team.users["executive"]
    assert page(client, executive).status_code == 200
    for role in ("viewer", "contributor"):
        assert page(client, confidential_team.users[role]).status_code == 403
        client.force_login(confidential_team.users[role])
        assert client.get(reverse("portfolio:export_xlsx")).status_code == 403
    # The export follows the same rule as the page.
    client.force_login(outsider)
    text = client.get(reverse("portfolio:export_csv")).getvalue().decode("utf-8-sig")
    assert open_team.alliance.name in text
    assert confidential_team.alliance.name not in text


def test_nav_link_only_for_managers_and_executives(client, open_team):
    link = f'href="{reverse("portfolio:page")}"'
    client.force_login(open_team.users["viewer"])
    assert link not in client.get(reverse("alliances:list")).content.decode()
    client.force_login(open_team.users["executive"])
    assert link in client.get(reverse("alliances:list")).content.decode()


def test_filters_by_stage_type_and_origin_and_refuse_unknown_values(client, open_team):
    manager = open_team.users["manager"]
    other = AllianceFactory(stage=Alliance.Stage.CLOSED, type=Alliance.Type.RESELLER)
    MembershipFactory(alliance=other, user=manager, role=Membership.Role.MANAGER)
    rows = page(client, manager, stage="closed").context["portfolio"].rows
    assert [r.alliance for r in rows] == [other]
    rows = page(client, manager, type="reseller", origin=other.origin).context["portfolio"].rows
    assert [r.alliance for r in rows] == [other]
    response = page(client, manager, stage="<script>")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_page_shows_overdue_conditions_falls_heat_map_and_recent_briefs(client, open_team):
    alliance = open_team.alliance
    manager = open_team.users["manager"]
    version = make_version(knockouts={"A1": 1})
    first = start(open_team, version, assessors=("manager",))
    answer_all(first.responses.get(), 3)
    submit(first.responses.get())
    first.refresh_from_db()
    second = services.assessment_reassess(assessment=first, by=manager)
    response = second.responses.get()
    answer_all(response, {"A1": 0, "A4": 1})
    submit(response)
    finding = Finding.objects.get(assessment=second)
    finding.classification = Finding.Classification.MANAGEABLE
    finding.issue = HOSTILE
    finding.mitigation = "@SUM(1+1)"
    finding.owner = "-Legal"
    finding.due_date = timezone.localdate() - timedelta(days=5)
    services.finding_classify(finding=finding, by=manager)
    sponsorship = SponsorshipFactory(alliance=alliance, since=days_ago(200))
    SignalFactory(sponsorship=sponsorship, kind="advocacy", date=days_ago(10))
    Brief.objects.create(
        alliance=alliance,
        snapshot={"decision": {"verdict": "GO", "css": "go"}},
        snapshot_sha256="1" * 64,
        status=Brief.Status.READY,
    )

    html = page(client, manager).content.decode()
    portfolio = page(client, manager).context["portfolio"]
    assert [f.pk for f in portfolio.overdue] == [finding.pk]
    assert "Conditions overdue" in html
    assert "due " in html
    falls = {(f.kind_label, f.change.label) for f in portfolio.falls}
    assert ("Strategic fit", "Overall") in falls
    assert "Scores that fell since the last round" in html
    row = portfolio.rows[0]
    assert row.sponsor_name == sponsorship.sponsor.name
    assert ("Advocacy (90 days)", "amber") in [(n, c) for n, c, _ in row.cells]
    assert "heat heat-" in html
    assert "Briefs of the last 30 days" in html
    assert html.count(alliance.name) >= 4

    # The Excel export, read back: every part, user text neutralised, scores as numbers.
    client.force_login(manager)
    download = client.get(reverse("portfolio:export_xlsx"))
    assert download["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == [
        "Alliances",
        "Conditions overdue",
        "Scores that fell",
        "Briefs, last 30 days",
    ]
    alliances = list(book["Alliances"].values)
    assert alliances[0][0] == "Alliance"
    assert alliances[1][0] == alliance.name
    header = alliances[0]
    assert isinstance(alliances[1][header.index("Strategic fit")], int)
    overdue = list(book["Conditions overdue"].values)[1]
    cells = [c for c in overdue if isinstance(c, str)]
    assert not any(c.startswith(("=", "@", "-", "+")) for c in cells)
    assert "'@SUM(1+1)" in overdue
    assert "'-Legal" in overdue
    assert any("HYPERLINK" in c for c in cells)
    assert list(book["Scores that fell"].values)[1][0] == alliance.name
    # CSV: the alliances sheet.
    text = client.get(reverse("portfolio:export_csv")).getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Alliance"
    assert rows[1][0] == alliance.name

    # A condition met is no longer overdue.
    services.condition_update(finding=finding, status="done", note="Signed", by=manager)
    assert page(client, manager).context["portfolio"].overdue == ()


def test_a_hostile_alliance_name_is_neutralised_in_both_exports(client):
    manager = UserFactory(username="hostile-mgr", groups=[MANAGERS_GROUP])
    alliance = AllianceFactory(name="=cmd|' /C calc'!A0")
    MembershipFactory(alliance=alliance, user=manager, role=Membership.Role.MANAGER)
    client.force_login(manager)
    text = client.get(reverse("portfolio:export_csv")).getvalue().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0] == "'=cmd|' /C calc'!A0"
    download = client.get(reverse("portfolio:export_xlsx"))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert list(book["Alliances"].values)[1][0] == "'=cmd|' /C calc'!A0"


def _portfolio_of(count):
    executive = UserFactory(username=f"exec-{count}", groups=[EXECUTIVES_GROUP])
    contributor = UserFactory(username=f"contrib-{count}")
    version = make_version(slug=f"fit-{count}", knockouts={"A1": 1})
    for n, alliance in enumerate(
        AllianceFactory.create_batch(count, stage="launched", is_confidential=True)
    ):
        MembershipFactory(alliance=alliance, user=executive, role=Membership.Role.EXECUTIVE)
        MembershipFactory(alliance=alliance, user=contributor, role=Membership.Role.MANAGER)
        sponsorship = SponsorshipFactory(alliance=alliance, since=days_ago(300))
        SignalFactory(sponsorship=sponsorship, kind="advocacy", date=days_ago(20))
        assessment = services.assessment_start(
            alliance=alliance,
            version=version,
            title="Fit",
            by=contributor,
            assessors=[contributor],
        )
        response = assessment.responses.get()
        give(response, "A1", 1 + n % 3)
        Brief.objects.create(
            alliance=alliance,
            snapshot={"decision": {"verdict": "GO", "css": "go"}},
            snapshot_sha256=f"{n:064d}",
        )
    return executive


def _queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def test_portfolio_page_and_export_queries_are_the_same_for_10_and_100_alliances(client):
    few, many = _portfolio_of(10), _portfolio_of(100)
    for url in (reverse("portfolio:page"), reverse("portfolio:export_xlsx")):
        assert _queries(client, few, url) == _queries(client, many, url), url
    client.force_login(many)
    assert len(client.get(reverse("portfolio:page")).context["portfolio"].rows) == 100
