"""``PactEvent`` was a line of a pact's history, not an event: it is ``PactHistoryEntry`` now, and
a pact's entries are ``pact.history``."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commons", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="PactEvent", new_name="PactHistoryEntry"),
        migrations.AlterField(
            model_name="pacthistoryentry",
            name="pact",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="commons.pact",
            ),
        ),
        migrations.RenameIndex(
            model_name="pacthistoryentry",
            new_name="pact_history_created",
            old_name="pactevent_pact_created",
        ),
    ]
