"""Question banks may carry translations of their wording: checked like the rest of the
file, stored with the version, carried into new drafts and exports, and shown in the
reader's language, else in the bank's own."""

from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from banks.export import export_bank
from banks.models import Choice, Dimension, Question, QuestionBank, in_language
from banks.parse import BankFormatError, parse_bank
from banks.services import bank_import, version_data, version_new_draft
from tests.assessment_factories import invite_partner, start

SMALL = Path(__file__).parent / "banks" / "small.yaml"

GERMAN = {
    "bank": {"de": {"name": "Kleine Passung", "description": "Eine Bank für Tests."}},
    "dimension": {"de": {"name": "Ausrichtung"}},
    "S1": {
        "de": {
            "text": "Dient einem benannten Ziel.",
            "help": "Fragen Sie die Strategieabteilung.",
            "levels": ["Nichts", "Schwach", "Teilweise", "Weitgehend", "Vollständig"],
        }
    },
    "S2": {"de": {"choices": ["Alle unsere Regionen", "Wenige oder keine"]}},
    "S3": {
        "fr": {"text": "Un accord de confidentialité est-il signé ?", "choices": ["Oui", "Non"]}
    },
}


def small_document() -> dict:
    return yaml.safe_load(SMALL.read_text(encoding="utf-8"))


def translated_document() -> dict:
    document = small_document()
    document["bank"]["translations"] = GERMAN["bank"]
    first, other = document["dimensions"]
    first["translations"] = GERMAN["dimension"]
    first["questions"][0]["translations"] = GERMAN["S1"]
    first["questions"][1]["translations"] = GERMAN["S2"]
    other["questions"][0]["translations"] = GERMAN["S3"]
    return document


def parse(document: dict):
    return parse_bank(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


def problems(document: dict) -> str:
    with pytest.raises(BankFormatError) as caught:
        parse(document)
    return "\n".join(caught.value.errors)


def test_translations_are_read_per_language_and_written_back_the_same():
    data = parse(translated_document())
    assert data.language == "en"
    assert data.translations == GERMAN["bank"]
    alignment = data.dimensions[0]
    assert alignment.translations == {"de": {"name": "Ausrichtung"}}
    s1, s2 = alignment.questions
    assert s1.translations == {
        "de": {"text": "Dient einem benannten Ziel.", "help": "Fragen Sie die Strategieabteilung."}
    }
    assert [c.translations["de"]["label"] for c in s1.choices] == GERMAN["S1"]["de"]["levels"]
    assert [c.translations["de"]["label"] for c in s2.choices] == [
        "Alle unsere Regionen",
        "Wenige oder keine",
    ]
    s3 = data.dimensions[1].questions[0]
    assert [c.translations["fr"]["label"] for c in s3.choices] == ["Oui", "Non"]
    # The export writes them back in the file's own form, and reads back to the same bank.
    exported = yaml.safe_load(export_bank(data))
    assert exported["dimensions"][0]["questions"][0]["translations"] == GERMAN["S1"]
    assert exported["dimensions"][0]["questions"][1]["translations"] == GERMAN["S2"]
    assert parse(exported) == data


def test_a_bank_without_translations_exports_as_it_always_did():
    text = export_bank(parse(small_document()))
    assert "translations" not in text
    assert "language" not in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["bank"].update(translations=["de"]),
            "bank.translations: must be a mapping of language codes",
        ),
        (
            lambda d: d["bank"].update(translations={"German": {"name": "x"}}),
            "bank.translations.'German': is not a language code like de",
        ),
        (
            lambda d: d["bank"].update(translations={"en": {"name": "Small fit"}}),
            "bank.translations.en: is the bank's own language",
        ),
        (
            lambda d: d["bank"].update(language="English"),
            "bank.language: must be a language code such as en or pt-br",
        ),
        (
            lambda d: d["dimensions"][0].update(translations={"de": {"title": "Ausrichtung"}}),
            "dimensions[0].translations.de.title: unknown field; expected one of name, description",
        ),
        (
            lambda d: d["dimensions"][0]["questions"][0].update(
                translations={"de": {"levels": ["Nichts", "Schwach"]}}
            ),
            "dimensions[0].questions[0].translations.de.levels: must list 5 labels, in order",
        ),
        (
            lambda d: d["dimensions"][0]["questions"][1].update(
                translations={"de": {"levels": ["a", "b", "c", "d", "e"]}}
            ),
            "dimensions[0].questions[1].translations.de.levels: unknown field; "
            "expected one of text, help, choices",
        ),
        (
            lambda d: d["dimensions"][0]["questions"][0].update(translations={"de": {"text": ""}}),
            "dimensions[0].questions[0].translations.de.text: must be non-empty text",
        ),
        (
            lambda d: d["dimensions"][0]["questions"][0].update(
                translations={"de": {"text": "x" * 501}}
            ),
            "dimensions[0].questions[0].translations.de.text: is 501 characters long; at most 500",
        ),
        (
            lambda d: d["dimensions"][0]["questions"][0].update(
                translations={"de": {"levels": ["a", "b", 3, "d", "e"]}}
            ),
            "translations.de.levels[2]: must be non-empty text, got 3",
        ),
        (
            lambda d: d["dimensions"][1]["questions"][1].update(
                translations={"de": {"choices": ["Ja", "Nein"]}}
            ),
            "dimensions[1].questions[1].translations.de.choices: unknown field; "
            "expected one of text, help",
        ),
        (
            lambda d: d["bank"].update(translations={f"q{chr(97 + n)}": {} for n in range(21)}),
            "bank.translations: at most 20 languages",
        ),
    ],
)
def test_bad_translations_are_refused_with_their_line_and_field(change, expected):
    document = small_document()
    change(document)
    assert expected in problems(document)


