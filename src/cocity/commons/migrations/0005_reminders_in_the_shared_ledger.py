"""Deadline reminders are recorded in the shared ledger (``core.SentReminder``, one shape for
every reminder): each history entry whose step was reminded (``reminded_at``) gets the key
``step-due`` with that date, so nothing is sent again after the upgrade; then the field goes."""

from django.db import migrations

KEY = "step-due"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    PactHistoryEntry = apps.get_model("commons", "PactHistoryEntry")
    SentReminder = apps.get_model("core", "SentReminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="commons", model="pacthistoryentry"
    )
    reminded = PactHistoryEntry.objects.filter(reminded_at__isnull=False).order_by("id")
    SentReminder.objects.bulk_create(
        (
            SentReminder(
                content_type_id=content_type.pk,
                object_id=entry.pk,
                key=KEY,
                sent_at=entry.reminded_at,
            )
            for entry in reminded.iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    PactHistoryEntry = apps.get_model("commons", "PactHistoryEntry")
    SentReminder = apps.get_model("core", "SentReminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="commons", model="pacthistoryentry").first()
    if content_type is None:
        return
    rows = SentReminder.objects.filter(content_type_id=content_type.pk, key=KEY)
    for row in rows.iterator():
        PactHistoryEntry.objects.filter(pk=row.object_id).update(reminded_at=row.sent_at)
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commons", "0004_pact_comments_to_participation"),
        ("core", "0001_sent_reminders"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="pacthistoryentry", name="reminded_at"),
    ]
