import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("network", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("provider", models.CharField(max_length=40, verbose_name="provider")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="object id")),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("language", models.CharField(blank=True, db_index=True, max_length=12, verbose_name="language")),
                ("kind", models.CharField(db_index=True, max_length=40, verbose_name="kind")),
                ("kind_label", models.CharField(blank=True, max_length=80, verbose_name="kind label")),
                ("city", models.CharField(blank=True, db_index=True, max_length=32, verbose_name="city")),
                ("city_name", models.CharField(blank=True, max_length=200, verbose_name="city name")),
                ("year", models.PositiveSmallIntegerField(blank=True, db_index=True, null=True, verbose_name="year")),
                ("is_public", models.BooleanField(default=True, verbose_name="public")),
                ("url", models.CharField(max_length=400, verbose_name="address")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="indexed")),
                ("space", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="network.space", verbose_name="space")),
            ],
            options={"verbose_name": "search document", "verbose_name_plural": "search documents"},
        ),
        migrations.CreateModel(
            name="DocumentTopic",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.CharField(max_length=120, verbose_name="topic")),
                ("label", models.CharField(max_length=120, verbose_name="label")),
                ("document", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="topic_rows", to="search.document")),
            ],
            options={"verbose_name": "document topic", "verbose_name_plural": "document topics"},
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(fields=("provider", "object_id"), name="one_search_document"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["is_public", "space"], name="search_doc_access"),
        ),
        migrations.AddConstraint(
            model_name="documenttopic",
            constraint=models.UniqueConstraint(fields=("document", "slug"), name="one_document_topic"),
        ),
        migrations.AddIndex(
            model_name="documenttopic",
            index=models.Index(fields=["slug", "document"], name="search_topic_slug"),
        ),
    ]
