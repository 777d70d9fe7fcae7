"""403, 404, 400 and 500 pages in the site's layout, with navigation, a way back and,
for a 403 or a 400, the reason."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_403_shows_its_reason_in_the_site_layout(client, open_team):
    client.force_login(open_team.users["viewer"])
    response = client.get(reverse("alliances:edit", args=[open_team.alliance.slug]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not edit this alliance." in html
    assert 'aria-label="Main"' in html  # the site's navigation
    assert reverse("alliances:list") in html
    assert "Back to the dashboard" in html


def test_a_403_to_htmx_is_the_reason_alone(client, open_team):
    client.force_login(open_team.users["viewer"])
    response = client.post(
        reverse("sponsors:signal_create", args=[open_team.alliance.slug]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "You may not record sponsor signals on this alliance." in html
    assert "<nav" not in html


def test_a_404_is_in_the_site_layout_with_a_way_back(client, open_team):
    client.force_login(open_team.users["viewer"])
    response = client.get("/alliances/no-such-alliance/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'aria-label="Main"' in html
    assert "Back to the dashboard" in html


def test_a_confidential_alliance_404_says_no_more_than_any_404(client, confidential_team):
    client.force_login(confidential_team.users["outsider"])
    hidden = client.get(confidential_team.alliance.get_absolute_url()).content.decode()
    missing = client.get("/alliances/no-such-alliance/").content.decode()
    assert confidential_team.alliance.name not in hidden
    main = lambda html: html.split('<main id="main"', 1)[1]  # noqa: E731
    assert main(hidden) == main(missing)


def test_a_400_says_which_value_was_refused(client, open_team):
    client.force_login(open_team.users["manager"])
    from tests.assessment_factories import make_version, start

    assessment = start(open_team, make_version())
    mine = assessment.responses.get(assessor=open_team.users["manager"])
    url = reverse("assessments:fill", args=[open_team.alliance.slug, assessment.pk, mine.pk])
    response = client.get(url, {"d": "²"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“d (the section)” must be a whole number" in html
    assert "Back to the dashboard" in html


def test_too_many_fields_is_a_400_page_not_a_500(client, open_team):
    client.force_login(open_team.users["manager"])
    data = {f"f{i}": "1" for i in range(1100)}
    response = client.post(reverse("alliances:team", args=[open_team.alliance.slug]), data)
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def test_the_500_page_renders_without_a_request():
    """Django renders 500.html with no context at all: it must still have a way back."""
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert 'href="/"' in html
