"""The fill page's questions (Jinja2, assessments/fill_html.py) carry what the
browser, htmx and assistive technology rely on: escaped bank and answer text, the saved
answer checked, the autosave attributes unless locked, and the no-JS errors on the field."""

import pytest
from django.urls import reverse

from assessments import services
from banks.schema import ChoiceData
from banks.services import bank_import
from tests.assessment_factories import give, make_bank_data, question, start

pytestmark = pytest.mark.django_db

TRICKY = "<b>bold</b> & \"quoted\" 'text'"


@pytest.fixture
def assessment(open_team):
    data = make_bank_data(n_questions=4, n_dimensions=1, allows_na=("A2",), text_keys=("A4",))
    data.dimensions[0].questions[1].text = TRICKY
    data.dimensions[0].questions[1].help = f"Help {TRICKY}"
    data.dimensions[0].questions[2].choices[0] = ChoiceData(f"None {TRICKY}", 0)
    return start(open_team, bank_import(data=data))


def page(client, assessment, user, method="get", data=None):
    mine = assessment.responses.get(assessor=user)
    url = reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, mine.pk])
    client.force_login(user)
    return getattr(client, method)(url, data or {}).content.decode()


# As Jinja2 (MarkupSafe) escapes it.
ESCAPED = "&lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34; &#39;text&#39;"


def test_bank_and_answer_text_is_escaped(client, open_team, assessment):
    manager = open_team.users["manager"]
    mine = assessment.responses.get(assessor=manager)
    give(mine, "A1", 2, comment=f"Comment {TRICKY}")
    services.answer_save(
        response=mine,
        question=question(assessment.version, "A4"),
        value=services.AnswerValue(text=f"Notes {TRICKY}"),
        by=manager,
    )
    html = page(client, assessment, manager)
    assert TRICKY not in html
    for shown in (ESCAPED, f"Help {ESCAPED}", f"None {ESCAPED}", f"Comment {ESCAPED}"):
        assert shown in html
    assert f'maxlength="4000">Notes {ESCAPED}</textarea>' in html


def test_the_saved_answers_are_checked_and_each_question_autosaves(client, open_team, assessment):
    manager = open_team.users["manager"]
    mine = assessment.responses.get(assessor=manager)
    a1, a2, a3 = (question(assessment.version, key) for key in ("A1", "A2", "A3"))
    chosen = give(mine, "A1", 3).choice
    give(mine, "A2", na=True)
    give(mine, "A3", dont_know=True)
    html = page(client, assessment, manager)
    assert f'id="q{a1.pk}-c{chosen.pk}" value="{chosen.pk}" checked>' in html
    assert html.count(" checked>") == 3
    assert f'id="q{a2.pk}-na" value="na" checked>' in html
    assert f'id="q{a3.pk}-dk" value="dk" checked>' in html
    answer = reverse(
        "assessments:answer", args=[assessment.alliance.slug, assessment.pk, mine.pk, a1.pk]
    )
    assert (
        f'<fieldset class="card mb-3" id="q-{a1.pk}" hx-post="{answer}" hx-trigger="change"'
        f' hx-target="#status-q{a1.pk}" hx-swap="innerHTML" hx-vals=\'{{"d": "1"}}\''
        f' aria-describedby="ko-q{a1.pk}">'
    ) in html
    assert f'<p class="small text-body-secondary mb-1" id="ko-q{a1.pk}">Knock-out question' in html
    assert html.count('<span class="text-secondary">Saved ') == 3


def test_a_submitted_response_is_shown_disabled_without_autosave(client, open_team, assessment):
    manager = open_team.users["manager"]
    mine = assessment.responses.get(assessor=manager)
    for key in ("A1", "A2", "A3"):
        give(mine, key, 2)
    services.response_submit(response=mine, by=manager)
    html = page(client, assessment, manager)
    assert "hx-post" not in html
    assert html.count("<fieldset") == html.count(" disabled")


def test_without_javascript_a_bad_link_is_marked_on_its_field(client, open_team, assessment):
    manager = open_team.users["manager"]
    a1 = question(assessment.version, "A1")
    html = page(client, assessment, manager, "post", {"d": "1", f"q{a1.pk}-evidence_url": "nope"})
    assert 'class="alert alert-danger py-1 small" role="alert">Enter a valid URL. </div>' in html
    assert (
        f'form-control-sm is-invalid" aria-invalid="true" type="url" id="q{a1.pk}-evidence_url"'
    ) in html
    assert html.count("aria-invalid") == 1
