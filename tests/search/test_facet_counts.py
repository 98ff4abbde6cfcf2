"""The facet counts kept by the index writes equal the counts read from the documents, for
every viewer and every one-facet filter, through creations, changes, removals, folds and a
rebuild; and concurrent writers (real PostgreSQL connections) never lose or double a count."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.db.models import Sum

from cocity.network.models import Role, Space
from cocity.search import index
from cocity.search.models import FacetCount
from cocity.search.registry import IndexEntry, SearchProvider
from cocity.search.selectors import (
    FACETS,
    apply_filters,
    facet_counts,
    stored_facet_counts,
    visible_documents,
)

THING = SearchProvider(key="test.thing", model="network.Space", entry=lambda obj: None)


def _entry(**fields):  # type: ignore[no-untyped-def]
    defaults = {"title": "A practice", "body": "Housing.", "url": "/x/", "kind": "library.news"}
    return IndexEntry(**{**defaults, **fields})


def _as_dict(facets):  # type: ignore[no-untyped-def]
    return {
        name: [(v.value, v.label, v.count, v.selected) for v in facets[name]] for name in FACETS
    }


def _assert_stored_equals_live(user):  # type: ignore[no-untyped-def]
    live_all = facet_counts(visible_documents(user), {})
    filters_to_try = [{}] + [
        {name: value.value} for name, values in live_all.items() for value in values
    ]
    for filters in filters_to_try:
        stored = stored_facet_counts(user, filters)
        documents = apply_filters(visible_documents(user), filters)
        live = facet_counts(documents, filters)
        assert stored is not None
        assert _as_dict(stored.facets) == _as_dict(live), filters
        assert stored.total == documents.count()


@pytest.fixture
def spaces(space_factory, user_factory, space_membership_factory):  # type: ignore[no-untyped-def]
    open_space = space_factory(name="Open network")
    closed = space_factory(
        name="Closed group",
        visibility=Space.Visibility.MEMBERS,
        join_policy=Space.JoinPolicy.INVITATION,
    )
    member = user_factory()
    space_membership_factory(space=closed, user=member, role=Role.MEMBER)
    return open_space, closed, member


@pytest.mark.django_db
def test_kept_counts_follow_every_change(spaces, user_factory):
    open_space, closed, member = spaces
    viewers = [AnonymousUser(), user_factory(), member]
    write = index.write_entry
    write(THING, 1, _entry(kind="library.case_study", kind_label="Case study", city="FR-MRS",
                           city_name="Marseille", language="fr", year=2024,
                           topics=(("housing", "Housing"), ("commons", "Commons"))))  # fmt: skip
    write(THING, 2, _entry(city="IT-BLQ", city_name="Bologna", language="it", year=2023,
                           space_id=open_space.pk, topics=(("commons", "Commons"),)))  # fmt: skip
    write(THING, 3, _entry(language="en", year=2024, space_id=closed.pk,
                           topics=(("housing", "Housing"),)))  # fmt: skip
    write(THING, 4, _entry(language="en", is_public=False))  # seen by nobody
    for viewer in viewers:
        _assert_stored_equals_live(viewer)
    # A change of facet values, the same entry again (nothing to count), topics changed.
    write(THING, 1, _entry(kind="library.news", city="FR-TLS", city_name="Toulouse",
                           language="fr", year=2025, topics=(("housing", "Housing"),)))  # fmt: skip
    rows = FacetCount.objects.count()
    write(THING, 1, _entry(kind="library.news", city="FR-TLS", city_name="Toulouse",
                           language="fr", year=2025, topics=(("housing", "Housing"),)))  # fmt: skip
    assert FacetCount.objects.count() == rows
    # Moved into the closed space, then removed.
    write(THING, 2, _entry(city="IT-BLQ", city_name="Bologna", language="it", year=2023,
                           space_id=closed.pk))  # fmt: skip
    index._delete(THING.key, 3)
    for viewer in viewers:
        _assert_stored_equals_live(viewer)
    folded = index.fold_facet_counts()
    assert folded > 0
    assert not FacetCount.objects.filter(folded=False).exists()
    assert not FacetCount.objects.filter(n=0).exists()
    for viewer in viewers:
        _assert_stored_equals_live(viewer)
    before = sorted(FacetCount.objects.values_list("scope", "condition", "facet", "value", "n"))
    index.rebuild_facet_counts()
    after = sorted(FacetCount.objects.values_list("scope", "condition", "facet", "value", "n"))
    assert before == after
    assert index.fold_facet_counts() == 0


@pytest.mark.django_db
def test_two_filters_are_counted_from_the_documents(spaces):
    index.write_entry(THING, 1, _entry(city="FR-MRS", language="fr"))
    assert stored_facet_counts(AnonymousUser(), {"city": "FR-MRS", "language": "fr"}) is None
    # Filters the search ignores (not a number) are not a condition either.
    assert stored_facet_counts(AnonymousUser(), {"year": "twenty", "city": "FR-MRS"}) is not None


@pytest.mark.django_db
def test_folding_runs_every_so_many_changes(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(index, "FOLD_EVERY", 3)
    for pk in range(1, 8):
        with django_capture_on_commit_callbacks(execute=True):
            index.write_entry(THING, pk, _entry(city="FR-MRS"))
    assert FacetCount.objects.filter(folded=True).exists()
    _assert_stored_equals_live(AnonymousUser())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL writers")
def test_concurrent_writers_and_folds_keep_exact_counts():
    """20 connections index, re-index and remove up to 200 documents (all of them on the same new
    documents first) while folds run: the kept counts equal a fresh count."""
    barrier = threading.Barrier(20)
    cities = ["FR-MRS", "IT-BLQ", "ES-BCN"]

    def work(worker: int) -> None:
        try:
            barrier.wait(timeout=30)
            for step in range(30):
                # Every worker on the same few documents at once, new ones first.
                pk = step % 12 if step < 12 else (worker * 7 + step) % 200
                if step % 10 == 9:
                    index._delete(THING.key, pk)
                else:
                    index.write_entry(
                        THING,
                        pk,
                        _entry(city=cities[(worker + step) % 3], year=2020 + step % 4,
                               topics=(("housing", "Housing"),) if step % 2 else ()),
                    )  # fmt: skip
                if step % 15 == 0:
                    index.fold_facet_counts()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(work, range(20)))
    kept = sorted(
        (s, c, f, v, n)
        for s, c, f, v, n in FacetCount.objects.values("scope", "condition", "facet", "value")
        .annotate(n=Sum("n"))
        .values_list("scope", "condition", "facet", "value", "n")
        if n
    )
    index.rebuild_facet_counts()
    fresh = sorted(FacetCount.objects.values_list("scope", "condition", "facet", "value", "n"))
    assert kept == fresh
    _assert_stored_equals_live(AnonymousUser())
