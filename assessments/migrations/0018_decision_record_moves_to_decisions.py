# The DecisionRecord model moved to the `decisions` app. Only Django's model state changes
# here: the table (assessments_decisionrecord) and its rows stay, and decisions.0001 takes
# them over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0017_banks_move_to_banks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DecisionRecord")],
            database_operations=[],
        ),
    ]
