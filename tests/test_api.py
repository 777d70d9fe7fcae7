"""The read-only API: tokens made on the tokens page, the pages' access rules as JSON,
filters and pagination, and a query count that does not grow with the rows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken
from api.services import token_create
from kit.secret_links import secret_hash as token_hash
from tests.assessment_factories import answer_all, give, make_version, start, submit
from tests.conftest import make_team
from tests.factories import AllianceFactory, MembershipFactory
from tests.sponsor_factories import PartnerSponsorshipFactory, SignalFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

AGENDA = "agenda-keynote-slot-42aa"


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_manager_makes_a_token_on_the_page_sees_it_once_and_it_is_stored_hashed(
    client, open_team
):
    manager = open_team.users["manager"]
    client.force_login(manager)
    response = client.post(reverse("api_tokens:list"), {"name": "Power BI"})
    assert response.status_code == 200
    key = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=manager)
    assert token.key_hash == token_hash(key)
    assert key not in str(ApiToken.objects.values_list().get())  # only the hash is kept
    assert key not in client.get(reverse("api_tokens:list")).content.decode()

    client.logout()
    listed = client.get(reverse("api:alliance-list"), **auth(key))
    assert listed.status_code == 200
    assert [a["slug"] for a in listed.json()["results"]] == [open_team.alliance.slug]
    bearer = client.get(reverse("api:alliance-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bearer.status_code == 200


def test_a_revoked_or_wrong_token_is_refused_with_401(client, open_team):
    manager = open_team.users["manager"]
    made = token_create(by=manager, name="script")
    client.force_login(manager)
    page = client.post(reverse("api_tokens:revoke", args=[made.token.pk]))
    assert page.status_code == 302
    client.logout()
    response = client.get(reverse("api:alliance-list"), **auth(made.key))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked token."}
    assert client.get(reverse("api:alliance-list")).status_code == 401


def test_only_managers_make_tokens_and_only_their_own_are_revoked(client, open_team):
    client.force_login(open_team.users["viewer"])
    assert client.get(reverse("api_tokens:list")).status_code == 403
    theirs = token_create(by=open_team.users["manager"], name="theirs")
    client.force_login(open_team.users["outsider"])  # a manager of other alliances
    assert client.post(reverse("api_tokens:revoke", args=[theirs.token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=theirs.token.pk).exists()
    refused = client.post(reverse("api_tokens:list"), {"name": ""})
    assert refused.status_code == 400
    assert not ApiToken.objects.filter(user=open_team.users["outsider"]).exists()


def test_a_confidential_alliance_is_a_404_for_outsiders_everywhere_in_the_api(client):
    team = make_team(confidential=True, prefix="api-secret")
    team.assessment = start(team, make_version(slug="api-secret-bank"))
    SponsorshipFactory(alliance=team.alliance)
    key = token_create(by=team.users["outsider"], name="peek").key
    slug = team.alliance.slug
    for name, arg in [
        ("api:alliance-detail", slug),
        ("api:decision-detail", slug),
        ("api:assessment-detail", team.assessment.pk),
    ]:
        assert client.get(reverse(name, args=[arg]), **auth(key)).status_code == 404, name
    for name in ("alliance", "assessment", "decision", "sponsorship", "finding", "brief"):
        body = client.get(reverse(f"api:{name}-list"), **auth(key)).json()
        assert body["count"] == 0, name
    insider = token_create(by=team.users["manager"], name="mine").key
    assert client.get(reverse("api:alliance-detail", args=[slug]), **auth(insider)).json()[
        "is_confidential"
    ]


def test_sensitive_sponsor_fields_are_null_for_readers_who_may_not_see_them(client, open_team):
    SponsorshipFactory(alliance=open_team.alliance, personal_agenda=AGENDA, notes="private")
    url = reverse("api:sponsorship-list") + f"?alliance={open_team.alliance.slug}"
    client.force_login(open_team.users["viewer"])
    viewer = client.get(url).json()["results"][0]
    assert viewer["personal_agenda"] is None
    assert viewer["notes"] is None
    assert AGENDA not in client.get(url).content.decode()
    client.force_login(open_team.users["manager"])
    manager = client.get(url).json()["results"][0]
    assert manager["personal_agenda"] == AGENDA
    assert manager["health"]["colour"] in ("green", "amber", "red", "unknown")


def test_assessments_come_with_their_results_and_filters_refuse_bad_values(client, open_team):
    version = make_version()
    assessment = start(open_team, version, assessors=("manager",))
    response = assessment.responses.get()
    for key in ("A1", "A2", "A3", "A4", "A5", "A6"):
        give(response, key, 3)
    submit(response)
    client.force_login(open_team.users["executive"])
    body = client.get(reverse("api:assessment-list") + "?status=submitted").json()
    assert body["count"] == 1
    results = body["results"][0]["results"]
    assert results["overall"] == 75
    assert results["coverage"] == 1
    assert [d["name"] for d in results["dimensions"]] == ["Dimension 1", "Dimension 2"]
    bad = client.get(reverse("api:assessment-list") + "?status=finished")
    assert bad.status_code == 400
    assert "status" in bad.json()
    decision = client.get(reverse("api:decision-detail", args=[open_team.alliance.slug])).json()
    assert decision["verdict"] == "INCOMPLETE"
    assert decision["reasons"]


def test_lists_are_paginated(client, open_team):
    for n in range(3):
        MembershipFactory(
            alliance=AllianceFactory(name=f"Paged {n}"), user=open_team.users["viewer"]
        )
    client.force_login(open_team.users["viewer"])
    body = client.get(reverse("api:alliance-list") + "?page_size=2").json()
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")
    assert client.get(reverse("api:alliance-list") + "?page=9").status_code == 404


def _grow(team, count):
    """`count` alliances in the manager's team, each with an assessment, a finding, a
    sponsorship on each side with a signal, and a brief."""
    from briefs.models import Brief

    version = make_version(slug=f"grow-{count}")
    for n in range(count):
        alliance = AllianceFactory(name=f"Grown {count}-{n}")
        for role in ("manager", "contributor"):
            MembershipFactory(alliance=alliance, user=team.users[role], role=role)
        team_like = type(team)(alliance=alliance, users=team.users)
        assessment = start(team_like, version)
        mine = assessment.responses.get(assessor=team.users["manager"])
        answer_all(mine, {"A1": 0})
        submit(mine)
        ours = SponsorshipFactory(alliance=alliance)
        SignalFactory(sponsorship=ours)
        PartnerSponsorshipFactory(alliance=alliance)
        Brief.objects.create(alliance=alliance, snapshot={}, snapshot_sha256=f"{n:064d}")


LISTS = ["alliance", "assessment", "finding", "decision", "sponsorship", "brief"]


def count_queries(client, url, key) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **auth(key))
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_rows(client, open_team):
    key = token_create(by=open_team.users["manager"], name="bench").key
    urls = {name: reverse(f"api:{name}-list") for name in LISTS}
    _grow(open_team, 2)
    client.get(urls["alliance"], **auth(key))  # the token's first use records the time
    few = {name: count_queries(client, url, key) for name, url in urls.items()}
    _grow(open_team, 18)
    for url in urls.values():
        assert client.get(url, **auth(key)).json()["count"] >= 20
    many = {name: count_queries(client, url, key) for name, url in urls.items()}
    assert many == few


def test_a_token_acts_with_its_owners_rights_of_now(client, confidential_team):
    """Leaving the managers ends the token; leaving a team ends what it reads there."""
    from alliances.access import MANAGERS_GROUP

    manager = confidential_team.users["manager"]
    made = token_create(by=manager, name="script")
    slugs = [
        a["slug"]
        for a in client.get(reverse("api:alliance-list"), **auth(made.key)).json()["results"]
    ]
    assert slugs == [confidential_team.alliance.slug]
    confidential_team.alliance.memberships.filter(user=manager).delete()
    listed = client.get(reverse("api:alliance-list"), **auth(made.key))
    assert listed.status_code == 200
    assert listed.json()["results"] == []
    detail = reverse("api:alliance-detail", args=[confidential_team.alliance.slug])
    assert client.get(detail, **auth(made.key)).status_code == 404
    manager.groups.remove(manager.groups.get(name=MANAGERS_GROUP))
    refused = client.get(reverse("api:alliance-list"), **auth(made.key))
    assert refused.status_code == 401
