"""Owners were free text: give each manageable finding's owner a user account when the
text names exactly one active member of the alliance's team (by username, e-mail or full
name, any case). Text that matches nobody, or several people, stays as it was."""

from django.db import migrations
from django.db.models import Q


def owner_from_text(apps, schema_editor):
    Finding = apps.get_model("assessments", "Finding")
    Membership = apps.get_model("alliances", "Membership")
    for finding in Finding.objects.exclude(owner="").filter(owner_user__isnull=True):
        text = " ".join(finding.owner.split())
        first, _, last = text.partition(" ")
        members = Membership.objects.filter(
            alliance_id=finding.assessment.alliance_id, user__is_active=True
        ).filter(
            Q(user__username__iexact=text)
            | Q(user__email__iexact=text)
            | Q(user__first_name__iexact=first, user__last_name__iexact=last)
        )
        users = list({m.user_id for m in members})
        if len(users) == 1:
            finding.owner_user_id = users[0]
            finding.owner = ""
            finding.save(update_fields=["owner_user", "owner"])


def owner_back_to_text(apps, schema_editor):
    Finding = apps.get_model("assessments", "Finding")
    for finding in Finding.objects.filter(owner_user__isnull=False, owner=""):
        user = finding.owner_user
        finding.owner = f"{user.first_name} {user.last_name}".strip() or user.username
        finding.save(update_fields=["owner"])


class Migration(migrations.Migration):
    dependencies = [
        ("alliances", "0006_invitations"),
        ("assessments", "0010_condition_owner_status"),
    ]

    operations = [migrations.RunPython(owner_from_text, owner_back_to_text)]
