import pytest

from cocity.library import services
from cocity.network.models import Role, Space
from cocity.search import index
from cocity.search.models import Document
from cocity.search.selectors import MAX_QUERY_CHARS, parse_query, search

pytestmark = pytest.mark.django_db(transaction=False)


def _search(user, q="", **filters):  # type: ignore[no-untyped-def]
    return search(user=user, raw_query=q, filters=filters)


@pytest.fixture
def corpus(
    editorial, publish, topic_factory, space_factory, space_membership_factory, user_factory
):  # type: ignore[no-untyped-def]
    space, author, editor = editorial
    housing = topic_factory(slug="housing", name="Housing")
    publish(
        author=author, editor=editor, space=space, title="Moving families into housing",
        summary="A study visit.", language="en",
        body="The city helps Roma families move from camps into housing.", topics=[housing],
    )  # fmt: skip
    publish(
        author=author, editor=editor, space=space, title="Accès au logement", kind="news",
        summary="Visite d'étude.", language="fr",
        body="La ville accompagne les familles roms vers le logement durable.",
    )  # fmt: skip
    secret = space_factory(
        visibility=Space.Visibility.MEMBERS, join_policy=Space.JoinPolicy.INVITATION
    )
    insider = user_factory()
    space_membership_factory(space=secret, user=insider, role=Role.EDITOR)
    publish(
        author=insider, editor=insider, space=secret, title="Confidential housing draft plan",
        summary="Members only.", body="Secret housing negotiations.",
    )  # fmt: skip
    return {"insider": insider, "author": author, "secret": secret}


def test_finds_by_body_words_in_english_and_french(corpus, user_factory):
    viewer = user_factory()
    english = _search(viewer, "camps")
    assert [h["document"].title for h in english.hits] == ["Moving families into housing"]
    assert "<mark>" in english.hits[0]["snippet"]
    french = _search(viewer, "logement")
    assert "Accès au logement" in [h["document"].title for h in french.hits]


def test_members_only_never_leaks(search_backend, corpus, user_factory, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from cocity.search import indexer

    indexer.apply_pending()  # the index of a backend with an outbox (no on_commit here)
    for viewer in (AnonymousUser(), user_factory(), corpus["author"]):
        for words in ("housing", "confidential", ""):
            results = _search(viewer, words)
            titles = [h["document"].title for h in results.hits]
            assert "Confidential housing draft plan" not in titles
            assert all(f.label != "Confidential" for f in results.facets["space"])
            assert str(corpus["secret"].pk) not in {f.value for f in results.facets["space"]}
            assert sum(f.count for f in results.facets["kind"]) == results.page.paginator.count
        assert _search(viewer, "housing").page.paginator.count == 1
        assert _search(viewer, space=str(corpus["secret"].pk)).page.paginator.count == 0
    insider = _search(corpus["insider"], "housing")
    assert "Confidential housing draft plan" in [h["document"].title for h in insider.hits]


def test_facets_count_and_filter(corpus, user_factory):
    results = _search(user_factory())
    kinds = {f.value: f.count for f in results.facets["kind"]}
    assert kinds == {"library.case_study": 1, "library.news": 1}
    assert {f.value for f in results.facets["language"]} == {"en", "fr"}
    assert [f.value for f in results.facets["topic"]] == ["housing"]
    filtered = _search(user_factory(), kind="library.news")
    assert [h["document"].title for h in filtered.hits] == ["Accès au logement"]
    by_topic = _search(user_factory(), topic="housing")
    assert [h["document"].title for h in by_topic.hits] == ["Moving families into housing"]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        'housing AND OR NOT "(( ) :* & | ! <-> * ^ NEAR( -" \\ \' ; --',
        '"""""',
        "*",
        "NEAR(a b, 3) col:housing {title}: ^housing",
        "& | ! ( ) : * ' \" - <-> <2>" * 300,
    ],
)
def test_hostile_queries_never_error(corpus, user_factory, query):
    results = _search(user_factory(), query)
    assert len(results.query.text) <= MAX_QUERY_CHARS


def test_long_query_says_it_was_cut():
    parsed = parse_query("word " * 3000)
    assert parsed.message and len(parsed.terms) <= 12


def test_snippet_escapes_html(editorial, publish, user_factory):
    space, author, editor = editorial
    publish(author=author, editor=editor, space=space, title="Script test",
            summary="S", body="alpha <script>alert(1)</script> housing")  # fmt: skip
    results = _search(user_factory(), "housing")
    assert "<script>" not in results.hits[0]["snippet"]


def test_remove_and_update(editorial, publish):
    space, author, editor = editorial
    item = publish(author=author, editor=editor, space=space, body="Cooperative bakery.")
    assert Document.objects.count() == 1
    index.remove(item)
    assert Document.objects.count() == 0
    index.update(item)
    assert Document.objects.count() == 1
    services.item_archive(user=editor, item=item)
    assert Document.objects.count() == 0


def test_pages_past_the_kept_ids_follow_the_same_order(
    editorial, publish, user_factory, monkeypatch, settings
):

    space, author, editor = editorial
    for n in range(7):
        publish(author=author, editor=editor, space=space, title=f"Housing practice {n}",
                summary="S", body="housing " * (n + 1))  # fmt: skip
    viewer = user_factory()
    everything = [h["document"].pk for h in _search(viewer, "housing").hits]
    assert len(everything) == 7
    settings.COCITY_PAGE_SIZE = 3
    seen = []
    for number in (1, 2, 3):
        results = search(user=viewer, raw_query="housing", filters={}, page=number)
        assert results.page.paginator.count == 7
        seen += [h["document"].pk for h in results.hits]
    assert seen == everything


def test_a_new_item_is_found_at_once(
    editorial, publish, user_factory, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    """The summary of a search is cached; the commit that indexes an item moves the version."""
    space, author, editor = editorial
    viewer = user_factory()
    assert _search(viewer, "bakery").page.paginator.count == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish(author=author, editor=editor, space=space, title="Cooperative bakery", summary="S")
    results = _search(viewer, "bakery")
    assert [h["document"].title for h in results.hits] == ["Cooperative bakery"]
    assert {f.value: f.count for f in results.facets["kind"]} == {"library.case_study": 1}


def test_one_computation_at_a_time_others_get_the_previous_answer(
    editorial, publish, user_factory, django_capture_on_commit_callbacks, monkeypatch
):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from cocity.search import selectors

    space, author, editor = editorial
    viewer = user_factory()
    publish(author=author, editor=editor, space=space, title="Bakery one", summary="S")
    assert _search(viewer, "bakery").page.paginator.count == 1
    calls = []
    backend = selectors.get_backend()
    real = backend.search
    monkeypatch.setattr(backend, "search", lambda q: calls.append(1) or real(q))
    with django_capture_on_commit_callbacks(execute=True):
        publish(author=author, editor=editor, space=space, title="Bakery two", summary="S")
    question = selectors.Query(terms=("bakery",), scopes=selectors._scopes(viewer), filters={})
    key = selectors._cache_key(backend.name, question)
    # Someone else is computing the new answer: this search gets the previous one, at once.
    cache.add(key + ":computing", 1, 30)
    assert _search(viewer, "bakery").page.paginator.count == 1
    assert calls == []
    cache.delete(key + ":computing")
    assert _search(viewer, "bakery").page.paginator.count == 2
    assert _search(viewer, "bakery").page.paginator.count == 2
    assert calls == [1]
