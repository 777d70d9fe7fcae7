"""The demo's heaviest reads, as the load scenario's manager sees them: queries and median
wall / CPU time of Cobalt's alliance page (decision, sign-off, summary, trend), the
dashboard and Cobalt's results page."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment
from bench.support import median_wall_and_cpu_ms

SLUG = "cobalt-cloud-co-sell"


def main():
    """In a transaction rolled back at the end: the benchmarks after it share the database."""
    with transaction.atomic():
        measure()
        transaction.set_rollback(True)


def measure():
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    submitted = Assessment.objects.filter(alliance__slug=SLUG, status=Assessment.Status.SUBMITTED)
    fit = submitted.latest("pk")
    for label, url in [
        ("Cobalt's alliance page", reverse("alliances:detail", args=[SLUG])),
        ("dashboard (demo manager)", reverse("dashboard")),
        ("Cobalt's results page", reverse("assessments:results", args=[SLUG, fit.pk])),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        count = len(queries)
        wall, cpu = median_wall_and_cpu_ms(lambda url=url: client.get(url), repeat=50)
        print(f"{label:<30} {count:>3} queries   median {wall:6.1f} ms wall, {cpu:6.1f} ms CPU")
