"""The Tantivy backend: stemming and folding per language, prefixes, visibility inside the index
query, facets and filters, paging, the outbox (idempotent, crash-safe), an atomic rebuild, and
hostile queries. Content is written with the services; ``indexer.apply_pending()`` feeds the
index (``on_commit`` does not run in these tests)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cocity.library import services
from cocity.network.models import Role, Space
from cocity.network.selectors import spaces_visible_to
from cocity.search import indexer
from cocity.search.backends import get_backend, reset_backends
from cocity.search.backends.base import MAX_HITS, IndexedDocument, Query
from cocity.search.backends.tantivy import TantivyBackend
from cocity.search.models import Document, IndexChange, Reindex

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def backend(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.COCITY_SEARCH_BACKEND = "tantivy"
    settings.COCITY_SEARCH_DIR = tmp_path
    reset_backends()
    engine = get_backend()
    assert isinstance(engine, TantivyBackend)
    yield engine
    engine.reset()
    reset_backends()


def _scopes(user) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return (0, *spaces_visible_to(user).values_list("pk", flat=True))


def _find(backend, user, *terms, **options):  # type: ignore[no-untyped-def]
    return backend.search(Query(terms=terms, scopes=_scopes(user), **options))


def _doc(pk, title="A practice", body="", **fields):  # type: ignore[no-untyped-def]
    values = {
        "id": pk, "title": title, "body": body, "language": "en", "kind": "library.news",
        "kind_label": "News", "city": "", "city_name": "", "year": 2024, "space_id": None,
        "is_public": True, "topics": (),
    }  # fmt: skip
    return IndexedDocument(**{**values, **fields})


@pytest.fixture
def corpus(backend, editorial, publish, topic_factory, space_factory, space_membership_factory,
           user_factory):  # type: ignore[no-untyped-def]  # fmt: skip
    space, author, editor = editorial
    housing = topic_factory(slug="housing", name="Housing")
    moving = publish(
        author=author, editor=editor, space=space, title="Moving families into housing",
        summary="A study visit.", language="en", topics=[housing],
        body="The city helps Roma families move from camps into new houses.",
    )  # fmt: skip
    access = publish(
        author=author, editor=editor, space=space, title="Accès au logement", kind="news",
        summary="Visite d'étude.", language="fr",
        body="La ville accompagne les familles roms vers le logement durable.",
    )  # fmt: skip
    secret = space_factory(
        name="Confidential", visibility=Space.Visibility.MEMBERS,
        join_policy=Space.JoinPolicy.INVITATION,
    )  # fmt: skip
    insider = user_factory()
    space_membership_factory(space=secret, user=insider, role=Role.EDITOR)
    hidden = publish(
        author=insider, editor=insider, space=secret, title="Confidential housing draft plan",
        summary="Members only.", body="Secret housing negotiations.", topics=[housing],
    )  # fmt: skip
    assert indexer.apply_pending() > 0
    return {
        "insider": insider, "author": author, "editor": editor, "space": space, "secret": secret,
        "moving": moving, "access": access, "hidden": hidden,
    }  # fmt: skip


def _titles(outcome):  # type: ignore[no-untyped-def]
    names = dict(Document.objects.filter(pk__in=outcome.ids).values_list("pk", "title"))
    return [names[pk] for pk in outcome.ids]


def test_stemming_finds_other_forms_of_a_word(corpus, user_factory):
    viewer = user_factory()
    assert _titles(_find(get_backend(), viewer, "logements")) == ["Accès au logement"]
    assert "Moving families into housing" in _titles(_find(get_backend(), viewer, "house"))
    assert "Moving families into housing" in _titles(_find(get_backend(), viewer, "housings"))


def test_accents_and_case_are_folded(corpus, user_factory):
    viewer = user_factory()
    for word in ("ACCES", "accès", "Accés"):
        assert _titles(_find(get_backend(), viewer, word)) == ["Accès au logement"]


def test_the_last_word_is_also_a_prefix(corpus, user_factory):
    viewer = user_factory()
    backend = get_backend()
    assert _titles(_find(backend, viewer, "durab")) == ["Accès au logement"]
    assert _titles(_find(backend, viewer, "durab", prefix=False)) == []
    # Only the last word: the others are whole words (or their stems).
    assert _titles(_find(backend, viewer, "roma", "camp")) == ["Moving families into housing"]
    assert _titles(_find(backend, viewer, "rom", "camps")) == []


def test_words_are_anded_across_languages(corpus, user_factory):
    viewer = user_factory()
    backend = get_backend()
    assert _titles(_find(backend, viewer, "families", "camps")) == ["Moving families into housing"]
    assert _titles(_find(backend, viewer, "logement", "camps")) == []


def test_a_translation_is_found_in_its_language_whatever_the_document_language(backend):
    backend.apply(
        [
            _doc(1, "Social housing", "Homes for families.\nLes logements sociaux.", language="en"),
            _doc(2, "Wohnungen", "Sozialwohnungen für Familien.", language="de"),
        ],
        [],
    )
    assert backend.search(Query(terms=("logements",), scopes=(0,))).ids == [1]
    assert backend.search(Query(terms=("sociaux",), scopes=(0,))).ids == [1]
    assert backend.search(Query(terms=("familien",), scopes=(0,))).ids == [2]


def test_greek_and_arabic_without_their_accents(backend):
    backend.apply(
        [
            _doc(1, "Στέγαση στην Αθήνα", "Οι οικογένειες.", language="el"),  # noqa: RUF001
            _doc(2, "Housing", "Translated: Η πόλη της Αθήνας.", language="en"),  # noqa: RUF001
            _doc(3, "سكن", "المَدِينَة", language="ar"),
        ],
        [],
    )

    def ids(*terms: str) -> list[int]:
        return sorted(backend.search(Query(terms=terms, scopes=(0,))).ids)

    assert ids("αθηνα", "στεγαση") == [1]
    assert ids("Αθήνα", "στέγαση") == [1]
    assert ids("αθη") == [1, 2]  # as the start of a word, accents folded
    assert ids("στεγαση") == [1]
    assert ids("πολη") == [2]
    assert ids("المدينة") == [3]


def test_members_only_never_found_nor_counted(corpus, user_factory):
    backend = get_backend()
    secret = corpus["secret"]
    hidden = Document.objects.get(provider="library.item", object_id=corpus["hidden"].pk).pk
    for viewer in (AnonymousUser(), user_factory(), corpus["author"]):
        for terms in (("housing",), ("confidential",), ("secret", "negotiations"), ()):
            outcome = _find(backend, viewer, *terms)
            assert hidden not in outcome.ids
            assert "Confidential housing draft plan" not in _titles(outcome)
            assert ("space", str(secret.pk)) not in {(f[0], f[1]) for f in outcome.facets}
        topics = {f[1]: f[3] for f in _find(backend, viewer).facets if f[0] == "topic"}
        assert topics == {"housing": 1}
        # Asking for the space by its filter finds nothing either.
        assert _find(backend, viewer, filters={"space": str(secret.pk)}).total == 0
    insider = corpus["insider"]
    found = _find(backend, insider, "housing")
    assert "Confidential housing draft plan" in _titles(found)
    assert ("space", str(secret.pk), "", 1) in found.facets
    topics = {f[1]: f[3] for f in _find(backend, insider).facets if f[0] == "topic"}
    assert topics == {"housing": 2}


def test_documents_seen_by_nobody_are_never_indexed(backend):
    backend.apply([_doc(1, "Hidden housing", is_public=False), _doc(2, "Open housing")], [])
    everything = backend.search(Query(terms=(), scopes=(0, -1, 1, 2, 3)))
    assert everything.ids == [2] and everything.total == 1


def test_facets_count_the_matches_with_their_labels(corpus, user_factory):
    backend = get_backend()
    viewer = user_factory()
    outcome = _find(backend, viewer)
    rows = {(f[0], f[1]): (f[2], f[3]) for f in outcome.facets}
    assert outcome.total == 2
    assert {k: v for k, v in rows.items() if k[0] == "kind"} == {
        ("kind", "library.case_study"): (str(_label(corpus["moving"])), 1),
        ("kind", "library.news"): (str(_label(corpus["access"])), 1),
    }
    assert rows[("topic", "housing")] == ("Housing", 1)
    assert {k[1] for k in rows if k[0] == "language"} == {"en", "fr"}
    space = corpus["space"]
    assert rows[("space", str(space.pk))] == ("", 2)
    # Facets of a search count its matches only.
    words = {(f[0], f[1]): f[3] for f in _find(backend, viewer, "logement").facets}
    assert words[("kind", "library.news")] == 1 and ("kind", "library.case_study") not in words


def _label(item) -> str:  # type: ignore[no-untyped-def]
    return Document.objects.get(object_id=item.pk, provider="library.item").kind_label


def test_filters_and_kinds(corpus, user_factory):
    backend = get_backend()
    viewer = user_factory()
    news = _find(backend, viewer, filters={"kind": "library.news"})
    assert _titles(news) == ["Accès au logement"]
    assert {(f[0], f[1]) for f in news.facets if f[0] == "kind"} == {("kind", "library.news")}
    assert _titles(_find(backend, viewer, filters={"topic": "housing"})) == [
        "Moving families into housing"
    ]
    assert _titles(_find(backend, viewer, "famille", filters={"language": "fr"})) == [
        "Accès au logement"
    ]
    assert _find(backend, viewer, filters={"topic": "no-such-topic"}).total == 0
    assert _find(backend, viewer, filters={"year": "1"}).total == 0
    assert _find(backend, viewer, filters={"year": "9" * 40}).total == 0
    assert _find(backend, viewer, filters={"year": "not a year"}).total == 2  # ignored
    assert _titles(_find(backend, viewer, kinds=("library.case_study",))) == [
        "Moving families into housing"
    ]
    assert _find(backend, viewer, kinds=("library.case_study", "library.news")).total == 2
    assert _find(backend, viewer, kinds=("events.event",)).total == 0


def test_without_words_the_newest_come_first_and_pages_follow(backend):
    documents = [
        _doc(pk, f"Housing {pk}", "housing " * pk, year=2000 + pk % 3) for pk in range(1, 12)
    ]
    backend.apply(documents, [])
    newest = backend.search(Query(terms=(), scopes=(0,), limit=20))
    expected = [d.id for d in sorted(documents, key=lambda d: (d.year, d.id), reverse=True)]
    assert newest.ids == expected and newest.total == 11 and newest.exact
    for terms in ((), ("housing",)):
        everything = backend.search(Query(terms=terms, scopes=(0,), limit=20)).ids
        pages = []
        for offset in range(0, 12, 4):
            page = backend.search(Query(terms=terms, scopes=(0,), offset=offset, limit=4))
            assert page.total == 11
            pages += page.ids
        assert pages == everything and len(everything) == 11
    # More occurrences rank higher; never past the first MAX_HITS.
    assert backend.search(Query(terms=("housing",), scopes=(0,), limit=1)).ids == [11]
    assert backend.search(Query(terms=(), scopes=(0,), offset=MAX_HITS, limit=20)).ids == []
    late = backend.search(Query(terms=(), scopes=(0,), offset=MAX_HITS - 1, limit=20))
    assert late.ids == [] and late.total == 11


def test_apply_is_idempotent_and_a_deletion_removes(corpus, user_factory):
    backend = get_backend()
    viewer = user_factory()
    from cocity.search.backends.base import indexed_documents

    everything = [d for d in indexed_documents() if d.scope != -1]
    backend.apply(everything, [])
    backend.apply(everything, [])
    assert _find(backend, corpus["insider"]).total == 3
    assert backend.statistics()["documents"] == 3
    access = _find(backend, viewer, "logement").ids
    assert len(access) == 1
    services.item_archive(user=corpus["editor"], item=corpus["access"])
    assert _find(backend, viewer, "logement").ids == access  # until the indexer runs
    indexer.apply_pending()
    assert _find(backend, viewer, "logement").total == 0
    assert _find(backend, viewer).total == 1
    backend.apply([], [corpus["moving"].pk + 10_000])  # an id never indexed: nothing happens
    assert _find(backend, viewer).total == 1


def test_a_crashed_apply_leaves_the_changes_for_the_next_run(
    backend, editorial, publish, user_factory, monkeypatch
):
    space, author, editor = editorial
    calls = []
    real = backend.apply

    def crash_once(upserts, deletions):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        real(upserts, deletions)

    monkeypatch.setattr(backend, "apply", crash_once)
    publish(author=author, editor=editor, space=space, title="Cooperative bakery", summary="S")
    pending = IndexChange.objects.count()
    assert pending > 0
    with pytest.raises(OSError):
        indexer.apply_pending()
    assert IndexChange.objects.count() == pending
    assert _find(backend, user_factory(), "bakery").total == 0
    assert indexer.apply_pending() == pending
    assert IndexChange.objects.count() == 0
    assert _titles(_find(backend, user_factory(), "bakery")) == ["Cooperative bakery"]


def test_rebuild_switches_atomically(corpus, user_factory, settings):
    backend = get_backend()
    viewer = user_factory()
    # Another process (a web worker) that opened the index before the rebuild.
    reader = TantivyBackend()
    assert _find(reader, viewer).total == 2
    first = backend.statistics()["generation"]
    # A change written while the rebuild runs: applied after the switch.
    seen_during = []

    def progress(done: int) -> None:  # type: ignore[no-untyped-def]
        seen_during.append(_find(reader, viewer).total)

    run = Reindex.objects.create(backend="tantivy")
    real_rebuild = backend.rebuild

    def watched(documents, _progress):  # type: ignore[no-untyped-def]
        real_rebuild(documents, lambda n: (progress(n), _progress(n)))

    backend.rebuild = watched  # type: ignore[method-assign]
    try:
        indexer.rebuild(run)
    finally:
        del backend.rebuild
    run.refresh_from_db()
    assert run.state == Reindex.State.DONE and run.done == run.total
    assert seen_during and all(total == 2 for total in seen_during)
    second = backend.statistics()["generation"]
    assert second != first
    assert reader.statistics()["generation"] == second
    assert _titles(_find(reader, viewer, "logements")) == ["Accès au logement"]
    root = settings.COCITY_SEARCH_DIR / "tantivy"
    assert (root / first).is_dir()  # kept for the readers that have not moved yet
    leftover = root / "gen-1"  # a build that failed long ago
    leftover.mkdir()
    backend.rebuild(iter([_doc(1, "Only one")]), lambda n: None)
    assert not (root / first).exists() and (root / second).is_dir()
    assert not leftover.exists()
    assert _find(reader, viewer).ids == [1]


def test_a_failed_rebuild_keeps_the_index_in_use(corpus, user_factory):
    backend = get_backend()
    before = backend.statistics()["generation"]

    def broken():  # type: ignore[no-untyped-def]
        yield _doc(1, "One")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken(), lambda n: None)
    assert backend.statistics()["generation"] == before
    assert _find(backend, user_factory()).total == 2
    assert len(list((backend.root).glob("gen-*"))) == 1


def test_an_empty_index_answers(backend):
    outcome = backend.search(Query(terms=("housing",), scopes=(0,)))
    assert outcome.ids == [] and outcome.total == 0
    assert backend.statistics()["documents"] == 0


@pytest.mark.parametrize(
    "terms",
    [
        ("x" * 10_000,),
        ("the", "of", "and", "a"),
        ("\ud800", "\U0001f600", "\U0010ffff", "\x00"),
        ("\U0001d518\U0001d52b\U0001d526", "مدينة", "πόλη", "城市", "ᚠᚢᚦ"),
        ("AND", "OR", "NOT", '"', "(", "*", ":", "^2", "title:x", "-"),
        tuple(f"w{n}" for n in range(200)),
        ("",),
        ("a",),
    ],
)
def test_hostile_queries_give_a_normal_answer(corpus, user_factory, terms):
    backend = get_backend()
    outcome = _find(backend, user_factory(), *terms)
    assert outcome.total >= 0 and len(outcome.ids) <= 20
    weird = backend.search(
        Query(
            terms=terms,
            scopes=(0, 2**70, -(2**70)),
            filters={"city": "\ud800", "space": "1" * 30},
            kinds=("\x00",),
            offset=-5,
            limit=10**9,
        )
    )
    assert weird.ids == [] or weird.total >= 0


def test_the_stopwords_alone_still_match_like_words(corpus, user_factory):
    outcome = _find(get_backend(), user_factory(), "the")
    assert _titles(outcome) == ["Moving families into housing"]


def test_a_search_asked_before_the_indexer_ran_is_not_kept(
    backend, editorial, publish, user_factory
):
    from cocity.search.selectors import search

    space, author, editor = editorial
    viewer = user_factory()
    publish(author=author, editor=editor, space=space, title="Cooperative bakery", summary="S")
    # Committed, not yet in the index: the answer (cached) says nothing...
    assert search(user=viewer, raw_query="bakery", filters={}).page.paginator.count == 0
    indexer.apply_pending()
    # ... until the indexer applies it, which makes the cached answers stale.
    results = search(user=viewer, raw_query="bakery", filters={})
    assert [h["document"].title for h in results.hits] == ["Cooperative bakery"]
