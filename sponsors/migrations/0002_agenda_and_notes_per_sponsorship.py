"""A sponsor's personal agenda and notes move from the person to each sponsorship, so
what one alliance's team recorded never reaches the managers of another alliance.

Existing text is copied to every sponsorship of the person; text of a person with no
sponsorship at all has no alliance to belong to and is dropped."""

from django.db import migrations, models


def to_sponsorships(apps, schema_editor):
    Sponsor = apps.get_model("sponsors", "Sponsor")
    Sponsorship = apps.get_model("sponsors", "Sponsorship")
    with_text = Sponsor.objects.exclude(personal_agenda="", notes="")
    for sponsor in with_text.only("pk", "personal_agenda", "notes"):
        Sponsorship.objects.filter(sponsor_id=sponsor.pk).update(
            personal_agenda=sponsor.personal_agenda, notes=sponsor.notes
        )


def to_people(apps, schema_editor):
    Sponsor = apps.get_model("sponsors", "Sponsor")
    Sponsorship = apps.get_model("sponsors", "Sponsorship")
    for sponsorship in Sponsorship.objects.exclude(personal_agenda="", notes="").order_by("pk"):
        Sponsor.objects.filter(pk=sponsorship.sponsor_id, personal_agenda="", notes="").update(
            personal_agenda=sponsorship.personal_agenda, notes=sponsorship.notes
        )


class Migration(migrations.Migration):
    dependencies = [("sponsors", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="sponsorship",
            name="notes",
            field=models.TextField(
                blank=True, max_length=2000, help_text="Sensitive, like the personal agenda."
            ),
        ),
        migrations.AddField(
            model_name="sponsorship",
            name="personal_agenda",
            field=models.TextField(
                blank=True,
                max_length=2000,
                help_text="What they want for themselves (career, visibility). Sensitive: only "
                "this alliance's managers and the person themself see it.",
            ),
        ),
        migrations.RunPython(to_sponsorships, to_people),
        migrations.RemoveField(model_name="sponsor", name="notes"),
        migrations.RemoveField(model_name="sponsor", name="personal_agenda"),
    ]
