# DecisionRecord moved here from `assessments` (assessments.0018): the model state is
# created without touching the database, on the existing table assessments_decisionrecord
# and its rows. The content type moves too.

import django.db.models.deletion
from django.db import migrations, models


def _relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="decisionrecord").exists():
        ContentType.objects.using(db).filter(app_label=old, model="decisionrecord").update(
            app_label=new
        )


def move_content_type(apps, schema_editor):
    _relabel(apps, schema_editor, "assessments", "decisions")


def restore_content_type(apps, schema_editor):
    _relabel(apps, schema_editor, "decisions", "assessments")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("alliances", "0007_translatable_field_names"),
        ("assessments", "0018_decision_record_moves_to_decisions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_content_type, restore_content_type),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="DecisionRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("verdict", models.CharField(max_length=30)),
                        ("rationale", models.TextField(blank=True)),
                        ("changed_at", models.DateTimeField()),
                        (
                            "alliance",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="decision_record",
                                to="alliances.alliance",
                            ),
                        ),
                    ],
                    options={"db_table": "assessments_decisionrecord"},
                ),
            ],
        ),
    ]
