"""`cocity search-reindex`: rebuilds from the objects with progress, drops documents whose object
is gone, runs in the background on request, says how it went, and refuses a backend that is not
configured."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cocity.search import index
from cocity.search.models import Document, Reindex
from cocity.search.registry import IndexEntry, SearchProvider
from cocity.search.selectors import search

pytestmark = pytest.mark.django_db

GONE = SearchProvider(key="test.gone", model="network.Space", entry=lambda obj: None)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("search_reindex", *args, stdout=out)
    return out.getvalue()


def test_rebuilds_from_the_objects_and_drops_what_is_gone(editorial, publish, user_factory):
    space, author, editor = editorial
    publish(author=author, editor=editor, space=space, title="Logements partagés", summary="S",
            language="fr")  # fmt: skip
    index.write_entry(GONE, 99, IndexEntry(title="Orphan", body="", url="/x/", kind="x"))
    assert Document.objects.filter(title="Orphan").exists()
    if connection.vendor == "sqlite":  # the old table is replaced: nothing found in it any more
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
    output = _run()
    assert "documents indexed (database)" in output
    run = Reindex.objects.get()
    assert (run.state, run.phase, run.done, run.total) == ("done", "index", 1, 1)
    assert not Document.objects.filter(title="Orphan").exists()
    found = search(user=user_factory(), raw_query="logement", filters={})
    assert [h["document"].title for h in found.hits] == ["Logements partagés"]
    assert f"#{run.pk} database done index 1/1 (100%)" in _run("--status")


def test_in_the_background(editorial, publish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = _run("--background", "--index-only")
    assert "queued" in output
    run = Reindex.objects.get()
    assert run.from_objects is False
    run.refresh_from_db()
    assert run.state in ("queued", "done")  # done at once with the immediate task backend


def test_a_backend_that_is_not_configured_is_refused(settings):
    settings.COCITY_OPENSEARCH_URL = ""
    with pytest.raises(CommandError, match="search backend"):
        _run("--backend", "opensearch")
    assert not Reindex.objects.exists()
