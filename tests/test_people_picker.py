"""The people picker: search-as-you-type by name or e-mail among the people a form
accepts only, after two characters, for those who may use the form; plain submit works
without JavaScript; messages name people by their full name."""

import pytest
from django.urls import reverse

from alliances.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def search(client, team, q, purpose="member"):
    url = reverse("alliances:people_search")
    return client.get(url, {"alliance": team.alliance.slug, "for": purpose, "q": q})


def test_managers_find_colleagues_by_name_or_email_but_not_the_team(client, open_team):
    UserFactory(username="np1", first_name="Nadia", last_name="Haddad", email="nadia@ex.com")
    UserFactory(username="np2", first_name="Nathan", last_name="Hale", email="n.hale@ex.com")
    UserFactory(username="np3", first_name="Nadia", last_name="Gone", is_active=False)
    client.force_login(open_team.users["manager"])
    html = search(client, open_team, "nadia").content.decode()
    assert "Nadia Haddad" in html
    assert "Nathan Hale" not in html
    assert "Nadia Gone" not in html  # inactive
    assert "Nathan Hale" in search(client, open_team, "n.hale").content.decode()
    viewer = open_team.users["viewer"]
    assert (
        viewer.get_full_name() not in search(client, open_team, viewer.first_name).content.decode()
    )


def test_one_character_finds_nobody(client, open_team):
    UserFactory(username="np1", first_name="Nadia", last_name="Haddad")
    client.force_login(open_team.users["manager"])
    assert "data-pick" not in search(client, open_team, "n").content.decode()


def test_at_most_ten_people_are_suggested(client, open_team):
    for n in range(15):
        UserFactory(username=f"many{n}", first_name="Samesame", last_name=f"Person{n}")
    client.force_login(open_team.users["manager"])
    assert search(client, open_team, "samesame").content.decode().count("data-pick=") == 10


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("contributor", 403), ("executive", 403)]
)
def test_only_managers_search_people(client, open_team, role, status):
    client.force_login(open_team.users[role])
    assert search(client, open_team, "ma").status_code == status


def test_a_confidential_alliance_is_a_404_to_outsiders(client, confidential_team):
    client.force_login(confidential_team.users["outsider"])
    assert search(client, confidential_team, "ma").status_code == 404


def test_owner_search_lists_the_team_only(client, open_team):
    UserFactory(username="np1", first_name="Chrisso", last_name="Outside")
    contributor = open_team.users["contributor"]
    contributor.first_name = "Chrisso"
    contributor.save()
    client.force_login(open_team.users["manager"])
    html = search(client, open_team, "chrisso", purpose="owner").content.decode()
    assert contributor.get_full_name() in html
    assert "Outside" not in html


def test_an_unknown_search_kind_is_a_400(client, open_team):
    client.force_login(open_team.users["manager"])
    assert search(client, open_team, "ma", purpose="everyone").status_code == 400


def test_without_javascript_a_typed_name_adds_the_one_person_it_matches(client, open_team):
    nadia = UserFactory(username="np1", first_name="Nadia", last_name="Haddad")
    client.force_login(open_team.users["manager"])
    url = reverse("alliances:team", args=[open_team.alliance.slug])
    response = client.post(url, {"who": "nadia hadd", "role": "viewer"}, follow=True)
    assert "Nadia Haddad added to the team" in response.content.decode()
    assert "np1" not in str(list(response.context["messages"]))
    assert Membership.objects.filter(user=nadia, role="viewer").exists()


