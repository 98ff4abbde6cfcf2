"""Report reminders are recorded in the shared ledger (``core.SentReminder``, one shape for every
reminder): each ``ReportReminder`` row becomes the key ``report-due:<date>`` of its pledge, with
its date and number of recipients, so nothing is sent again after the upgrade; then the old
table goes."""

from django.db import migrations

PREFIX = "report-due:"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    ReportReminder = apps.get_model("pledges", "ReportReminder")
    SentReminder = apps.get_model("core", "SentReminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="pledges", model="pledge")
    SentReminder.objects.bulk_create(
        (
            SentReminder(
                content_type_id=content_type.pk,
                object_id=old.pledge_id,
                key=PREFIX + old.due_on.isoformat(),
                sent_at=old.sent_at,
                recipients=old.recipients,
            )
            for old in ReportReminder.objects.order_by("id").iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    import datetime

    ReportReminder = apps.get_model("pledges", "ReportReminder")
    SentReminder = apps.get_model("core", "SentReminder")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="pledges", model="pledge").first()
    if content_type is None:
        return
    rows = SentReminder.objects.filter(content_type_id=content_type.pk, key__startswith=PREFIX)
    pledges = set(apps.get_model("pledges", "Pledge").objects.values_list("pk", flat=True))
    ReportReminder.objects.bulk_create(
        [
            ReportReminder(
                pledge_id=row.object_id,
                due_on=datetime.date.fromisoformat(row.key.removeprefix(PREFIX)),
                sent_at=row.sent_at,
                recipients=min(row.recipients, 32767),
            )
            for row in rows.iterator()
            if row.object_id in pledges
        ],
        ignore_conflicts=True,
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0006_measure_link_constraints"),
        ("core", "0001_sent_reminders"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="ReportReminder"),
    ]
