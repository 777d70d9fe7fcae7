"""The question bank pages in the app (banks/views.py): a bank admin uploads a YAML or
Excel bank (the commands' checks and line/row messages, a 400, nothing half-imported),
downloads any version in both formats, edits a draft question with its translations side
by side and is taken back to it, and compares the draft before publishing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from banks import services as bank_services
from banks.excel import bank_workbook, parse_bank_workbook
from banks.export import export_bank
from banks.models import BankVersion, Choice, Dimension, Question, QuestionBank
from banks.parse import parse_bank_bytes
from tests.assessment_factories import bank_editor, question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def draft(published):
    return bank_services.version_new_draft(version=published, by=bank_editor())


@pytest.fixture
def admin_client(client, bank_admin):
    client.force_login(bank_admin)
    return client


def rows_of_everything():
    return (
        QuestionBank.objects.count(),
        BankVersion.objects.count(),
        Dimension.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
    )


def workbook_bytes(version, **edits) -> bytes:
    """The version as the Excel template, with `sheet!cell=value` edits."""
    out = io.BytesIO()
    bank_workbook(bank_services.version_data(version), out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    for where, value in edits.items():
        sheet, cell = where.split("__")
        workbook[sheet][cell] = value
    result = io.BytesIO()
    workbook.save(result)
    return result.getvalue()


def upload(client, name, content):
    return client.post(reverse("banks:list"), {"file": SimpleUploadedFile(name, content)})


def test_only_bank_admins_open_the_bank_pages(client, bank_admin, published, draft):
    q = question(draft, "A2")
    urls = [
        reverse("banks:list"),
        reverse("banks:version", args=[published.pk]),
        reverse("banks:download", args=[published.pk, "yaml"]),
        reverse("banks:download", args=[published.pk, "xlsx"]),
        reverse("banks:publish", args=[draft.pk]),
        reverse("banks:question_edit", args=[q.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    client.force_login(UserFactory(username="stan", is_staff=True))  # staff, not a bank admin
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("banks:new_draft", args=[published.pk])).status_code == 403
    assert client.post(reverse("banks:publish", args=[draft.pk])).status_code == 403
    assert upload(client, "x.yaml", b"format: 1").status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert BankVersion.objects.count() == 2
    client.force_login(bank_admin)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_bank_admin_finds_the_bank_pages_in_the_navbar(client, bank_admin):
    client.force_login(bank_admin)
    assert f'href="{reverse("banks:list")}"' in client.get(reverse("dashboard")).content.decode()
    client.force_login(UserFactory(username="stan", is_staff=True))
    assert reverse("banks:list") not in client.get(reverse("dashboard")).content.decode()


def test_an_uploaded_yaml_file_is_imported_and_its_version_opens(admin_client, published):
    text = export_bank(bank_services.version_data(published))
    text = text.replace("number: 1\n", "number: 2\n", 1)
    text = text.replace("status: published", "status: draft")
    response = upload(admin_client, "test-fit-v2.yaml", text.encode())
    version = BankVersion.objects.get(bank=published.bank, number=2)
    assert response.status_code == 302
    assert response.url == reverse("banks:version", args=[version.pk])
    assert version.status == "draft"
    page = admin_client.get(response.url).content.decode()
    assert "Imported Test fit v2 (draft)" in page


def test_a_yaml_error_is_a_400_with_the_commands_line_messages_and_nothing_written(
    admin_client, published, tmp_path
):
    text = export_bank(bank_services.version_data(published))
    text = text.replace("number: 1\n", "number: 2\n", 1).replace("weight: 2\n", "weight: 1.5\n", 1)
    before = rows_of_everything()
    response = upload(admin_client, "broken.yaml", text.encode())
    assert response.status_code == 400
    assert rows_of_everything() == before
    page = response.content.decode()
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(CommandError) as refused:
        call_command("import_bank", str(path))
    command_messages = [
        line.strip().replace(str(path), "broken.yaml")
        for line in str(refused.value).splitlines()[1:]
    ]
    assert command_messages
    assert "line " in command_messages[0]
    for message in command_messages:
        assert message.replace("“", "&ldquo;") in page or message in page, message
    assert 'id="bank-upload-problems"' in page


def test_an_excel_row_error_is_a_400_naming_the_sheet_and_row_and_nothing_is_imported(
    admin_client, published
):
    # Row 3 of the Questions sheet: the second question; column F is its weight.
    content = workbook_bytes(published, Bank__B7=2, Questions__F3=0)
    before = rows_of_everything()
    response = upload(admin_client, "test-fit.xlsx", content)
    assert response.status_code == 400
    assert rows_of_everything() == before
    page = response.content.decode()
    assert "test-fit.xlsx: sheet Questions, row 3: dimensions[0].questions[1].weight" in page


def test_the_corrected_excel_file_then_imports(admin_client, published):
    upload(admin_client, "test-fit.xlsx", workbook_bytes(published, Bank__B7=2, Questions__F3=0))
    response = upload(admin_client, "test-fit.xlsx", workbook_bytes(published, Bank__B7=2))
    assert response.status_code == 302
    assert BankVersion.objects.filter(bank=published.bank, number=2).exists()


def test_an_upload_that_is_no_bank_file_is_a_400_saying_why(admin_client, settings):
    before = rows_of_everything()
    assert admin_client.post(reverse("banks:list"), {}).status_code == 400
    response = upload(admin_client, "photo.xlsx", b"PK\x03\x04 not really a zip")
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()
    settings.BANK_FILE_MAX_BYTES = 100
    response = upload(admin_client, "big.yaml", b"format: 1\n" + b"#" * 500)
    assert response.status_code == 400
    assert "over 100 bytes, the limit for a bank file" in response.content.decode()
    assert rows_of_everything() == before


def test_any_version_downloads_as_yaml_and_excel_and_reads_back(admin_client, published, draft):
    for version in (published, draft):
        data = bank_services.version_data(version)
        yaml_response = admin_client.get(reverse("banks:download", args=[version.pk, "yaml"]))
        assert yaml_response["Content-Type"].startswith("application/yaml")
        assert (
            yaml_response["Content-Disposition"]
            == f'attachment; filename="test-fit-v{version.number}.yaml"'
        )
        assert parse_bank_bytes(yaml_response.content) == data
        xlsx_response = admin_client.get(reverse("banks:download", args=[version.pk, "xlsx"]))
        assert xlsx_response["Content-Type"] == XLSX
        assert xlsx_response["X-Content-Type-Options"] == "nosniff"
        assert parse_bank_workbook(xlsx_response.content).dimensions == data.dimensions
    assert admin_client.get(reverse("banks:download", args=[draft.pk, "csv"])).status_code == 404
    page = admin_client.get(reverse("banks:version", args=[published.pk])).content.decode()
    assert reverse("banks:download", args=[published.pk, "xlsx"]) in page


def test_the_question_form_is_wide_with_one_field_per_other_language(admin_client, draft):
    q = question(draft, "A2")
    page = admin_client.get(reverse("banks:question_edit", args=[q.pk])).content.decode()
    assert '<textarea name="text"' in page
    assert '<textarea name="text_de"' in page
    assert '<textarea name="help_de"' in page
    label = q.choices.order_by("order").first()
    assert f'name="label_{label.pk}_de"' in page
    assert 'name="translations"' not in page  # no raw JSON
    assert "text_en" not in page  # the bank's own language is the first column
    assert '<th scope="col" lang="de">German</th>' in page


def test_saving_a_question_returns_to_it_on_the_versions_page(admin_client, draft):
    q = question(draft, "A2")
    q.translations = {"fr": {"text": "Question A2 en français"}}
    q.save()
    levels = list(q.choices.order_by("order"))
    data = {
        "text": "Is the <b>roadmap</b> shared?",
        "help": "Ask the partner.",
        "text_de": "Wird die Roadmap geteilt?",
        "help_de": "",
        "weight": 4,
        "knockout_level": "1",
        "required": "on",
        "allows_dont_know": "on",
    }
    for level in levels:
        data[f"label_{level.pk}"] = level.label
        data[f"label_{level.pk}_de"] = f"Stufe {level.order}"
    response = admin_client.post(reverse("banks:question_edit", args=[q.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("banks:version", args=[draft.pk]) + f"#q-{q.pk}"
    q.refresh_from_db()
    assert q.text == "Is the <b>roadmap</b> shared?"
    assert (q.weight, q.knockout_level, q.allows_na) == (4, 1, False)
    assert q.translations == {
        "fr": {"text": "Question A2 en français"},  # a language the form does not offer
        "de": {"text": "Wird die Roadmap geteilt?"},
    }
    assert Choice.objects.get(pk=levels[0].pk).translations == {
        "de": {"label": f"Stufe {levels[0].order}"}
    }
    page = admin_client.get(response.url).content.decode()
    assert f'id="q-{q.pk}"' in page
    assert "Is the &lt;b&gt;roadmap&lt;/b&gt; shared?" in page
    assert "Wird die Roadmap geteilt?" in page


def test_a_refused_question_is_a_400_with_its_errors_and_changes_nothing(admin_client, draft):
    q = question(draft, "A2")
    data = {"text": "", "weight": 1001, "text_de": "x" * 501}
    response = admin_client.post(reverse("banks:question_edit", args=[q.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Ensure this value is less than or equal to 1000." in page
    assert question(draft, "A2").text == q.text


def test_a_published_question_is_not_edited(admin_client, published):
    q = question(published, "A2")
    response = admin_client.post(
        reverse("banks:question_edit", args=[q.pk]), {"text": "Changed", "weight": 1}
    )
    assert response.status_code == 403
    assert "is locked: make a new draft" in response.content.decode()
    assert question(published, "A2").text == q.text
    page = admin_client.get(reverse("banks:version", args=[published.pk])).content.decode()
    assert reverse("banks:question_edit", args=[q.pk]) not in page


def test_new_draft_is_a_post_that_opens_the_draft(admin_client, published):
    url = reverse("banks:new_draft", args=[published.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    draft = BankVersion.objects.get(bank=published.bank, number=2)
    assert response.url == reverse("banks:version", args=[draft.pk])


def test_the_publish_page_compares_the_draft_with_the_published_version(
    admin_client, published, draft
):
    q = question(draft, "A2")
    q.text = "Reworded <i>A2</i>"
    q.translations = {"de": {"text": "Neu formuliert"}}
    q.save()
    url = reverse("banks:publish", args=[draft.pk])
    page = admin_client.get(url).content.decode()
    assert "retires Test fit v1" in page
    assert "1 question reworded, 1 translation changed" in page
    assert "Reworded &lt;i&gt;A2&lt;/i&gt;" in page
    assert "Neu formuliert" in page
    draft.refresh_from_db()
    assert draft.status == "draft"
    response = admin_client.post(url)
    assert response.url == reverse("banks:version", args=[draft.pk])
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == ("published", "retired")
    again = admin_client.post(url, follow=True)
    assert "Test fit v2 is already published" in again.content.decode()


def test_a_draft_that_cannot_be_published_lists_why_and_offers_no_button(admin_client, draft):
    draft.dimensions.update(weight=1)
    page = admin_client.get(reverse("banks:publish", args=[draft.pk])).content.decode()
    assert "weights add up to 2; they must add up to 100" in page
    assert "Yes, publish" not in page
    assert admin_client.post(reverse("banks:publish", args=[draft.pk])).status_code == 400
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_bank_page_forms_need_the_csrf_token(bank_admin, published, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bank_admin)
    assert client.post(reverse("banks:new_draft", args=[published.pk])).status_code == 403
    assert client.post(reverse("banks:publish", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
