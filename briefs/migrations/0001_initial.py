# Brief moved here from `assessments` (assessments.0004): the model state is created
# without touching the database, on the existing table assessments_brief and its rows.
# The content type moves too, so permissions granted on briefs still apply.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label='briefs', model='brief').exists():
        ContentType.objects.using(db).filter(app_label='assessments', model='brief').update(
            app_label='briefs'
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label='assessments', model='brief').exists():
        ContentType.objects.using(db).filter(app_label='briefs', model='brief').update(
            app_label='assessments'
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('alliances', '0003_alliance_partner_fit'),
        ('assessments', '0004_brief_moves_to_briefs'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Brief',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('rendering', 'Rendering'), ('ready', 'Ready'), ('failed', 'Failed')], default='queued', max_length=20)),
                        ('snapshot', models.JSONField(help_text='The decision and evidence the PDF shows, frozen.')),
                        ('snapshot_sha256', models.CharField(max_length=64)),
                        ('pdf', models.FileField(blank=True, upload_to='briefs/')),
                        ('pdf_sha256', models.CharField(blank=True, max_length=64)),
                        ('error', models.TextField(blank=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('rendered_at', models.DateTimeField(blank=True, null=True)),
                        ('alliance', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='briefs', to='alliances.alliance')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'assessments_brief',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.UniqueConstraint(fields=('alliance', 'snapshot_sha256'), name='one_brief_per_snapshot')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