def test_several_matches_offer_a_select_and_the_choice_is_added(client, open_team):
    UserFactory(username="np1", first_name="Nadia", last_name="Haddad")
    second = UserFactory(username="np2", first_name="Nadia", last_name="Hamid")
    client.force_login(open_team.users["manager"])
    url = reverse("alliances:team", args=[open_team.alliance.slug])
    response = client.post(url, {"who": "nadia", "role": "viewer"})
    html = response.content.decode()
    assert "Several people match" in html
    assert '<select class="form-select mt-2" name="who_id"' in html
    response = client.post(url, {"who": "nadia", "who_id": second.pk, "role": "viewer"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=second).exists()


def test_a_forged_id_outside_the_candidates_is_refused(client, open_team):
    ghost = UserFactory(username="ghost", is_active=False)
    client.force_login(open_team.users["manager"])
    url = reverse("alliances:team", args=[open_team.alliance.slug])
    for forged in (ghost.pk, "99999999999999999999", "²"):
        response = client.post(url, {"who": "", "who_id": forged, "role": "viewer"})
        assert response.status_code == 200
        assert "Choose someone from the list" in response.content.decode()
    assert not Membership.objects.filter(user=ghost).exists()


def name(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_assessor_search_offers_only_team_members_who_answer(client, open_team):
    name(open_team.users["contributor"], "Chrisso", "Okafor")
    name(open_team.users["viewer"], "Chrisso", "Viewer")
    name(open_team.users["executive"], "Chrisso", "Boss")
    UserFactory(username="np1", first_name="Chrisso", last_name="Outside")
    client.force_login(open_team.users["manager"])
    html = search(client, open_team, "chrisso", purpose="assessor").content.decode()
    assert "Chrisso Okafor" in html
    for left_out in ("Viewer", "Boss", "Outside"):
        assert left_out not in html
    client.force_login(open_team.users["contributor"])
    assert search(client, open_team, "chrisso", purpose="assessor").status_code == 403


def test_assessors_are_ticked_and_one_more_is_added_by_name(client, open_team):
    from assessments.models import Response
    from tests.assessment_factories import make_version, start

    manager = name(open_team.users["manager"], "Maya", "Patel")
    contributor = name(open_team.users["contributor"], "Chris", "Okafor")
    assessment = start(open_team, make_version(), assessors=("manager",))
    client.force_login(manager)
    url = reverse("assessments:assessors", args=[open_team.alliance.slug, assessment.pk])
    html = client.get(url).content.decode()
    assert f'name="assessors" value="{manager.pk}"' in html
    assert "Maya Patel" in html
    assert f'value="{contributor.pk}"' not in html  # offered by the search, not listed
    assert 'data-picker-multi="assessors"' in html

    response = client.post(url, {"assessors": [manager.pk], "assessors_text": "chris oka"})
    assert response.status_code == 302
    assessors = set(
        Response.objects.filter(assessment=assessment).values_list("assessor", flat=True)
    )
    assert assessors == {manager.pk, contributor.pk}


def test_an_assessor_name_nobody_has_keeps_the_ticked_ones_and_saves_nothing(client, open_team):
    from assessments.models import Response
    from tests.assessment_factories import make_version, start

    manager = name(open_team.users["manager"], "Maya", "Patel")
    assessment = start(open_team, make_version(), assessors=("manager",))
    client.force_login(manager)
    url = reverse("assessments:assessors", args=[open_team.alliance.slug, assessment.pk])
    response = client.post(url, {"assessors": [], "assessors_text": "Zebedee"})
    assert response.status_code == 200
    assert "No active user you may pick matches “Zebedee”" in response.content.decode()
    response = client.post(url, {"assessors": [manager.pk], "assessors_text": "Zebedee"})
    html = response.content.decode()
    assert f'name="assessors" value="{manager.pk}"' in html  # still ticked
    assert 'value="Zebedee"' in html
    response = client.post(url, {})
    assert "Choose at least one person" in response.content.decode()
    assert list(
        Response.objects.filter(assessment=assessment).values_list("assessor", flat=True)
    ) == [manager.pk]


def test_a_new_assessment_starts_with_me_ticked_and_a_picked_colleague(client, open_team):
    from assessments.models import Assessment
    from tests.assessment_factories import make_version

    manager = name(open_team.users["manager"], "Maya", "Patel")
    contributor = name(open_team.users["contributor"], "Chris", "Okafor")
    name(open_team.users["viewer"], "Chris", "Viewer")
    version = make_version()
    client.force_login(manager)
    url = reverse("assessments:start", args=[open_team.alliance.slug])
    html = client.get(url).content.decode()
    assert f'name="assessors" value="{manager.pk}" id="id_assessors-{manager.pk}" checked' in html
    data = {"version": version.pk, "title": "Fit", "assessors": [manager.pk]}
    response = client.post(url, {**data, "assessors_text": "chris"})  # the viewer may not answer
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert set(assessment.responses.values_list("assessor", flat=True)) == {
        manager.pk,
        contributor.pk,
    }
