# The question bank models moved here from `assessments` (assessments.0017): the model
# state is created without touching the database, on the existing tables (assessments_*)
# and their rows. The content types move too, so the bank admins' permissions still apply.

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = (
    "questionbank",
    "bankversion",
    "dimension",
    "question",
    "choice",
    "historicalquestionbank",
    "historicalbankversion",
)


def _relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, schema_editor, "assessments", "banks")


def restore_content_types(apps, schema_editor):
    _relabel(apps, schema_editor, "banks", "assessments")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("assessments", "0016_translatable_owner_and_bank_kinds"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_content_types, restore_content_types),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="QuestionBank",
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
                        (
                            "slug",
                            models.SlugField(
                                help_text="Stable identifier, e.g. strategic-fit.",
                                max_length=80,
                                unique=True,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                        "Use lowercase letters, digits and hyphens only, such as strategic-fit.",
                                    )
                                ],
                                verbose_name="slug",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("strategic_fit", "Strategic fit"),
                                    ("partner_selection", "Partner selection"),
                                    ("sponsor_readiness", "Sponsor readiness"),
                                    ("mutual_fit", "Mutual fit (two-sided)"),
                                    ("custom", "Custom"),
                                ],
                                help_text="Which part of the decision its assessments feed; fixed once a version is published.",
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "language",
                            models.CharField(
                                default="en",
                                help_text="The language the bank's wording is written in.",
                                max_length=10,
                                verbose_name="language",
                            ),
                        ),
                        (
                            "translations",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="The wording in other languages, from the bank file.",
                                verbose_name="translations",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "assessments_questionbank",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="BankVersion",
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
                        (
                            "number",
                            models.PositiveIntegerField(
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="number",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("published", "Published"),
                                    ("retired", "Retired"),
                                ],
                                default="draft",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "go_threshold",
                            models.PositiveSmallIntegerField(
                                default=70,
                                help_text="Overall score (0–100) at or above which the assessment supports a GO.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="GO at or above",
                            ),
                        ),
                        (
                            "no_go_threshold",
                            models.PositiveSmallIntegerField(
                                default=50,
                                help_text="Overall score (0–100) below which the assessment means NO-GO.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="NO-GO below",
                            ),
                        ),
                        (
                            "gap_threshold",
                            models.PositiveSmallIntegerField(
                                default=50,
                                help_text="A question scoring below this is reported as a gap.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="gap below",
                            ),
                        ),
                        (
                            "perception_gap_threshold",
                            models.PositiveSmallIntegerField(
                                default=20,
                                help_text="Two-sided assessments: a dimension where our score and the partner's differ by more than this many points is a perception gap.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="perception gap above",
                            ),
                        ),
                        (
                            "perception_gaps_decide",
                            models.BooleanField(
                                default=False,
                                help_text="Off: perception gaps are listed as conditions but never change the verdict. On: a perception gap turns a GO into a GO WITH CONDITIONS.",
                                verbose_name="perception gaps change the verdict",
                            ),
                        ),
                        (
                            "notes",
                            models.TextField(
                                blank=True,
                                help_text="What changed in this version and why.",
                                verbose_name="notes",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "published_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="published at"
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="published by",
                            ),
                        ),
                        (
                            "bank",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="versions",
                                to="banks.questionbank",
                                verbose_name="bank",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "assessments_bankversion",
                        "ordering": ["bank", "-number"],
                    },
                ),
                migrations.CreateModel(
                    name="Dimension",
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
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "weight",
                            models.PositiveSmallIntegerField(
                                default=1,
                                help_text="Weights add up to 100 in a bank.",
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="weight",
                            ),
                        ),
                        (
                            "order",
                            models.PositiveSmallIntegerField(default=0, verbose_name="order"),
                        ),
                        (
                            "translations",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="The wording in other languages, from the bank file.",
                                verbose_name="translations",
                            ),
                        ),
                        (
                            "version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="dimensions",
                                to="banks.bankversion",
                                verbose_name="version",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "assessments_dimension",
                        "ordering": ["version", "order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalQuestionBank",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(
                                help_text="Stable identifier, e.g. strategic-fit.",
                                max_length=80,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                        "Use lowercase letters, digits and hyphens only, such as strategic-fit.",
                                    )
                                ],
                                verbose_name="slug",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("strategic_fit", "Strategic fit"),
                                    ("partner_selection", "Partner selection"),
                                    ("sponsor_readiness", "Sponsor readiness"),
                                    ("mutual_fit", "Mutual fit (two-sided)"),
                                    ("custom", "Custom"),
                                ],
                                help_text="Which part of the decision its assessments feed; fixed once a version is published.",
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "language",
                            models.CharField(
                                default="en",
                                help_text="The language the bank's wording is written in.",
                                max_length=10,
                                verbose_name="language",
                            ),
                        ),
                        (
                            "translations",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="The wording in other languages, from the bank file.",
                                verbose_name="translations",
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical question bank",
                        "verbose_name_plural": "historical question banks",
                        "db_table": "assessments_historicalquestionbank",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Question",
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
                        (
                            "key",
                            models.CharField(
                                help_text="Stable key, unique in the bank: S1.",
                                max_length=8,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Z]{1,4}[0-9]{1,4}$",
                                        "A key is one to four capital letters and a number, such as S1.",
                                    )
                                ],
                                verbose_name="key",
                            ),
                        ),
                        ("text", models.CharField(max_length=500, verbose_name="text")),
                        (
                            "help",
                            models.TextField(
                                blank=True,
                                help_text="What evidence to look for and who to ask.",
                                verbose_name="help",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("scale", "Anchored scale (0–4)"),
                                    ("choice", "Choice"),
                                    ("yes_no", "Yes / no"),
                                    ("text", "Free text (not scored)"),
                                ],
                                default="scale",
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "weight",
                            models.PositiveSmallIntegerField(
                                default=1,
                                help_text="Relative weight in its dimension.",
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="weight",
                            ),
                        ),
                        ("required", models.BooleanField(default=True, verbose_name="required")),
                        (
                            "allows_na",
                            models.BooleanField(default=False, verbose_name="allows N/A"),
                        ),
                        (
                            "allows_dont_know",
                            models.BooleanField(default=True, verbose_name="allows “don't know”"),
                        ),
                        (
                            "knockout_level",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Answered at this level (score ≤ level × 25) or below opens a finding. Empty: no knock-out.",
                                null=True,
                                validators=[django.core.validators.MaxValueValidator(4)],
                                verbose_name="knock-out level",
                            ),
                        ),
                        (
                            "order",
                            models.PositiveSmallIntegerField(default=0, verbose_name="order"),
                        ),
                        (
                            "translations",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="The wording in other languages, from the bank file.",
                                verbose_name="translations",
                            ),
                        ),
                        (
                            "dimension",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="questions",
                                to="banks.dimension",
                                verbose_name="dimension",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "assessments_question",
                        "ordering": ["dimension__order", "dimension_id", "order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Choice",
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
                        ("label", models.CharField(max_length=500, verbose_name="label")),
                        (
                            "score",
                            models.PositiveSmallIntegerField(
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="score",
                            ),
                        ),
                        (
                            "order",
                            models.PositiveSmallIntegerField(default=0, verbose_name="order"),
                        ),
                        (
                            "translations",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="The wording in other languages, from the bank file.",
                                verbose_name="translations",
                            ),
                        ),
                        (
                            "question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="choices",
                                to="banks.question",
                                verbose_name="question",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "assessments_choice",
                        "ordering": ["question", "order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalBankVersion",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "number",
                            models.PositiveIntegerField(
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="number",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("published", "Published"),
                                    ("retired", "Retired"),
                                ],
                                default="draft",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "go_threshold",
                            models.PositiveSmallIntegerField(
                                default=70,
                                help_text="Overall score (0–100) at or above which the assessment supports a GO.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="GO at or above",
                            ),
                        ),
                        (
                            "no_go_threshold",
                            models.PositiveSmallIntegerField(
                                default=50,
                                help_text="Overall score (0–100) below which the assessment means NO-GO.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="NO-GO below",
                            ),
                        ),
                        (
                            "gap_threshold",
                            models.PositiveSmallIntegerField(
                                default=50,
                                help_text="A question scoring below this is reported as a gap.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="gap below",
                            ),
                        ),
                        (
                            "perception_gap_threshold",
                            models.PositiveSmallIntegerField(
                                default=20,
                                help_text="Two-sided assessments: a dimension where our score and the partner's differ by more than this many points is a perception gap.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="perception gap above",
                            ),
                        ),
                        (
                            "perception_gaps_decide",
                            models.BooleanField(
                                default=False,
                                help_text="Off: perception gaps are listed as conditions but never change the verdict. On: a perception gap turns a GO into a GO WITH CONDITIONS.",
                                verbose_name="perception gaps change the verdict",
                            ),
                        ),
                        (
                            "notes",
                            models.TextField(
                                blank=True,
                                help_text="What changed in this version and why.",
                                verbose_name="notes",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created at"
                            ),
                        ),
                        (
                            "published_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="published at"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="published by",
                            ),
                        ),
                        (
                            "bank",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="banks.questionbank",
                                verbose_name="bank",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical bank version",
                        "verbose_name_plural": "historical bank versions",
                        "db_table": "assessments_historicalbankversion",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name="dimension",
                    constraint=models.UniqueConstraint(
                        fields=("version", "name"), name="dimension_name_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="question",
                    constraint=models.UniqueConstraint(
                        fields=("dimension", "key"), name="question_key_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="bankversion",
                    constraint=models.UniqueConstraint(
                        fields=("bank", "number"), name="one_version_number_per_bank"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="bankversion",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("status", "published")),
                        fields=("bank",),
                        name="one_published_version_per_bank",
                    ),
                ),
            ],
        ),
    ]
