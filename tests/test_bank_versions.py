"""Published bank versions never change; new drafts and publishing; the admin for bank admins."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.selectors import assessment_score
from banks import services as bank_services
from banks.models import BankVersion, Choice, Dimension, LockedVersionError, Question
from tests.assessment_factories import (
    answer_all,
    bank_editor,
    question,
    start,
    submit,
)

pytestmark = pytest.mark.django_db


def test_a_published_version_and_its_contents_refuse_changes(published):
    q = question(published, "A1")
    q.text = "Changed"
    with pytest.raises(LockedVersionError):
        q.save()
    with pytest.raises(LockedVersionError):
        q.choices.first().delete()
    dimension = published.dimensions.first()
    with pytest.raises(LockedVersionError):
        dimension.delete()  # would cascade to its questions
    published.go_threshold = 10
    with pytest.raises(LockedVersionError):
        published.save()
    with pytest.raises(LockedVersionError):
        Dimension.objects.create(version=published, name="Extra", weight=1)
    published.refresh_from_db()
    assert published.go_threshold == 70
    assert question(published, "A1").text != "Changed"


def test_a_draft_can_be_edited_and_deleted(published):
    draft = bank_services.version_new_draft(version=published, by=bank_editor())
    q = question(draft, "A1")
    q.text = "Reworded"
    q.save()
    assert question(draft, "A1").text == "Reworded"
    assert question(published, "A1").text != "Reworded"
    draft.delete()
    assert not BankVersion.objects.filter(pk=draft.pk).exists()


def test_new_draft_copies_everything_with_the_next_number(published):
    draft = bank_services.version_new_draft(version=published, by=bank_editor())
    assert (draft.number, draft.status) == (2, BankVersion.Status.DRAFT)
    for model_filter in ("dimension__version", "question__dimension__version"):
        model = Question if model_filter == "dimension__version" else Choice
        assert (
            model.objects.filter(**{model_filter: draft}).count()
            == model.objects.filter(**{model_filter: published}).count()
        )
    assert question(draft, "A1").knockout_level == 1


def test_publish_validates_the_draft(published):
    draft = bank_services.version_new_draft(version=published, by=bank_editor())
    q = question(draft, "A2")
    q.choices.first().delete()
    draft.no_go_threshold = 90
    draft.save()
    with pytest.raises(ValidationError) as excinfo:
        bank_services.version_publish(version=draft, by=bank_editor())
    text = " ".join(excinfo.value.messages)
    assert "A2: a scale question needs five levels" in text
    assert "NO-GO (90) must not exceed GO (70)" in text
    draft.refresh_from_db()
    assert draft.status == BankVersion.Status.DRAFT


def test_publishing_retires_the_previous_version_without_changing_past_scores(open_team, published):
    assessment = start(open_team, published)
    for response in assessment.responses.all():
        answer_all(response, {"A1": 2, "A2": 3, "A3": 1, "A4": 4})
        submit(response)
    before = assessment_score(assessment)

    draft = bank_services.version_new_draft(version=published, by=bank_editor())
    q = question(draft, "A3")
    q.weight = 50  # the admin makes A3 dominate, and rewords it
    q.text = "Reworded"
    q.save()
    bank_services.version_publish(version=draft, by=bank_editor())

    published.refresh_from_db()
    assert published.status == BankVersion.Status.RETIRED
    assessment.refresh_from_db()
    after = assessment_score(assessment)
    assert after == before
    assert after.overall is not None


def test_bank_admin_edits_a_draft_in_the_admin_without_superuser(client, bank_admin, published):
    draft = bank_services.version_new_draft(version=published, by=bank_editor())
    client.force_login(bank_admin)
    q = question(draft, "A1")
    url = reverse("admin:banks_question_change", args=[q.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="text"' in page.content
    data = {
        "dimension": q.dimension_id,
        "key": "A1",
        "text": "Serves a named corporate objective",
        "help": "",
        "kind": "scale",
        "weight": 5,
        "required": "on",
        "allows_dont_know": "on",
        "knockout_level": 1,
        "order": 1,
        "choices-TOTAL_FORMS": 0,
        "choices-INITIAL_FORMS": 0,
    }
    choices = list(q.choices.all())
    data.update({"choices-TOTAL_FORMS": len(choices), "choices-INITIAL_FORMS": len(choices)})
    for i, choice in enumerate(choices):
        data.update(
            {
                f"choices-{i}-id": choice.pk,
                f"choices-{i}-question": q.pk,
                f"choices-{i}-label": choice.label,
                f"choices-{i}-score": choice.score,
                f"choices-{i}-order": choice.order,
            }
        )
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    q.refresh_from_db()
    assert (q.text, q.weight) == ("Serves a named corporate objective", 5)


def test_the_admin_shows_a_published_version_read_only(client, bank_admin, published):
    client.force_login(bank_admin)
    q = question(published, "A1")
    url = reverse("admin:banks_question_change", args=[q.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="text"' not in page.content  # view-only
    assert client.post(url, {"text": "Changed"}).status_code == 403
    version_url = reverse("admin:banks_bankversion_change", args=[published.pk])
    assert client.post(version_url, {"go_threshold": 1}).status_code == 403
    delete_url = reverse("admin:banks_bankversion_delete", args=[published.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    q.refresh_from_db()
    assert q.text != "Changed"


def test_admin_actions_make_a_draft_then_publish_it(client, bank_admin, published):
    client.force_login(bank_admin)
    changelist = reverse("admin:banks_bankversion_changelist")
    client.post(changelist, {"action": "make_draft", "_selected_action": [published.pk]})
    draft = BankVersion.objects.get(bank=published.bank, number=2)
    assert draft.status == BankVersion.Status.DRAFT
    response = client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert b"Published Test fit v2" in response.content
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == ("published", "retired")


def test_publishing_an_invalid_draft_in_the_admin_shows_why(client, bank_admin, published):
    draft = bank_services.version_new_draft(version=published, by=bank_editor())
    Dimension.objects.filter(version=draft).update(weight=1)  # weights no longer add up to 100
    client.force_login(bank_admin)
    response = client.post(
        reverse("admin:banks_bankversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert b"weights add up to 2; they must add up to 100" in response.content
    draft.refresh_from_db()
    assert draft.status == BankVersion.Status.DRAFT
