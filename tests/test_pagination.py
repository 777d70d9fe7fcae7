"""Page links keep the search and the filters: page 2 of "R&D" still searches "R&D"."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from alliances.models import Alliance
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def next_link(html: str) -> dict:
    href = re.search(r'<a class="page-link" href="([^"]+)">Next</a>', html).group(1)
    return parse_qs(urlsplit(unescape(href)).query)


def test_page_two_of_an_alliance_search_keeps_the_search_and_filters(client):
    for n in range(30):
        AllianceFactory(name=f"R&D lab {n:02}", stage=Alliance.Stage.EXPLORING)
    AllianceFactory(name="Plain R only")
    client.force_login(UserFactory())
    first = client.get(reverse("alliances:list"), {"q": "R&D", "stage": "exploring"})
    query = next_link(first.content.decode())
    assert query == {"q": ["R&D"], "stage": ["exploring"], "page": ["2"]}
    second = client.get(reverse("alliances:list"), {k: v[0] for k, v in query.items()})
    names = [a.name for a in second.context["alliances"]]
    assert names == [f"R&D lab {n:02}" for n in range(25, 30)]


def test_page_two_of_an_organisation_search_keeps_the_search(client):
    for n in range(30):
        OrganisationFactory(name=f"R&D partner {n:02}")
    OrganisationFactory(name="R only partner")
    client.force_login(UserFactory())
    first = client.get(reverse("alliances:partner_list"), {"q": "R&D"})
    query = next_link(first.content.decode())
    assert query == {"q": ["R&D"], "page": ["2"]}
    second = client.get(reverse("alliances:partner_list"), {k: v[0] for k, v in query.items()})
    assert len(second.context["organisations"]) == 5
    assert all("R&D" in o.name for o in second.context["organisations"])
