"""What every page pays before its own work: the signed-in user with their groups in one
query (accounts/backends.py), and the navbar's and tabs' links reversed once per process
(`{% cached_url %}`). Neither may serve a stale answer."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from alliances.access import EXECUTIVES_GROUP, MANAGERS_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_reads_the_users_groups_with_the_user_alone(client, open_team):
    client.force_login(open_team.users["manager"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("alliances:list"))
    assert page.status_code == 200
    assert f'href="{reverse("portfolio:page")}"' in page.content.decode()  # a group check
    group_reads = [q["sql"] for q in queries if "auth_user_groups" in q["sql"]]
    assert len(group_reads) == 1
    assert group_reads[0].startswith('SELECT "auth_user"."id"')


def test_a_group_given_or_taken_shows_on_the_next_page(client, open_team):
    viewer = open_team.users["viewer"]
    client.force_login(viewer)
    portfolio = f'href="{reverse("portfolio:page")}"'
    assert portfolio not in client.get(reverse("alliances:list")).content.decode()
    viewer.groups.add(Group.objects.get_or_create(name=EXECUTIVES_GROUP)[0])
    assert portfolio in client.get(reverse("alliances:list")).content.decode()
    viewer.groups.clear()
    assert portfolio not in client.get(reverse("alliances:list")).content.decode()


def test_a_manager_taken_out_of_the_group_can_no_longer_register(client, db):
    user = UserFactory(username="was-manager", groups=[MANAGERS_GROUP])
    client.force_login(user)
    assert client.get(reverse("alliances:create")).status_code == 200
    user.groups.clear()
    assert client.get(reverse("alliances:create")).status_code == 403


def test_a_deactivated_user_is_signed_out_on_the_next_page(client, open_team):
    manager = open_team.users["manager"]
    client.force_login(manager)
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    response = client.get(reverse("alliances:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_cached_links_follow_the_script_prefix():
    """A deployment under a sub-path sets the prefix per request: a link reversed once
    under one prefix must not be served under another."""
    template = Template(
        "{% load alliance_tags %}{% cached_url 'dashboard' %} "
        "{% cached_url 'alliances:team' slug %}"
    )
    rendered = []
    try:
        for prefix in ("/", "/readiness/", "/"):
            set_script_prefix(prefix)
            rendered.append(template.render(Context({"slug": "acme"})))
    finally:
        set_script_prefix("/")
    plain, prefixed = "/ /alliances/acme/team/", "/readiness/ /readiness/alliances/acme/team/"
    assert rendered == [plain, prefixed, plain]
