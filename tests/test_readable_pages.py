"""Pages speak to people: names instead of logins, no "None", each status said once, and
explanations that do not hide in a hover title."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Response
from tests.assessment_factories import answer_all, make_version, start, submit
from tests.factories import AllianceFactory, UserFactory

pytestmark = pytest.mark.django_db


def text_of_html(html: str) -> str:
    """The page as a reader sees it: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def text_of(response) -> str:
    return text_of_html(response.content.decode())


def test_the_alliance_list_says_not_on_the_team_instead_of_none(client, open_team):
    AllianceFactory(name="Someone else's alliance", is_confidential=False)
    client.force_login(open_team.users["manager"])
    page = text_of(client.get(reverse("alliances:list")))
    assert "not on the team" in page
    assert "None" not in page


def test_adding_a_member_names_them_by_their_name(client, open_team):
    newcomer = UserFactory(username="nc7", first_name="Nadia", last_name="Chowdhury")
    client.force_login(open_team.users["manager"])
    response = client.post(
        reverse("alliances:team", args=[open_team.alliance.slug]),
        {"who": "nc7", "role": "viewer"},
        follow=True,
    )
    page = text_of(response)
    assert "Nadia Chowdhury added to the team." in page
    assert "Role of Nadia Chowdhury" in page
    assert open_team.alliance.memberships.filter(user=newcomer).exists()


def test_each_assessor_is_in_progress_once_and_a_reopening_names_the_manager(client, open_team):
    version = make_version()
    assessment = start(open_team, version)
    contributor = open_team.users["contributor"]
    theirs = assessment.responses.get(assessor=contributor)
    answer_all(theirs, 3)
    submit(theirs)
    manager = open_team.users["manager"]
    client.force_login(manager)
    client.post(
        reverse("assessments:reopen", args=[assessment.alliance.slug, assessment.pk, theirs.pk])
    )
    assert Response.objects.get(pk=theirs.pk).status == Response.Status.DRAFT

    html = client.get(assessment.get_absolute_url()).content.decode()
    page = text_of_html(html)
    assessors = text_of_html(html.split('id="assessors-h"')[1].split("</section>")[0])
    assert assessors.lower().count("in progress") == assessment.responses.count()
    assert escape(f"by {manager.get_full_name()}") in page
    assert manager.username not in page

    history = text_of(
        client.get(reverse("assessments:history", args=[assessment.alliance.slug, assessment.pk]))
    )
    assert escape(f"Reopened by {manager.get_full_name()}") in history
    assert escape(contributor.get_full_name()) in history
    assert contributor.username not in history


def test_the_knockout_rule_is_said_in_text_on_the_fill_page(client, open_team):
    assessment = start(open_team, make_version())
    mine = assessment.responses.get(assessor=open_team.users["manager"])
    client.force_login(mine.assessor)
    html = client.get(
        reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, mine.pk])
    ).content.decode()
    note = re.search(r'<p [^>]*id="(ko-q\d+)"[^>]*>([^<]*)</p>', html)
    assert note, "the knock-out rule is not on the page as text"
    assert "at level 1 or below opens a finding" in note.group(2)
    assert f'aria-describedby="{note.group(1)}"' in html
    assert 'title="Answered at level' not in html


def test_empty_state_text_uses_the_darker_grey(client, open_team):
    client.force_login(open_team.users["manager"])
    html = client.get(reverse("assessments:list", args=[open_team.alliance.slug])).content.decode()
    assert 'class="text-body-secondary mb-3">Assess strategic fit' in html
