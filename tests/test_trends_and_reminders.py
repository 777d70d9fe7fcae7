"""The trend chart (alliance page and PDF brief, from two rounds on) and the "reassessment
due" reminders (daily notification to the managers, My work item)."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.chart_svg import trend_svg
from assessments.charts import trend_chart
from assessments.models import Assessment
from assessments.round_reminders import reassessment_due_job
from briefs.models import Brief
from home.my_work import my_work
from notifications.models import Notification
from tests.assessment_factories import answer_all, make_version, start, submit
from tests.sponsor_factories import SignalFactory, SponsorshipFactory, days_ago

pytestmark = pytest.mark.django_db


def two_rounds(team, first_level=2, second_level=4):
    version = make_version(knockouts={})
    first = start(team, version, assessors=("manager",))
    answer_all(first.responses.get(), first_level)
    submit(first.responses.get())
    Assessment.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=365))
    first.refresh_from_db()
    second = services.assessment_reassess(assessment=first, by=team.users["manager"])
    answer_all(second.responses.get(), second_level)
    submit(second.responses.get())
    return first, second


def test_trend_chart_breaks_the_line_where_a_round_has_no_score():
    chart = trend_chart(
        title="Strategic fit across rounds",
        days=[1, 366, 731],
        labels=["a", "b", "c"],
        series=[("Overall", [50.0, 75.0, 100.0]), ("Reach", [40.0, None, 80.0])],
    )
    overall, reach = chart.lines
    assert overall.is_main
    assert not reach.is_main
    assert reach.values == (40.0, None, 80.0)
    assert "Reach: a 40, c 80" in chart.description
    # The drawn line has two pieces: the missing middle is not drawn.
    svg = trend_svg(chart, dom_id="t")
    reach_line = re.search(rf'<path d="([^"]+)" fill="none" stroke="{reach.colour}"', svg)
    assert reach_line.group(1).count("M") == 2


def test_alliance_page_shows_the_trend_with_two_rounds_only(client, open_team):
    client.force_login(open_team.users["viewer"])
    url = reverse("alliances:detail", args=[open_team.alliance.slug])
    assert "across rounds" not in client.get(url).content.decode()
    two_rounds(open_team)
    html = client.get(url).content.decode()
    assert "Strategic fit across rounds" in html
    assert "Overall: " in html  # the description reads every value
    assert "<svg" in html


def test_a_german_reader_sees_the_trend_in_german_with_german_dates(client, open_team, settings):
    first, _ = two_rounds(open_team)
    Assessment.objects.filter(pk=first.pk).update(submitted_at=datetime(2025, 3, 5, 12, tzinfo=UTC))
    client.force_login(open_team.users["viewer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = client.get(reverse("alliances:detail", args=[open_team.alliance.slug])).content.decode()
    assert "Strategische Passung über die Runden" in html
    assert "Gesamt: 5. März 2025" in html  # the description: German words, German date
    assert "across rounds" not in html
    assert "Mar 2025" not in html


def test_sponsor_health_over_time_comes_from_the_signals_dated_up_to_each_month(client, open_team):
    sponsorship = SponsorshipFactory(alliance=open_team.alliance, since=days_ago(400))
    for days in (20, 40, 70):
        SignalFactory(sponsorship=sponsorship, kind="advocacy", date=days_ago(days))
    client.force_login(open_team.users["viewer"])
    page = client.get(reverse("alliances:detail", args=[open_team.alliance.slug]))
    html = page.content.decode()
    assert f"Health of our executive sponsor, {sponsorship.sponsor.name}" in html
    from assessments.round_selectors import alliance_trends

    values = alliance_trends(open_team.alliance)["sponsor"]["values"]
    assert len(values) == 13
    assert values[0] != values[-1]  # a year ago there was no advocacy yet


def test_the_brief_draws_the_trend_when_there_are_two_rounds(
    client, open_team, django_capture_on_commit_callbacks
):
    two_rounds(open_team)
    client.force_login(open_team.users["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("briefs:prepare", args=[open_team.alliance.slug]))
    brief = Brief.objects.get()
    assert brief.status == Brief.Status.READY
    assert len(brief.snapshot["trends"]["rounds"]) == 1
    with default_storage.open(brief.pdf.name, "rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Trends across rounds" in text
    assert "Strategic fit across rounds" in text


def test_reassessment_due_notifies_the_managers_once_and_shows_in_my_work(open_team):
    alliance = open_team.alliance
    alliance.stage = "managing"
    alliance.save()
    _first, second = two_rounds(open_team)
    today = timezone.localdate()
    assert reassessment_due_job(today) == 0  # the latest round is fresh
    Assessment.objects.filter(pk=second.pk).update(
        submitted_at=timezone.now() - timedelta(days=400)
    )
    assert reassessment_due_job(today) == 1
    assert reassessment_due_job(today) == 0  # once per round falling due
    assert reassessment_due_job(today + timedelta(days=1)) == 0
    notification = Notification.objects.get()
    assert notification.recipient == open_team.users["manager"]
    assert notification.kind == "reassessment_due"
    assert "Reassessment due" in notification.title

    request = RequestFactory().get("/")
    request.user = open_team.users["manager"]
    items = [i for i in my_work(request) if i.kind == "reassessment_due"]
    assert len(items) == 1
    assert items[0].overdue
    assert items[0].alliance_name == alliance.name
    request = RequestFactory().get("/")
    request.user = open_team.users["contributor"]
    assert not [i for i in my_work(request) if i.kind == "reassessment_due"]