def test_a_hostile_translation_is_refused_like_any_other_field():
    # Anchors and aliases are refused before parsing, in translations too.
    text = SMALL.read_text(encoding="utf-8").replace(
        "  description: A two-dimension bank for tests.\n",
        "  description: A two-dimension bank for tests.\n"
        "  translations:\n    de: &t {name: Kleine Passung}\n    fr: *t\n",
    )
    with pytest.raises(BankFormatError) as caught:
        parse_bank(text)
    assert "YAML anchors (&) and aliases (*) are not part of the bank format" in str(caught.value)


@pytest.fixture
def translated_version(db):
    return bank_import(data=parse(translated_document()))


def test_translations_are_stored_with_the_version_and_carried_into_a_new_draft(
    translated_version, bank_admin
):
    bank = QuestionBank.objects.get(slug="small-fit")
    assert (bank.language, bank.translations) == ("en", GERMAN["bank"])
    assert Dimension.objects.get(version=translated_version, name="Alignment").translations == {
        "de": {"name": "Ausrichtung"}
    }
    s1 = Question.objects.get(dimension__version=translated_version, key="S1")
    assert s1.translations["de"]["text"] == "Dient einem benannten Ziel."
    labels = [c.translations["de"]["label"] for c in s1.choices.order_by("order")]
    assert labels == GERMAN["S1"]["de"]["levels"]
    draft = version_new_draft(version=translated_version, by=bank_admin)
    assert version_data(draft).dimensions == version_data(translated_version).dimensions


def test_the_wording_falls_back_to_the_banks_language(translated_version):
    s1 = Question.objects.get(dimension__version=translated_version, key="S1")
    assert in_language(s1, "text", "de") == "Dient einem benannten Ziel."
    assert in_language(s1, "text", "de-at") == "Dient einem benannten Ziel."
    assert in_language(s1, "text", "fr") == "Serves a named objective."
    assert in_language(s1, "text", "en-gb") == "Serves a named objective."
    s2 = Question.objects.get(dimension__version=translated_version, key="S2")
    # Translated labels, untranslated text and help: each field falls back on its own.
    assert in_language(s2, "text", "de") == "Which regions does the partner cover?"
    choice = Choice.objects.get(question=s2, score=100)
    assert in_language(choice, "label", "de") == "Alle unsere Regionen"
    with translation.override("de"):
        assert in_language(choice, "label") == "Alle unsere Regionen"


def fill_page(client, team, version) -> str:
    assessment = start(team, version, assessors=("manager",))
    response = assessment.responses.get()
    client.force_login(team.users["manager"])
    url = reverse("assessments:fill", args=[team.alliance.slug, assessment.pk, response.pk])
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


def test_a_german_reader_fills_in_the_german_wording(
    client, open_team, translated_version, settings
):
    # The site's language for this reader (their choice, once they make one, comes first).
    settings.LANGUAGE_CODE = "de"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = fill_page(client, open_team, translated_version)
    assert "Ausrichtung" in page
    assert "Dient einem benannten Ziel." in page
    assert "Fragen Sie die Strategieabteilung." in page
    assert "Vollständig" in page
    assert "Alle unsere Regionen" in page
    assert "Serves a named objective." not in page
    # Nothing is stored translated: the bank keeps its own wording.
    assert Question.objects.get(dimension__version=translated_version, key="S1").text == (
        "Serves a named objective."
    )


def test_a_reader_in_another_language_gets_the_banks_wording(client, open_team, translated_version):
    page = fill_page(client, open_team, translated_version)
    assert "Serves a named objective." in page
    assert "Fully" in page
    assert "Dient einem benannten Ziel." not in page


def test_a_german_partner_answers_the_german_wording(client, open_team, settings):
    """The partner's page (no account: the browser's language) shows the same sections as
    ours, worded in the reader's language where the bank translates them."""
    document = translated_document()
    document["bank"]["kind"] = "mutual_fit"
    assessment = start(open_team, bank_import(data=parse(document)), assessors=("manager",))
    token = "german-partner-link-0123456789abcdefghij"
    invite_partner(assessment, by=open_team.users["manager"], token=token)
    fill = reverse("partner:fill", args=[token])

    english = client.get(fill).content.decode()
    assert "Serves a named objective." in english
    assert "Dient einem benannten Ziel." not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    german = client.get(fill).content.decode()
    assert "Ausrichtung" in german
    assert "Dient einem benannten Ziel." in german
    assert "Alle unsere Regionen" in german
    assert "Serves a named objective." not in german
