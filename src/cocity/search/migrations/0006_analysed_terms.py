"""The full-text part written again with the new analysis: folded case and accents everywhere,
Snowball stems of every interface language in SQLite's table (``search.analysis``), PostgreSQL's
dictionaries on folded text; the titles' words kept for suggestions. Large installations can instead run ``cocity search-reindex``."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from cocity.search.analysis import words
    from cocity.search.index import fulltext_params, fulltext_sql

    connection = schema_editor.connection
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    Document = apps.get_model("search", "Document")
    SearchWord = apps.get_model("search", "SearchWord")
    rows = Document.objects.order_by("id").values_list("id", "title", "body", "language")
    last = 0
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("DELETE FROM search_fts")
        while True:
            batch = list(rows.filter(id__gt=last)[:1000])
            if not batch:
                break
            cursor.executemany(
                fulltext_sql(vendor), [fulltext_params(vendor, *row) for row in batch]
            )
            known = {w for row in batch for w in words(row[1]) if 3 <= len(w) and not w.isdigit()}
            SearchWord.objects.bulk_create(
                [SearchWord(word=w, length=len(w)) for w in sorted(known)], ignore_conflicts=True
            )
            last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [("search", "0005_outbox_words")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
