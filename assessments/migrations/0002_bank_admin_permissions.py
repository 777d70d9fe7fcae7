"""Let the Question bank admins group edit question banks in the admin, without superuser."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Question bank admins"
BANK_MODELS = ["questionbank", "bankversion", "dimension", "question", "choice"]
# Granted here once; revoked by 0004 (bank admins read no assessments).
READ_MODELS = ["assessment", "answer", "finding"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations: create ours now.
    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [
        f"{action}_{model}" for model in BANK_MODELS for action in ("add", "change", "delete", "view")
    ] + [f"view_{model}" for model in READ_MODELS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="assessments", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="assessments")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("alliances", "0002_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
