"""Moving the question bank models from `assessments` to `banks`, and the decision record
to `decisions`, keeps their tables, every row, the assessments' links to the banks and the
bank admins' permissions."""

import pytest
from django.contrib.auth.models import Group

from alliances.access import BANK_ADMINS_GROUP
from tests.factories import AllianceFactory, UserFactory
from tests.test_brief_migration import latest, migrate

BEFORE = [("assessments", "0016_translatable_owner_and_bank_kinds"), ("banks", None)]


@pytest.mark.django_db(transaction=True)
def test_a_bank_an_answer_and_a_decision_written_before_the_move_are_read_after_it():
    alliance = AllianceFactory()
    assessor = UserFactory(username="before-the-move")
    old_apps = migrate(BEFORE)
    try:
        get = old_apps.get_model
        bank = get("assessments", "QuestionBank").objects.create(
            slug="old-fit", name="Old fit", kind="strategic_fit"
        )
        version = get("assessments", "BankVersion").objects.create(
            bank=bank, number=1, status="published"
        )
        dimension = get("assessments", "Dimension").objects.create(
            version=version, name="Strategy", weight=100
        )
        question = get("assessments", "Question").objects.create(
            dimension=dimension, key="S1", text="Does it fit?", knockout_level=1
        )
        choice = get("assessments", "Choice").objects.create(
            question=question, label="Largely", score=75
        )
        assessment = get("assessments", "Assessment").objects.create(
            alliance_id=alliance.pk, version=version, title="Before the move"
        )
        response = get("assessments", "Response").objects.create(
            assessment=assessment, assessor_id=assessor.pk
        )
        answer = get("assessments", "Answer").objects.create(
            response=response, question=question, choice=choice
        )
        record = get("assessments", "DecisionRecord").objects.create(
            alliance_id=alliance.pk,
            verdict="NO-GO",
            rationale="Before",
            changed_at=version.created_at,
        )
        ContentType = get("contenttypes", "ContentType")
        Permission = get("auth", "Permission")
        bank_type, _ = ContentType.objects.get_or_create(
            app_label="assessments", model="bankversion"
        )
        change, _ = Permission.objects.get_or_create(
            content_type=bank_type, codename="change_bankversion", defaults={"name": "Can change"}
        )
        admins, _ = get("auth", "Group").objects.get_or_create(name=BANK_ADMINS_GROUP)
        admins.permissions.add(change)
    finally:
        new_apps = migrate(latest())

    from assessments.models import Answer
    from banks.models import BankVersion
    from decisions.models import DecisionRecord

    moved = BankVersion.objects.get(pk=version.pk)
    assert moved.label == "Old fit v1"
    assert [q.key for d in moved.dimensions.all() for q in d.questions.all()] == ["S1"]
    assert Answer.objects.get(pk=answer.pk).choice.label == "Largely"
    assert Answer.objects.get(pk=answer.pk).question.knockout_score == 25
    assert DecisionRecord.objects.get(pk=record.pk).alliance.decision_record.verdict == "NO-GO"
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="banks", model="bankversion").exists()
    assert not ContentType.objects.filter(app_label="assessments", model="bankversion").exists()
    codenames = Group.objects.get(name=BANK_ADMINS_GROUP).permissions.filter(
        content_type__app_label="banks"
    )
    assert codenames.filter(codename="change_bankversion").exists()
