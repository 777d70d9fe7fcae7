"""German for those who choose it: the chooser in the user menu switches the language,
remembers it for the user (a new browser, a new log-in), and the main pages then speak
German with German dates and numbers. English stays as it was."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Profile
from tests.assessment_factories import answer_all, give, make_version, start, submit
from tests.factories import KPIFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def choose(client, language, next_url="/"):
    """Press a language in the user menu: the form as the page draws it, CSRF included."""
    page = client.get(next_url).content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)" class="language-form".*?</form>',
        page,
        re.S,
    )
    assert form, "no language chooser in the user menu"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)
    assert f'name="language" value="{language}"' in form.group(0)
    return client.post(
        form.group(1), {"csrfmiddlewaretoken": token, "language": language, "next": next_url}
    )


@pytest.fixture
def fit_check(open_team):
    """A submitted and a half-filled response, and a KPI with a four-digit target."""
    KPIFactory(alliance=open_team.alliance, name="Joint pipeline", target=Decimal("1234.5"))
    assessment = start(open_team, make_version())
    mine = assessment.responses.get(assessor=open_team.users["manager"])
    answer_all(mine, 3)
    submit(mine)
    theirs = assessment.responses.get(assessor=open_team.users["contributor"])
    give(theirs, "A1", 2)
    return assessment


def pages(team, assessment):
    slug = team.alliance.slug
    contributor_response = assessment.responses.get(assessor=team.users["contributor"])
    return {
        "dashboard": reverse("dashboard"),
        "alliance": team.alliance.get_absolute_url(),
        "detail": assessment.get_absolute_url(),
        "results": reverse("assessments:results", args=[slug, assessment.pk]),
        "fill": reverse("assessments:fill", args=[slug, assessment.pk, contributor_response.pk]),
    }


def test_the_chooser_switches_a_user_to_german_and_their_next_log_in_keeps_it(open_team):
    user = open_team.users["manager"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert "My alliances" in text_of(browser.get("/"))

    response = choose(browser, "de", next_url=open_team.alliance.get_absolute_url())
    assert response.status_code == 302
    assert response.url == open_team.alliance.get_absolute_url()
    page = browser.get(response.url)
    assert page["Content-Language"] == "de"
    assert '<html lang="de">' in page.content.decode()
    assert "Überblick" in text_of(page)
    assert Profile.objects.get(user=user).language == "de"

    elsewhere = Client()  # another browser: no cookie, no session
    elsewhere.force_login(user)
    assert "Meine Allianzen" in text_of(elsewhere.get("/"))

    choose(elsewhere, "en-gb")
    assert "My alliances" in text_of(elsewhere.get("/"))
    assert Profile.objects.get(user=user).language == "en-gb"


def test_an_unknown_language_is_refused_with_a_message_and_changes_nothing(client, open_team):
    user = open_team.users["viewer"]
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert "Choose one of the languages offered." in text_of(response)
    assert not Profile.objects.filter(user=user).exists()
    client.logout()
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_in_german_the_main_pages_speak_german_with_german_dates_and_numbers(
    client, open_team, fit_check
):
    Profile.objects.create(user=open_team.users["contributor"], language="de")
    client.force_login(open_team.users["contributor"])
    urls = pages(open_team, fit_check)
    submitted = fit_check.responses.get(assessor=open_team.users["manager"]).submitted_at
    theirs = fit_check.responses.get(assessor=open_team.users["contributor"])
    saved = theirs.answers.get().updated_at
    # German short dates: "7. Dez. 2026, 15:17" (config/formats/de).
    with translation.override("de"):
        german_date = date_format(timezone.localtime(submitted), "SHORT_DATETIME_FORMAT")
        german_saved = date_format(timezone.localtime(saved), "SHORT_DATETIME_FORMAT")

    dashboard = text_of(client.get(urls["dashboard"]))
    assert "Meine Allianzen" in dashboard
    assert "Entscheidung" in dashboard
    assert "My alliances" not in dashboard

    alliance = text_of(client.get(urls["alliance"]))
    assert "Überblick" in alliance
    assert "Zielerreichung" in alliance
    assert "1.234,5" in alliance  # German grouping, decimal comma

    detail = text_of(client.get(urls["detail"]))
    assert f"abgegeben {german_date}" in detail

    results = text_of(client.get(urls["results"]))
    assert "Gesamtpunktzahl" in results
    assert "Nach Dimension" in results
    assert "Vorläufig: 1 Bewerter hat noch nicht abgegeben" in results
    assert "Overall score" not in results

    fill = text_of(client.get(urls["fill"]))
    assert "Nächster Abschnitt" in fill or "Prüfen und abgeben" in fill
    assert f"Gespeichert {german_saved}" in fill
    assert "Each answer is saved as you give it" not in fill


def test_in_english_the_same_pages_keep_english_dates_and_numbers(client, open_team, fit_check):
    client.force_login(open_team.users["contributor"])
    urls = pages(open_team, fit_check)
    submitted = fit_check.responses.get(assessor=open_team.users["manager"]).submitted_at
    english_date = timezone.localtime(submitted).strftime("%-d %b %Y, %H:%M")

    assert "My alliances" in text_of(client.get(urls["dashboard"]))
    alliance = text_of(client.get(urls["alliance"]))
    assert "Attainment" in alliance
    assert "1,234.5" in alliance
    assert f"submitted {english_date}" in text_of(client.get(urls["detail"]))
    assert "Overall score" in text_of(client.get(urls["results"]))


def test_the_site_language_setting_makes_german_the_default(client, open_team, settings):
    settings.LANGUAGE_CODE = "de"
    client.force_login(open_team.users["viewer"])
    assert "Meine Allianzen" in text_of(client.get("/"))
    assert "Anmelden" in text_of(Client().get(reverse("login")))


def test_the_browser_language_is_used_until_the_user_chooses(client, open_team):
    client.force_login(open_team.users["viewer"])
    assert "Meine Allianzen" in text_of(client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9"))
    assert "My alliances" in text_of(client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,en;q=0.5"))


def test_in_german_the_answer_history_says_submitted_and_reopened_in_german(client, open_team):
    manager, contributor = open_team.users["manager"], open_team.users["contributor"]
    assessment = start(open_team, make_version())
    theirs = assessment.responses.get(assessor=contributor)
    answer_all(theirs, 2)
    submit(theirs)
    Profile.objects.create(user=manager, language="de")
    client.force_login(manager)
    slug = open_team.alliance.slug
    client.post(reverse("assessments:reopen", args=[slug, assessment.pk, theirs.pk]))

    history = text_of(client.get(reverse("assessments:history", args=[slug, assessment.pk])))
    assert f"Wieder geöffnet von {manager.get_full_name()}" in history
    assert "Abgegeben" in history
    assert "Reopened by" not in history
    assert "Submitted" not in history
