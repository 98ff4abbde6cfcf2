"""Pact comments move onto the shared participation comments (decision 0006): each
``PactComment`` becomes a ``participation.Comment`` on its pact (stance neutral, same author,
text and date), then the old table goes. Reversible: going back copies the top-level comments
on pacts into ``PactComment`` again."""

from django.db import migrations


def _pact_type(apps):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="commons", model="pact")
    return content_type


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    PactComment = apps.get_model("commons", "PactComment")
    Comment = apps.get_model("participation", "Comment")
    content_type = _pact_type(apps)
    batch = []
    for old in PactComment.objects.order_by("id").iterator():
        batch.append(
            Comment(
                content_type_id=content_type.pk,
                object_id=old.pact_id,
                author_id=old.author_id,
                body=old.body,
                stance="neutral",
                created_at=old.created_at,
            )
        )
        if len(batch) >= 1000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    PactComment = apps.get_model("commons", "PactComment")
    Comment = apps.get_model("participation", "Comment")
    content_type = _pact_type(apps)
    moved = Comment.objects.filter(content_type_id=content_type.pk)
    PactComment.objects.bulk_create(
        PactComment(
            pact_id=c.object_id, author_id=c.author_id, body=c.body, created_at=c.created_at
        )
        for c in moved.filter(parent__isnull=True).order_by("created_at", "id")
    )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commons", "0003_pact_report_is_a_progress_report"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("participation", "0002_moderation_by_organisation"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="PactComment"),
    ]
