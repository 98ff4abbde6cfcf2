"""Event reminders are recorded in the shared ledger (``core.SentReminder``, one shape for every
reminder): each ``ReminderSent`` row becomes the key ``session:<id>:<offset>`` of its
registration, with its date, so nothing is sent again after the upgrade; then the old table
goes."""

from django.db import migrations

KEY = "session:{session}:{offset}"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    ReminderSent = apps.get_model("events", "ReminderSent")
    SentReminder = apps.get_model("core", "SentReminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="events", model="registration"
    )
    batch = []
    for old in ReminderSent.objects.order_by("id").iterator():
        batch.append(
            SentReminder(
                content_type_id=content_type.pk,
                object_id=old.registration_id,
                key=KEY.format(session=old.session_id, offset=old.offset_minutes),
                sent_at=old.sent_at,
                recipients=1,
            )
        )
        if len(batch) >= 1000:
            SentReminder.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SentReminder.objects.bulk_create(batch, ignore_conflicts=True)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    ReminderSent = apps.get_model("events", "ReminderSent")
    SentReminder = apps.get_model("core", "SentReminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="events", model="registration").first()
    if content_type is None:
        return
    rows = SentReminder.objects.filter(content_type_id=content_type.pk, key__startswith="session:")
    session_ids = set(apps.get_model("events", "Session").objects.values_list("pk", flat=True))
    registration_ids = set(
        apps.get_model("events", "Registration").objects.values_list("pk", flat=True)
    )
    old = []
    for row in rows.iterator():
        _prefix, session, offset = row.key.split(":")
        if int(session) in session_ids and row.object_id in registration_ids:
            old.append(
                ReminderSent(
                    registration_id=row.object_id,
                    session_id=int(session),
                    offset_minutes=int(offset),
                    sent_at=row.sent_at,
                )
            )
    ReminderSent.objects.bulk_create(old, ignore_conflicts=True)
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_listing_index"),
        ("core", "0001_sent_reminders"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="ReminderSent"),
    ]
