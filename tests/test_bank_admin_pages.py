"""A version's own admin page: New draft and Publish buttons, the publish confirmation with
its differences, default anchors for new scale questions, questions listed with their bank."""

import pytest
from django.test import Client
from django.urls import reverse

from banks import services as bank_services
from banks.models import BankVersion, Question
from tests.assessment_factories import bank_editor, question, start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(published):
    return bank_services.version_new_draft(version=published, by=bank_editor())


def change_url(version):
    return reverse("admin:banks_bankversion_change", args=[version.pk])


def publish_url(version):
    return reverse("admin:banks_bankversion_publish", args=[version.pk])


def new_draft_url(version):
    return reverse("admin:banks_bankversion_new_draft", args=[version.pk])


def test_a_published_version_page_offers_new_draft_and_a_draft_also_publish(
    client, bank_admin, published, draft
):
    client.force_login(bank_admin)
    page = client.get(change_url(published)).content.decode()
    assert f'action="{new_draft_url(published)}"' in page
    assert 'method="post"' in page
    assert "csrfmiddlewaretoken" in page
    assert publish_url(published) not in page  # already published
    page = client.get(change_url(draft)).content.decode()
    assert f'action="{publish_url(draft)}"' in page
    assert f'action="{new_draft_url(draft)}"' in page


def test_new_draft_button_copies_the_version_and_opens_the_draft(client, bank_admin, published):
    client.force_login(bank_admin)
    assert client.get(new_draft_url(published)).status_code == 405  # a GET changes nothing
    response = client.post(new_draft_url(published))
    draft = BankVersion.objects.get(bank=published.bank, number=2)
    assert response.status_code == 302
    assert response.url == change_url(draft)
    assert draft.status == BankVersion.Status.DRAFT
    assert Question.objects.filter(dimension__version=draft).count() == 6


def test_the_buttons_refuse_users_who_do_not_edit_banks(client, published, draft):
    staff = UserFactory(username="stan", is_staff=True)
    client.force_login(staff)
    assert client.post(new_draft_url(published)).status_code == 403
    assert client.get(publish_url(draft)).status_code == 403
    assert client.post(publish_url(draft)).status_code == 403
    assert BankVersion.objects.filter(bank=published.bank).count() == 2
    draft.refresh_from_db()
    assert draft.status == BankVersion.Status.DRAFT


