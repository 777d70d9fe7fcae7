# The Brief model moved to the `briefs` app. Only Django's model state changes here:
# the table (assessments_brief) and its rows stay, and briefs.0001 takes them over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_brief'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Brief')],
            database_operations=[],
        ),
    ]
