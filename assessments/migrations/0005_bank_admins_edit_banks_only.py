"""Question bank admins edit banks, nothing else: they no longer read assessments,
answers or findings in the admin (a confidential alliance's findings were visible there)."""

from django.db import migrations

GROUP = "Question bank admins"
READ_MODELS = ["assessment", "answer", "finding"]


def _codenames():
    return [f"view_{model}" for model in READ_MODELS]


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="assessments", codename__in=_codenames()
            )
        )


def grant_again(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="assessments", codename__in=_codenames()
            )
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_brief_moves_to_briefs")]

    operations = [migrations.RunPython(revoke, grant_again)]
