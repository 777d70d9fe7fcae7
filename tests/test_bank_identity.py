"""A bank's kind is fixed once a version is published; renaming it is recorded and
never changes a decision."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliances.access import BANK_ADMINS_GROUP
from alliances.models import Alliance
from banks.models import QuestionBank
from decisions.selectors import alliance_decision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(seeded_demo, db):
    """Cobalt, of the demo (tests/conftest.py: seeded once for the module)."""
    return Alliance.objects.get(slug="cobalt-cloud-co-sell")


def admin_post(client, bank, **changes):
    """Post the bank's admin change form as shown, with `changes`."""
    url = reverse("admin:banks_questionbank_change", args=[bank.pk])
    versions = list(bank.versions.order_by("pk"))
    data = {
        "name": bank.name,
        "kind": bank.kind,
        "description": bank.description,
        "language": bank.language,
        "translations": json.dumps(bank.translations),
        "versions-TOTAL_FORMS": len(versions),
        "versions-INITIAL_FORMS": len(versions),
        "versions-MIN_NUM_FORMS": 0,
        "versions-MAX_NUM_FORMS": 1000,
    }
    for n, version in enumerate(versions):
        data.update({f"versions-{n}-id": version.pk, f"versions-{n}-bank": bank.pk})
    data.update(changes)
    return client.post(url, data)


def test_the_kind_of_a_published_bank_cannot_change_in_the_admin(client, demo):
    verdict = alliance_decision(demo).verdict
    bank = QuestionBank.objects.get(slug="strategic-fit")
    client.force_login(UserFactory(username="bankadm", is_staff=True, groups=[BANK_ADMINS_GROUP]))
    response = admin_post(client, bank, kind="custom", name="Strategic fit (2027)")
    assert response.status_code == 302
    bank.refresh_from_db()
    assert (bank.kind, bank.name) == ("strategic_fit", "Strategic fit (2027)")
    assert alliance_decision(demo).verdict == verdict == "GO WITH CONDITIONS"
    renamed = bank.history.order_by("-history_date").first()
    assert renamed.name == "Strategic fit (2027)"
    assert renamed.history_user.username == "bankadm"
    assert renamed.prev_record.name != renamed.name


def test_the_model_refuses_a_kind_change_once_published(demo):
    bank = QuestionBank.objects.get(slug="partner-selection")
    bank.kind = QuestionBank.Kind.CUSTOM
    with pytest.raises(ValidationError, match="kind can no longer change"):
        bank.save()
    assert QuestionBank.objects.get(pk=bank.pk).kind == "partner_selection"


def test_a_bank_with_drafts_only_may_still_change_kind(db):
    bank = QuestionBank.objects.create(slug="draft-bank", name="Draft bank", kind="custom")
    bank.versions.create(number=1)
    bank.kind = QuestionBank.Kind.STRATEGIC_FIT
    bank.save()
    assert QuestionBank.objects.get(pk=bank.pk).kind == "strategic_fit"


def test_publishing_records_who_published_and_needs_a_bank_admin(db):
    from banks import services as bank_services
    from banks.models import BankVersion
    from tests.assessment_factories import make_version

    published = make_version()
    beatriz = UserFactory(username="beatriz", is_staff=True, groups=[BANK_ADMINS_GROUP])
    manager = UserFactory(username="maya")
    with pytest.raises(PermissionDenied):
        bank_services.version_new_draft(version=published, by=manager)
    draft = bank_services.version_new_draft(version=published, by=beatriz)
    with pytest.raises(PermissionDenied):
        bank_services.version_publish(version=draft, by=manager)
    assert BankVersion.objects.get(pk=draft.pk).status == BankVersion.Status.DRAFT

    bank_services.version_publish(version=draft, by=beatriz)
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == (BankVersion.Status.PUBLISHED, beatriz)
    assert draft.history.latest().history_user == beatriz
    published.refresh_from_db()
    assert published.status == BankVersion.Status.RETIRED
    assert published.history.latest().history_user == beatriz


def test_reverting_a_published_banks_kind_from_its_history_says_why_instead_of_a_500(client, db):
    from tests.assessment_factories import make_version

    version = make_version(slug="kind-revert", kind="strategic_fit", status="draft")
    bank = version.bank
    bank.kind = QuestionBank.Kind.CUSTOM
    bank.save()  # recorded in the history while only a draft exists
    old = bank.history.order_by("history_date").first()
    assert old.kind == "strategic_fit"
    bank.kind = QuestionBank.Kind.STRATEGIC_FIT
    bank.save()
    custom = bank.history.filter(kind="custom").first()
    type(version).objects.filter(pk=version.pk).update(status="published")
    client.force_login(UserFactory(username="root-kind", is_superuser=True, is_staff=True))
    url = reverse("admin:banks_questionbank_simple_history", args=[bank.pk, custom.history_id])
    response = client.post(
        url,
        {
            "name": bank.name,
            "description": bank.description,
            "language": bank.language,
            "translations": json.dumps(bank.translations),
            "versions-TOTAL_FORMS": 0,
            "versions-INITIAL_FORMS": 0,
            "versions-MIN_NUM_FORMS": 0,
            "versions-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    assert "its kind can no longer change" in response.content.decode()
    bank.refresh_from_db()
    assert bank.kind == "strategic_fit"
