"""The full-text half of the index, per database: a tsvector column with a GIN index on
PostgreSQL, an FTS5 table on SQLite (rowid = search_document.id)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_document ADD COLUMN search_vector tsvector, "
            "ADD COLUMN ts_config regconfig NOT NULL DEFAULT 'simple'"
        )
        schema_editor.execute(
            "CREATE INDEX search_document_vector ON search_document USING GIN (search_vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_vector")
        schema_editor.execute(
            "ALTER TABLE search_document DROP COLUMN IF EXISTS search_vector, "
            "DROP COLUMN IF EXISTS ts_config"
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
