"""What people type finds what they mean, on the database backend of every database: stems of
every interface language, folded case and accents, the last word as a prefix, suggestions,
bounded totals, a list's own search, and bad input answered quickly."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from cocity.search.backends import database
from cocity.search.selectors import search

pytestmark = pytest.mark.django_db


def _titles(q, **kwargs):  # type: ignore[no-untyped-def]
    results = search(user=AnonymousUser(), raw_query=q, filters=kwargs.pop("filters", {}), **kwargs)
    return [h["document"].title for h in results.hits]


@pytest.fixture
def items(editorial, publish):  # type: ignore[no-untyped-def]
    space, author, editor = editorial
    publish(author=author, editor=editor, space=space, title="Un logement pour chaque famille",
            summary="Résumé.", language="fr", body="Les élèves et leurs familles.")  # fmt: skip
    publish(author=author, editor=editor, space=space, title="Community land trusts",
            summary="Summary.", language="en",
            body="Affordable houses kept by neighbours.")  # fmt: skip
    publish(author=author, editor=editor, space=space, title="Genossenschaftliche Wohnungen",
            summary="Zusammenfassung.", language="de", body="Wohnungen für alle.")  # fmt: skip


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("logements", "Un logement pour chaque famille"),  # French plural finds the singular
        ("LOGEMENT", "Un logement pour chaque famille"),  # case folded
        ("eleves", "Un logement pour chaque famille"),  # accents folded
        ("Élève", "Un logement pour chaque famille"),
        ("housing", "Community land trusts"),  # "houses" and "housing" share their stem
        ("house", "Community land trusts"),
        ("Wohnung", "Genossenschaftliche Wohnungen"),  # German stem
        ("afford", "Community land trusts"),  # the last word as a prefix, as people type
        ("land tru", "Community land trusts"),
    ],
)
def test_words_are_found_as_people_mean_them(items, query, title):
    assert title in _titles(query)


def test_all_words_must_match(items):
    assert _titles("logement houses") == []


def test_a_suggestion_when_nothing_is_found(items):
    results = search(user=AnonymousUser(), raw_query="comunity", filters={})
    assert results.total == 0
    assert results.suggestion == "community"
    assert search(user=AnonymousUser(), raw_query="community", filters={}).suggestion == ""


def test_within_a_list_searches_only_its_kinds(items, event_factory):
    assert _titles("logement", within="library") == ["Un logement pour chaque famille"]
    assert _titles("logement", within="events") == []
    results = search(user=AnonymousUser(), raw_query="", filters={}, within="nowhere")
    assert results.within == ""


def test_totals_beyond_the_bound_read_as_more(editorial, publish, monkeypatch):
    space, author, editor = editorial
    for n in range(4):
        publish(author=author, editor=editor, space=space, title=f"Housing {n}", summary="S")
    exact = search(user=AnonymousUser(), raw_query="housing", filters={})
    assert (exact.total, exact.exact) == (4, True)
    monkeypatch.setattr(database, "CANDIDATES", 3)  # "2+" beyond two
    cache.clear()  # the answers above are kept
    for q, filters in (("housing", {}), ("", {"kind": "library.case_study", "language": "en"})):
        results = search(user=AnonymousUser(), raw_query=q, filters=filters)
        assert (results.total, results.exact) == (2, False), (q, filters)
        assert len(results.hits) >= 2  # the candidates read are all shown


def test_a_question_over_its_time_is_answered_over_fewer_candidates(items, monkeypatch):
    backend = database.DatabaseBackend()
    calls = []

    def slow(statement, params, timeout_ms):  # type: ignore[no-untyped-def]
        calls.append(timeout_ms)
        raise database.SearchTimeout

    monkeypatch.setattr(backend, "_run", slow)
    from cocity.search.backends.base import Query

    outcome = backend.search(Query(terms=("logement",), scopes=(0,)))
    assert outcome.degraded and outcome.ids == [] and not outcome.exact
    # Both attempts together never take more than the question's budget of database time.
    assert len(calls) == 2 and sum(calls) == 300 and all(calls)


HOSTILE = [
    "x" * 10_000,
    "the of and le la les der die das",  # only stop words
    "!!! ??? ... ---",  # only punctuation
    '"unbalanced quote',
    "housing AND NOT -houses OR (logement*) NEAR/2 ^ : {}",
    "".join(
        chr(c) for c in (0x41, 0xE9, 0x3B1, 0x5D0, 0x627, 0x4E2D, 0x1F3E0, 0x10348, 0xE000, 0xFFFD)
    ),
    "\x00\x01\u200b\u202e",
    "a",
    "12 2024 000000000000000000000000",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_bad_queries_are_answered_quickly(items, query):
    started = time.monotonic()
    results = search(user=AnonymousUser(), raw_query=query, filters={}, page="99999")
    assert time.monotonic() - started < 2
    assert results.page.number >= 1


@pytest.mark.parametrize(
    "filters",
    [
        {"topic": "no-such-topic"},
        {"year": "99999999999999"},
        {"space": "-1"},
        {"kind": "x" * 500},
        {"city": "\x00"},
        {"language": "zz", "year": "2024", "space": "12"},
    ],
)
def test_facet_values_that_do_not_exist(items, filters):
    results = search(user=AnonymousUser(), raw_query="logement", filters=filters, page="-3")
    # Not ids, or nothing left once control characters are dropped: no filter at all.
    ignored = {"year": "99999999999999", "space": "-1", "city": "\x00"}
    if any(filters.get(k) == v for k, v in ignored.items()):
        assert results.total == 1
    else:
        assert results.total == 0
    assert results.page.number == 1


def test_a_page_past_the_end_is_the_last_page(editorial, publish, settings):
    space, author, editor = editorial
    for n in range(5):
        publish(author=author, editor=editor, space=space, title=f"Housing {n}", summary="S")
    settings.COCITY_PAGE_SIZE = 2
    results = search(user=AnonymousUser(), raw_query="housing", filters={}, page="40")
    assert results.page.number == 3
    assert len(results.hits) == 1
