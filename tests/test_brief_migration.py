"""Moving Brief from `assessments` to `briefs` keeps the table and every brief in it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import AllianceFactory

CONTENTTYPES = ("contenttypes", "0002_remove_content_type_name")
BEFORE = [("assessments", "0003_brief"), ("briefs", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]] + [CONTENTTYPES]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_brief_written_before_the_move_is_read_after_it():
    alliance = AllianceFactory()
    old_apps = migrate(BEFORE)
    try:
        OldBrief = old_apps.get_model("assessments", "Brief")
        old = OldBrief.objects.create(
            alliance_id=alliance.pk,
            status="ready",
            snapshot={"decision": {"verdict": "NO-GO"}},
            snapshot_sha256="a" * 64,
            pdf="briefs/aurora/brief-1.pdf",
        )
        ContentType = old_apps.get_model("contenttypes", "ContentType")
        ContentType.objects.get_or_create(app_label="assessments", model="brief")
    finally:
        new_apps = migrate(latest())

    from briefs.models import Brief

    brief = Brief.objects.get(pk=old.pk)
    assert brief.alliance_id == alliance.pk
    assert brief.verdict == "NO-GO"
    assert brief.pdf.name == "briefs/aurora/brief-1.pdf"
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="briefs", model="brief").exists()
    assert not ContentType.objects.filter(app_label="assessments", model="brief").exists()
