"""The access matrix of /admin/: alliance-owned objects follow alliances/access.py there too.

A confidential alliance with a finding, sponsors and signals; its admin pages are
opened by a question-bank admin, an alliance manager outside the team, a staff user
with every view permission but outside the team, the same user once on the team,
and a superuser.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from alliances.access import BANK_ADMINS_GROUP
from tests.conftest import make_team
from tests.factories import MembershipFactory, UserFactory
from tests.test_access_matrix import assessment_ready, with_sponsors

pytestmark = pytest.mark.django_db

SECRET_ISSUE = "Showstopper-text-only-the-team-reads-4e1c"


def admin_objects(team):
    """(admin url name prefix, object) of every alliance-owned model."""
    alliance = team.alliance
    sponsorship = alliance.sponsorships.get(side="ours")
    answer = team.assessment.responses.get(assessor=team.users["contributor"]).answers.first()
    return [
        ("alliances_alliance", alliance),
        ("alliances_membership", alliance.memberships.first()),
        ("alliances_kpi", alliance.kpis.get()),
        ("sponsors_sponsorship", sponsorship),
        ("sponsors_signal", sponsorship.signals.get()),
        ("sponsors_peerlink", alliance.peer_links.get()),
        ("assessments_assessment", team.assessment),
        ("assessments_answer", answer),
        ("assessments_finding", team.assessment.findings.get()),
    ]


@pytest.fixture
def secret():
    team = make_team(confidential=True, prefix="adm")
    with_sponsors(team)
    assessment_ready(team)
    team.assessment.findings.update(issue=SECRET_ISSUE)
    return team


def staff_reader(username, models):
    """A staff user who holds view permission on every alliance-owned model."""
    user = UserFactory(username=username, is_staff=True)
    codenames = [f"view_{prefix.split('_', 1)[1]}" for prefix, _ in models]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def pages(prefix, obj):
    return {
        "list": reverse(f"admin:{prefix}_changelist"),
        "change": reverse(f"admin:{prefix}_change", args=[obj.pk]),
        "history": reverse(f"admin:{prefix}_history", args=[obj.pk]),
    }


def test_a_bank_admin_reads_no_assessment_finding_or_answer(client, secret):
    bank_admin = UserFactory(username="bankadmin", is_staff=True, groups=[BANK_ADMINS_GROUP])
    assert not bank_admin.has_perm("assessments.view_finding")
    client.force_login(bank_admin)
    assert client.get(reverse("admin:banks_questionbank_changelist")).status_code == 200
    for prefix, obj in admin_objects(secret):
        for kind, url in pages(prefix, obj).items():
            response = client.get(url)
            assert response.status_code in (403, 404), f"{prefix} {kind}: {response.status_code}"
            assert SECRET_ISSUE not in response.content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    for model in ("finding", "answer", "assessment"):
        assert reverse(f"admin:assessments_{model}_changelist") not in index


def test_an_alliance_manager_outside_the_team_is_sent_to_the_admin_login(client, secret):
    client.force_login(secret.users["outsider"])
    for prefix, obj in admin_objects(secret):
        for url in pages(prefix, obj).values():
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("admin:login"))


def test_staff_outside_the_team_neither_list_nor_open_a_confidential_alliances_objects(
    client, secret
):
    models = admin_objects(secret)
    client.force_login(staff_reader("staffreader", models))
    for prefix, obj in models:
        urls = pages(prefix, obj)
        listing = client.get(urls["list"])
        assert listing.status_code == 200, prefix
        assert listing.context["cl"].result_count == 0, prefix
        for kind in ("change", "history"):
            response = client.get(urls[kind])
            assert response.status_code == 404, f"{prefix} {kind}: {response.status_code}"


def test_the_same_staff_user_on_the_team_reads_them_but_cannot_change_them(client, secret):
    models = admin_objects(secret)
    reader = staff_reader("staffviewer", models)
    MembershipFactory(alliance=secret.alliance, user=reader, role="viewer")
    client.force_login(reader)
    for prefix, obj in models:
        urls = pages(prefix, obj)
        assert client.get(urls["list"]).context["cl"].result_count >= 1, prefix
        response = client.get(urls["change"])
        assert response.status_code == 200, prefix
        assert not response.context["has_change_permission"], prefix
    finding = client.get(pages(*models[-1])["change"]).content.decode()
    assert SECRET_ISSUE in finding


def test_a_superuser_opens_every_admin_page(client, secret):
    client.force_login(secret.users["superuser"])
    for prefix, obj in admin_objects(secret):
        for kind, url in pages(prefix, obj).items():
            assert client.get(url).status_code == 200, f"{prefix} {kind}"


@pytest.mark.django_db(transaction=True)
def test_the_role_groups_and_bank_admin_rights_survive_a_flush():
    """`manage.py flush` (and every browser test's teardown) empties auth_group: the
    groups and the bank admins' rights come back with the post_migrate that follows."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from alliances.access import EXECUTIVES_GROUP, MANAGERS_GROUP

    call_command("flush", interactive=False, verbosity=0)
    names = set(Group.objects.values_list("name", flat=True))
    assert {MANAGERS_GROUP, EXECUTIVES_GROUP, BANK_ADMINS_GROUP} <= names
    rights = set(
        Group.objects.get(name=BANK_ADMINS_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"change_question", "add_bankversion", "view_choice"} <= rights
    assert not rights & {"view_assessment", "view_answer", "view_finding"}


@pytest.mark.parametrize("posted", ["²", "99999999999999999999", "1.5", "-1"])
@pytest.mark.parametrize("view", ["change", "history_form"])
def test_an_autocomplete_field_posted_a_value_that_is_no_id_is_refused_without_a_500(
    client, secret, posted, view
):
    """The admin shows a posted autocomplete value again by looking it up: a value that is
    no id (a hand-made request) is refused by the form, never a 500, and nothing saved."""
    membership = secret.alliance.memberships.first()
    client.force_login(secret.users["superuser"])
    if view == "change":
        url = reverse("admin:alliances_membership_change", args=[membership.pk])
    else:
        version = membership.history.earliest()
        url = reverse(
            "admin:alliances_membership_simple_history", args=[membership.pk, version.history_id]
        )
    data = {"alliance": secret.alliance.pk, "user": posted, "role": membership.role}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    membership.refresh_from_db()
    assert membership.user_id == secret.users[membership.role].pk


def test_a_history_page_for_an_id_that_is_none_is_a_404(client, secret):
    """Every admin with django-simple-history's pages: a hand-made id ("²", 30 digits) in
    the history or past-version URL is a 404, not a 500 (the fuzzer found one)."""
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    client.force_login(secret.users["superuser"])
    history_admins = [
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert len(history_admins) >= 5
    for model in history_admins:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for bad in ("²", "9" * 30):
            history = reverse(f"{prefix}_history", args=[bad])
            assert client.get(history).status_code == 404, history
            past = reverse(f"{prefix}_simple_history", args=[bad, 1])
            assert client.get(past).status_code == 404, past
            past = reverse(f"{prefix}_simple_history", args=[1, bad])
            assert client.get(past).status_code == 404, past