def test_the_publish_buttons_need_the_csrf_token(bank_admin, published, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bank_admin)
    assert client.post(new_draft_url(published)).status_code == 403
    assert client.post(publish_url(draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == BankVersion.Status.DRAFT


def test_publish_shows_the_differences_then_publishes_on_confirmation(
    client, bank_admin, published, draft
):
    q = question(draft, "A2")
    q.text = "Reworded <b>question</b>"
    q.weight = 9
    q.save()
    question(draft, "A6").delete()
    draft.go_threshold = 75
    draft.save()
    client.force_login(bank_admin)
    page = client.get(publish_url(draft))
    assert page.status_code == 200
    text = page.content.decode()
    assert "retires Test fit v1" in text
    assert "1 question removed, 1 question reworded, 1 weight changed, 1 threshold changed" in text
    assert "Reworded &lt;b&gt;question&lt;/b&gt;" in text  # escaped
    assert "question A2: 2 → 9" in text
    assert "GO threshold: 70 → 75" in text
    assert "Question A6 is well evidenced." in text
    draft.refresh_from_db()
    assert draft.status == BankVersion.Status.DRAFT  # looking publishes nothing

    response = client.post(publish_url(draft), follow=True)
    assert b"Published Test fit v2" in response.content
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == ("published", "retired")
    # Publishing again only says so.
    again = client.post(publish_url(draft), follow=True)
    assert b"Test fit v2 is already published" in again.content


def test_publish_page_of_an_invalid_draft_lists_the_problems_and_offers_no_button(
    client, bank_admin, draft
):
    draft.dimensions.update(weight=1)
    client.force_login(bank_admin)
    page = client.get(publish_url(draft)).content.decode()
    assert "weights add up to 2; they must add up to 100" in page
    assert "Yes, publish" not in page
    response = client.post(publish_url(draft), follow=True)
    assert response.status_code == 200
    assert b"weights add up to 2" in response.content
    draft.refresh_from_db()
    assert draft.status == BankVersion.Status.DRAFT


def test_an_unknown_version_is_a_404(client, bank_admin):
    client.force_login(bank_admin)
    assert client.get(reverse("admin:banks_bankversion_publish", args=[999999])).status_code == 404
    assert (
        client.post(reverse("admin:banks_bankversion_new_draft", args=[999999])).status_code == 404
    )


def test_a_new_scale_question_gets_five_editable_default_levels(client, bank_admin, draft):
    client.force_login(bank_admin)
    dimension = draft.dimensions.order_by("order").first()
    data = {
        "dimension": dimension.pk,
        "key": "N1",
        "text": "A new question",
        "help": "",
        "kind": "scale",
        "weight": 1,
        "required": "on",
        "allows_dont_know": "on",
        "knockout_level": "",
        "order": 9,
        "choices-TOTAL_FORMS": 0,
        "choices-INITIAL_FORMS": 0,
    }
    form = client.get(reverse("admin:banks_question_add")).content.decode()
    assert f">Test fit v2 · {dimension.name}</option>" in form  # whose dimension it is
    response = client.post(reverse("admin:banks_question_add"), data, follow=True)
    assert response.status_code == 200
    assert b"got the five default levels" in response.content
    new = question(draft, "N1")
    assert [c.score for c in new.choices.order_by("order")] == [0, 25, 50, 75, 100]
    assert bank_services.version_publish_errors(draft) == []
    # The anchors stay editable.
    choice = new.choices.get(score=50)
    choice.label = "Half there"
    choice.save()
    assert new.choices.get(score=50).label == "Half there"


def test_a_new_choice_question_gets_no_default_levels(client, bank_admin, draft):
    dimension = draft.dimensions.first()
    new = Question.objects.create(dimension=dimension, key="N2", text="Pick", kind="choice")
    assert not bank_services.question_give_default_levels(question=new, by=bank_editor())
    assert not new.choices.exists()


def test_the_question_list_shows_each_question_with_its_bank_and_version(
    client, bank_admin, published, draft
):
    client.force_login(bank_admin)
    page = client.get(reverse("admin:banks_question_changelist")).content.decode()
    assert "v1 (published)" in page
    assert "v2 (draft)" in page
    assert page.count('<td class="field-bank">Test fit</td>') == 12


def test_managers_see_that_an_assessment_runs_on_a_retired_version_and_what_changed(
    client, open_team, published
):
    assessment = start(open_team, published)
    url = reverse("assessments:detail", args=[open_team.alliance.slug, assessment.pk])
    client.force_login(open_team.users["manager"])
    assert b"has been retired" not in client.get(url).content

    draft = bank_services.version_new_draft(version=published, by=bank_editor())
    q = question(draft, "A3")
    q.text = "Reworded <i>A3</i>"
    q.save()
    draft.go_threshold = 80
    draft.save()
    bank_services.version_publish(version=draft, by=bank_editor())

    page = client.get(url).content.decode()
    assert "version 1, which has been retired: version 2 is current" in page
    assert "Changes in version 2: 1 question reworded, 1 threshold changed." in page
    assert "Reworded A3: now “Reworded &lt;i&gt;A3&lt;/i&gt;”" in page
    assert "GO threshold: 70 → 80" in page


def test_questions_are_edited_inside_their_dimension_on_the_version_page(
    client, bank_admin, published, draft
):
    client.force_login(bank_admin)
    page = client.get(change_url(draft)).content.decode()
    assert 'name="dimensions-0-questions-0-text"' in page
    assert question(draft, "A1").text in page
    # A published version shows its questions, read-only.
    page = client.get(change_url(published)).content.decode()
    assert 'name="dimensions-0-questions-0-text"' not in page
    assert question(published, "A1").text in page


def test_an_id_too_large_for_the_database_is_a_404(client, bank_admin):
    client.force_login(bank_admin)
    huge = 99999999999999999999
    assert client.get(reverse("admin:banks_bankversion_publish", args=[huge])).status_code == 404
    assert client.post(reverse("admin:banks_bankversion_new_draft", args=[huge])).status_code == 404


def test_an_old_bank_admin_link_follows_the_pages_to_their_new_place(client, django_user_model):
    """The bank models moved from `assessments` to `banks`: bookmarks of the old admin
    pages still arrive, their query kept."""
    client.force_login(django_user_model.objects.create_user("bookmarked"))
    old = "/admin/assessments/bankversion/?status__exact=draft"
    response = client.get(old)
    assert response.status_code == 302
    assert response.url == "/admin/banks/bankversion/?status__exact=draft"
    assert client.get("/admin/assessments/question/7/change/").url == (
        "/admin/banks/question/7/change/"
    )


def test_reverting_a_published_version_from_its_history_says_it_is_locked(client, published):
    """The history's "revert to this version" form on a published version: the page says
    it is locked (never a 500) and the version stays as published."""
    client.force_login(UserFactory(username="root-revert", is_superuser=True, is_staff=True))
    version = published.history.earliest()
    url = reverse("admin:banks_bankversion_simple_history", args=[published.pk, version.history_id])
    fields = {
        "bank": published.bank_id,
        "number": published.number,
        "go_threshold": 10,
        "no_go_threshold": 5,
        "gap_threshold": 5,
        "perception_gap_threshold": 20,
        "notes": "Reverted",
    }
    response = client.post(url, fields)
    assert response.status_code == 200
    assert "is locked: make a new draft from it" in response.content.decode()
    published.refresh_from_db()
    assert (published.go_threshold, published.notes) != (10, "Reverted")
