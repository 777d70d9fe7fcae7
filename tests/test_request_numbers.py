"""Every integer, id or choice taken from a request goes through kit/params.py:
ASCII digits only, bounded length and range; a bad one is a 400 with a message, a 404
(ids in the path) or a form error, never a 500, and nothing is written."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import BadRequest, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Answer, Assessment
from kit.params import (
    ID_MAX,
    IdChoiceField,
    IdMultipleChoiceField,
    digits_value,
    parse_choice,
    parse_int,
    parse_optional_int,
)
from tests import fuzz
from tests.assessment_factories import make_version, question, start

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- the parser itself


@given(st.text())
def test_any_text_parses_to_a_bounded_number_or_a_bad_request(raw):
    ok = digits_value(raw, max_digits=3)
    if ok is not None and 1 <= ok <= 100:
        assert parse_int(raw, name="n", minimum=1, maximum=100) == ok == int(raw)
    else:
        with pytest.raises(BadRequest, match="“n” must be a whole number from 1 to 100") as e:
            parse_int(raw, name="n", minimum=1, maximum=100)
        assert len(str(e.value)) < 200  # a 10,000-character value is not echoed whole


@given(st.integers(min_value=0, max_value=ID_MAX))
def test_every_id_in_range_round_trips(n):
    assert digits_value(str(n)) == n
    assert parse_int(str(n), name="id") == n


@pytest.mark.parametrize(
    "raw",
    ["²", "٣", "𝟘", "1²", "9" * 5000, "9" * 19, "-0", "-1", "+1", " 1", "1 ", "1e309", "NaN",
     "1.0", "0x1", "1_0", "\x00", "1\x00", "", None, ["1"], 1],
)  # fmt: skip
def test_what_int_would_accept_or_choke_on_is_refused(raw):
    assert digits_value(raw) is None
    with pytest.raises(BadRequest):
        parse_int(raw, name="n")


def test_absent_gives_the_default_and_choices_are_exact():
    assert parse_optional_int(None, name="d", default=1) == 1
    assert parse_optional_int("", name="d", default=1) == 1
    assert parse_optional_int("7", name="d", default=1) == 7
    assert parse_choice("ours", name="side", choices=["ours", "partner"]) == "ours"
    assert parse_choice(None, name="side", choices=["ours"], default="ours") == "ours"
    with pytest.raises(BadRequest, match="“side” must be one of ours, partner"):
        parse_choice("OURS", name="side", choices=["ours", "partner"])


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["99999999999999999999", "²", "-1", "1e309", "NaN", "\x00"])
def test_id_fields_turn_hostile_ids_into_form_errors(raw, open_team):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    single = IdChoiceField(queryset=users)
    with pytest.raises(ValidationError) as single_error:
        single.clean(raw)
    assert single_error.value.code == "invalid_choice"
    several = IdMultipleChoiceField(queryset=users)
    with pytest.raises(ValidationError) as several_error:
        several.clean([str(open_team.users["manager"].pk), raw])
    assert several_error.value.code == "invalid_pk_value"
    assert several.clean([f" {open_team.users['manager'].pk} "]).get() == open_team.users["manager"]


def test_no_view_or_form_calls_int_on_request_data_itself():
    """int() in a view or form is how the 500s came in: they use kit/params.py."""
    offenders = []
    for path in (
        sorted(ROOT.glob("*/views.py"))
        + sorted(ROOT.glob("*/*views.py"))
        + sorted(ROOT.glob("*/forms.py"))
    ):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "int":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "use kit.params.parse_int: " + ", ".join(sorted(set(offenders)))


# ---------------------------------------------------------------- the requests of issue 14


@pytest.fixture
def mine(client, open_team):
    version = make_version()
    assessment = start(open_team, version)
    client.force_login(open_team.users["manager"])
    return assessment, assessment.responses.get(assessor=open_team.users["manager"])


def answer_url(assessment, response, question_id):
    return reverse(
        "assessments:answer",
        args=[assessment.alliance.slug, assessment.pk, response.pk, question_id],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["²", "٣", "𝟘", "9" * 5000, "1e309", "-0"])
def test_a_section_that_is_no_number_is_a_400_with_a_message(client, mine, section):
    assessment, response = mine
    url = reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, response.pk])
    page = client.get(url, {"d": section})
    assert page.status_code == 400
    assert "“d (the section)” must be a whole number" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["²", "9" * 5000])
def test_an_answer_save_with_a_bad_section_is_a_400_and_writes_nothing(client, mine, section):
    """Issue 15: `d=²` answered 500 after the answer was committed."""
    assessment, response = mine
    q = question(assessment.version, "A1")
    data = {f"q{q.pk}-level": q.choices.first().pk, "d": section}
    for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):
        reply = client.post(answer_url(assessment, response, q.pk), data, **htmx)
        assert reply.status_code == 400
        assert "must be a whole number" in reply.content.decode()
    assert not Answer.objects.exists()
    assert not Answer.history.exists()


@pytest.mark.django_db
def test_an_answer_save_keeps_working_with_a_good_section(client, mine):
    assessment, response = mine
    q = question(assessment.version, "A1")
    data = {f"q{q.pk}-level": q.choices.first().pk, "d": "1"}
    assert client.post(answer_url(assessment, response, q.pk), data).status_code == 200
    assert Answer.objects.get().choice == q.choices.first()


@pytest.mark.django_db
@pytest.mark.parametrize("assessor", ["99999999999999999999", "9" * 5000, "²", "-1"])
def test_an_out_of_range_assessor_is_a_form_error(client, mine, open_team, assessor):
    assessment, _ = mine
    url = reverse("assessments:assessors", args=[assessment.alliance.slug, assessment.pk])
    before = list(assessment.responses.values_list("assessor_id", flat=True))
    page = client.post(url, {"assessors": [open_team.users["manager"].pk, assessor]})
    assert page.status_code == 200
    assert "assessors" in page.context["form"].errors
    assert list(assessment.responses.values_list("assessor_id", flat=True)) == before
    start_url = reverse("assessments:start", args=[assessment.alliance.slug])
    page = client.post(
        start_url, {"version": assessment.version_id, "title": "T", "assessors": [assessor]}
    )
    assert page.status_code == 200
    assert "assessors" in page.context["form"].errors
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_a_30_digit_or_unicode_id_in_any_url_is_a_404(client, open_team):
    """`<id:…>` takes 1 to 18 ASCII digits: a longer id never reaches the database."""
    client.force_login(open_team.users["superuser"])
    checked = 0
    for name, arguments, _ in fuzz.url_names():
        ids = sorted(fuzz.id_arguments(name))
        if not ids:
            continue
        # The other arguments (a slug, a download's format, a token) keep a valid value.
        examples = {**fuzz.PATH_EXAMPLES, "slug": open_team.alliance.slug}
        kwargs = {a: 1 if a in ids else examples[a] for a in arguments}
        for bad in ("9" * 30, "²"):
            for key in ids:
                url = reverse(name, kwargs={**kwargs, key: fuzz.SENTINEL_ID})
                url = url.replace(str(fuzz.SENTINEL_ID), bad)
                assert client.get(url).status_code == 404, url
                assert client.post(url).status_code == 404, url
                checked += 1
    assert checked > 20


@pytest.mark.django_db
@pytest.mark.parametrize("go", ["elsewhere", "\x00", "x" * 10000])
def test_an_unknown_button_on_the_fill_page_is_a_400_and_saves_nothing(client, mine, go):
    assessment, response = mine
    q = question(assessment.version, "A1")
    url = reverse("assessments:fill", args=[assessment.alliance.slug, assessment.pk, response.pk])
    reply = client.post(url, {f"q{q.pk}-level": q.choices.first().pk, "d": "1", "go": go})
    assert reply.status_code == 400
    assert "“go” must be one of stay, next, previous, submit" in reply.content.decode()
    assert not Answer.objects.exists()


def test_an_answer_is_not_kept_when_its_reply_cannot_be_rendered(
    transactional_db, open_team, settings, tmp_path
):
    """Issue 15: the save and the reply that reports it are one transaction."""
    from django.test import Client

    broken = tmp_path / "assessments" / "_answer_saved.html"
    broken.parent.mkdir()
    broken.write_text("{% url 'no-such-page' %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assessment = start(open_team, make_version())
    response = assessment.responses.get(assessor=open_team.users["manager"])
    q = question(assessment.version, "A1")
    client = Client(raise_request_exception=False)
    client.force_login(open_team.users["manager"])
    reply = client.post(
        answer_url(assessment, response, q.pk), {f"q{q.pk}-level": q.choices.first().pk}
    )
    assert reply.status_code == 500
    assert not Answer.objects.exists()
