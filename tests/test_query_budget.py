"""List pages cost the same number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from alliances.access import MANAGERS_GROUP, visible_alliances
from tests.factories import AllianceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BUDGET = 7
# The dashboard also shows My work (tests/test_my_work.py pins it with every kind of item).
# + conditions I own, + sign-offs waiting for me (1 query each), + the reader's language
# and the portfolio link's role check; + the evidence dates (reassessment intervals) and
# the tracked conditions the decisions read; + the meeting actions I own
DASHBOARD_BUDGET = 18


@pytest.fixture
def manager_with(client):
    def setup(count):
        user = UserFactory(username=f"busy-{count}", groups=[MANAGERS_GROUP])
        for alliance in AllianceFactory.create_batch(count):
            MembershipFactory(alliance=alliance, user=user)
        client.force_login(user)
        return client

    return setup


@pytest.mark.parametrize("url_name", ["alliances:list", "dashboard", "alliances:partner_list"])
def test_page_queries_do_not_grow_with_alliances(
    manager_with, django_assert_max_num_queries, url_name
):
    client = manager_with(100)
    with django_assert_max_num_queries(DASHBOARD_BUDGET if url_name == "dashboard" else BUDGET):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_dashboard_shows_all_my_alliances_in_one_page_of_queries(
    manager_with, django_assert_max_num_queries
):
    client = manager_with(100)
    with django_assert_max_num_queries(DASHBOARD_BUDGET):
        response = client.get(reverse("dashboard"))
    assert len(response.context["my_alliances"]) == 100


def test_each_listed_alliance_reads_the_role_from_the_membership_table_alone():
    """The role lookup runs once per listed alliance: sorted by Membership's default
    order, it joined the alliance and user tables into every row's lookup."""
    sql = str(visible_alliances(UserFactory()).query)
    role_lookup = sql[: sql.index('AS "my_role"')]
    assert "alliances_membership" in role_lookup
    assert "JOIN" not in role_lookup
