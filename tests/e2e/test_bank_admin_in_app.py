"""A bank admin (two-factor sign-in) works on a bank in the app's own pages, without the
manual: uploads an Excel bank, reads the row the check refused, uploads the corrected
file, edits a German translation side by side, is taken back to that question, compares
the draft with the published version and publishes."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Max
from openpyxl import load_workbook

from banks.excel import bank_workbook
from banks.models import BankVersion
from banks.services import version_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def excel_file(path, version, number, **cells):
    """`version` as the Excel template, as a new draft `number`, with cells changed."""
    out = io.BytesIO()
    bank_workbook(version_data(version), out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    fields = {row[0].value: row[1] for row in workbook["Bank"].iter_rows(min_row=2)}
    fields["version"].value = number
    fields["status"].value = "draft"
    for where, value in cells.items():
        workbook["Questions"][where] = value
    workbook.save(path)
    return str(path)


def published_first_german_help(version) -> str:
    first = version.dimensions.order_by("order").first().questions.order_by("order", "pk").first()
    return first.translations["de"]["help"]


def test_upload_fix_a_row_translate_side_by_side_and_publish(
    live_server, page, login, csp_violations, tmp_path
):
    call_command("seed_demo", "--quiet-logins")
    published = BankVersion.objects.filter(status="published").order_by("pk").first()
    bank = published.bank
    number = bank.versions.aggregate(n=Max("number"))["n"] + 1
    broken = excel_file(tmp_path / "bank-broken.xlsx", published, number, F3=0)
    fixed = excel_file(tmp_path / "bank.xlsx", published, number)

    page.set_viewport_size({"width": 1366, "height": 768})
    login("bankadmin", "bankadmin-demo")
    page.get_by_role("link", name="Question banks").click()
    page.wait_for_load_state()
    assert page.url.endswith("/banks/")

    # The row the check refuses is named; nothing is imported.
    page.get_by_label("Bank file", exact=True).set_input_files(broken)
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()
    problems = page.locator("#bank-upload-problems").inner_text()
    assert "sheet Questions, row 3" in problems, problems
    assert "weight" in problems
    assert not bank.versions.filter(number=number).exists()

    # The corrected file imports as a draft and opens its page.
    page.get_by_label("Bank file", exact=True).set_input_files(fixed)
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()
    draft = BankVersion.objects.get(bank=bank, number=number)
    assert draft.status == "draft"
    assert page.url.endswith(f"/banks/versions/{draft.pk}/")
    assert f"Imported {draft.label} (draft)" in page.content()
    assert horizontal_overflow(page) <= 0

    # Edit the first question's German text beside the English one.
    first = draft.dimensions.order_by("order").first().questions.order_by("order", "pk").first()
    page.locator(f"#q-{first.pk}").get_by_role("link", name="Edit").click()
    page.wait_for_load_state()
    english = page.locator("textarea[name='text']")
    german = page.locator("textarea[name='text_de']")
    assert english.input_value() == first.text
    english_box, german_box = english.bounding_box(), german.bounding_box()
    assert abs(english_box["y"] - german_box["y"]) < 5, "the languages sit side by side"
    assert english_box["width"] > 300, "the question's text has a wide box"
    assert horizontal_overflow(page) <= 0
    german.fill("Im Browser übersetzt: dient die Allianz einem Ziel?")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/banks/versions/{draft.pk}/#q-{first.pk}")
    assert (
        "Im Browser übersetzt: dient die Allianz einem Ziel?"
        in page.locator(f"#q-{first.pk}").inner_text()
    )
    first.refresh_from_db()
    assert first.translations["de"]["text"] == "Im Browser übersetzt: dient die Allianz einem Ziel?"
    # The rest of the German came with the workbook (its "help@de" column).
    assert first.translations["de"]["help"] == published_first_german_help(published)

    # Compare with the published version, then publish.
    page.get_by_role("link", name="Compare and publish…").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert f"retires {published.label}" in body
    # The workbook carried the seed's German; only the edited text differs.
    assert "1 translation changed" in body
    assert "Im Browser übersetzt: dient die Allianz einem Ziel?" in body
    page.get_by_role("button", name=f"Yes, publish {draft.label}").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == ("published", "retired")
    assert f"Published {draft.label}." in page.content()
    assert not csp_violations, "\n".join(csp_violations)
