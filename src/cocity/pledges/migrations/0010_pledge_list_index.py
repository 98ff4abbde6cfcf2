# Every published pledge, newest signed first: the API's list of pledges a page at a time
# (ORDER BY signed_on DESC, id DESC after a keyset cursor) without sorting the whole table.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0009_content_translations"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(
                fields=["state", "-signed_on", "-id"], name="pledges_state_signed_id"
            ),
        ),
    ]
