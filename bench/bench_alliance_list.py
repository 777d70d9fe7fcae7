"""Alliance list and dashboard: queries and median time with 100 alliances."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alliances.access import MANAGERS_GROUP
from bench.support import median_ms
from tests.factories import AllianceFactory, MembershipFactory, UserFactory


def main():
    user = UserFactory(username="bench-manager", groups=[MANAGERS_GROUP])
    for alliance in AllianceFactory.create_batch(100):
        MembershipFactory(alliance=alliance, user=user)
    client = Client()
    client.force_login(user)
    for label, url in [("alliance list (page 1 of 4)", "/alliances/"), ("dashboard", "/")]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        query_count = len(queries)  # read now: the next request resets the log
        ms = median_ms(lambda url=url: client.get(url), repeat=100)
        print(f"{label:<30} {query_count:>3} queries   median {ms:6.1f} ms over 100 requests")
