"""My work: queries and median time for a manager on 100 alliances, 20 of them with
an answer due, a finding to classify, a ready brief and an overdue sponsor signal."""

from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from alliances import pages
from alliances.access import MANAGERS_GROUP
from bench.support import median_ms
from tests.assessment_factories import make_version
from tests.factories import AllianceFactory, MembershipFactory, UserFactory
from tests.test_my_work import busy_alliance


def main():
    user = UserFactory(username="bench-busy", groups=[MANAGERS_GROUP])
    for alliance in AllianceFactory.create_batch(80):
        MembershipFactory(alliance=alliance, user=user)
    version = make_version(slug="bench-my-work", n_questions=8)
    for n in range(20):
        busy_alliance(user, 1000 + n, version)

    def my_work():
        request = RequestFactory().get("/")
        SessionMiddleware(lambda r: None).process_request(request)
        request.user = user
        return pages.my_work(request)

    with CaptureQueriesContext(connection) as queries:
        items = my_work()
    count = len(queries)
    ms = median_ms(my_work, repeat=100)
    label = f"My work ({len(items)} items)"
    print(f"{label:<30} {count:>3} queries   median {ms:6.1f} ms over 100 runs")
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    count = len(queries)
    ms = median_ms(lambda: client.get("/"), repeat=50)
    print(
        f"{'dashboard with My work':<30} {count:>3} queries   median {ms:6.1f} ms over 50 requests"
    )
