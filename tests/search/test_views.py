"""The search page as people use it: every active filter a chip that removes exactly it (even a
value nobody indexed), the scope of a list page's own box, "10,000+" totals, "Did you mean",
a page past the end, and the page's whole state in its address."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from cocity.search import index, views
from cocity.search.selectors import FacetValue, ParsedQuery, SearchResults

pytestmark = pytest.mark.django_db(transaction=False)

URL = reverse("search:search")


def _params(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(unescape(href)).query, keep_blank_values=True)


def _chips(html: str) -> dict[str, str]:
    """Each chip's filter name and the address of its remove link."""
    return dict(re.findall(r'<li class="chip" data-filter="([^"]+)">.*?href="([^"]*)"', html, re.S))


@pytest.fixture
def items(editorial, publish, topic_factory):  # type: ignore[no-untyped-def]
    space, author, editor = editorial
    housing = topic_factory(slug="housing", name="Housing")
    english = publish(
        author=author, editor=editor, space=space, title="Moving families into housing",
        summary="A study visit.", language="en",
        body="The city helps Roma families move from camps into new houses.", topics=[housing],
    )  # fmt: skip
    french = publish(
        author=author, editor=editor, space=space, title="Accès au logement", kind="news",
        summary="Visite d'étude.", language="fr",
        body="La ville accompagne les familles roms vers le logement durable.",
    )  # fmt: skip
    return {"space": space, "english": english, "french": french, "housing": housing}


def test_active_filters_are_chips_whose_cross_drops_exactly_that_parameter(client, items):
    response = client.get(URL, {"q": "housing", "topic": "housing", "language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    chips = _chips(html)
    assert set(chips) == {"topic", "language"}
    assert _params(chips["topic"]) == {"q": ["housing"], "language": ["en"]}
    assert _params(chips["language"]) == {"q": ["housing"], "topic": ["housing"]}
    # Named for what it removes, reachable as a link; the facet's own label ("Housing").
    assert 'aria-label="Remove filter Topic: Housing"' in html
    # Two filters: one link clears them all and keeps the words.
    clear = re.search(r'class="chips-clear" href="([^"]*)"', html)
    assert clear and _params(clear.group(1)) == {"q": ["housing"]}
    # The search form carries the filters along (a new question keeps them), only those set.
    form = html.split('role="search" aria-label="Search the platform"', 1)[1].split("</form>")[0]
    assert 'name="topic" value="housing"' in form
    assert 'name="language" value="en"' in form
    assert 'name="kind"' not in form


def test_one_filter_has_no_clear_all(client, items):
    html = client.get(URL, {"q": "housing", "topic": "housing"}).content.decode()
    assert set(_chips(html)) == {"topic"}
    assert "Clear all filters" not in html


def test_removing_a_chip_keeps_the_other_parameters_and_goes_back_to_page_one(client, items):
    html = client.get(
        URL, {"q": "housing", "topic": "housing", "year": "1999", "page": "3"}
    ).content.decode()
    assert _params(_chips(html)["year"]) == {"q": ["housing"], "topic": ["housing"]}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("topic", "no-such-topic"),
        ("kind", "library.nothing"),
        ("city", "XX-NOWHERE"),
        ("language", "zz"),
        ("year", "abcd"),
        ("space", "99999999"),
        ("topic", "x" * 5000),
        ("kind", "<script>alert(1)</script>"),
    ],
)
def test_a_facet_value_that_does_not_exist_shows_a_removable_chip(client, items, name, value):
    response = client.get(URL, {"q": "housing", name: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    chips = _chips(html)
    assert name in chips, f"no chip for {name}={value!r}"
    assert _params(chips[name]) == {"q": ["housing"]}
    # Nothing found: the page says what to do, and there is something to remove. (A year
    # that is not a number filters nothing: its chip only tidies the address.)
    if "Nothing matches" in html:
        assert "remove a filter above" in html


def test_members_only_space_chip_does_not_name_the_space(client, items, space_factory):
    from cocity.network.models import Space

    secret = space_factory(
        name="Secret council", visibility=Space.Visibility.MEMBERS,
        join_policy=Space.JoinPolicy.INVITATION,
    )  # fmt: skip
    html = client.get(URL, {"space": str(secret.pk)}).content.decode()
    assert "Secret council" not in html
    assert f"Space: {secret.pk}" in html


def test_a_visible_space_chip_names_the_space(client, items):
    space = items["space"]
    html = client.get(URL, {"space": str(space.pk)}).content.decode()
    assert f"Space: {space.name}" in html


def test_within_scopes_the_results_and_shows_its_chip(client, items, event_factory):
    event = event_factory(
        space=items["space"], title="Housing dialogue", summary="Talking about housing."
    )
    index.update(event)
    everything = client.get(URL, {"q": "housing"}).content.decode()
    assert "Housing dialogue" in everything
    assert "Moving families into housing" in everything

    html = client.get(URL, {"q": "housing", "within": "library"}).content.decode()
    assert "Moving families into housing" in html
    assert "Housing dialogue" not in html
    chips = _chips(html)
    assert set(chips) == {"within"}
    assert _params(chips["within"]) == {"q": ["housing"]}
    assert "In the library" in html
    # The form keeps the scope for the next question.
    assert '<input type="hidden" name="within" value="library">' in html

    events = client.get(URL, {"q": "housing", "within": "events"}).content.decode()
    assert "Housing dialogue" in events
    assert "Moving families into housing" not in events


def test_an_unknown_scope_is_ignored(client, items):
    response = client.get(URL, {"q": "housing", "within": "nowhere"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moving families into housing" in html
    assert "within" not in _chips(html)
    assert 'name="within"' not in html


def _results(total: int, *, exact: bool, suggestion: str = "") -> SearchResults:
    page = Paginator(list(range(min(total, 40))), 20).page(1)
    return SearchResults(
        query=ParsedQuery(text="housing", terms=["housing"]),
        page=page,
        hits=[],
        facets={"kind": [FacetValue("library.case_study", "case study", total, False)]},
        filters={},
        total=total,
        exact=exact,
        suggestion=suggestion,
    )


def test_a_total_beyond_the_limit_reads_10_000_plus(client, monkeypatch):
    monkeypatch.setattr(views, "search", lambda **kwargs: _results(10_000, exact=False))
    html = client.get(URL, {"q": "housing"}).content.decode()
    assert "10,000+ results" in html
    client.cookies["cocity_language"] = "fr"
    html = client.get(URL, {"q": "housing"}).content.decode()
    assert "10\xa0000+ résultats" in html or "10&nbsp;000+ résultats" in html


def test_an_exact_total_is_shown_as_counted(client, monkeypatch):
    monkeypatch.setattr(views, "search", lambda **kwargs: _results(1234, exact=True))
    html = client.get(URL, {"q": "housing"}).content.decode()
    assert "1,234 results" in html
    assert "+ results" not in html
    monkeypatch.setattr(views, "search", lambda **kwargs: _results(1, exact=True))
    assert "1 result<" in client.get(URL, {"q": "housing"}).content.decode()


def test_did_you_mean_links_the_suggestion_with_the_same_filters(client, monkeypatch):
    monkeypatch.setattr(
        views, "search", lambda **kwargs: _results(0, exact=True, suggestion="housing")
    )
    html = client.get(URL, {"q": "husing", "topic": "x", "within": ""}).content.decode()
    link = re.search(r'Did you mean <a href="([^"]*)" class="suggestion-link">housing</a>\?', html)
    assert link, html
    assert _params(link.group(1)) == {"q": ["housing"], "topic": ["x"]}


def test_did_you_mean_from_the_selector(client, items):
    response = client.get(URL, {"q": "housign"})  # "housing" is in a title
    assert response.status_code == 200
    html = response.content.decode()
    link = re.search(r'class="search-suggestion">Did you mean <a href="([^"]*)"', html)
    assert link, "no suggestion for a misspelt word of a title"
    assert _params(link.group(1)) == {"q": ["housing"]}


def test_a_page_past_the_end_gives_the_last_page(client, items):
    for page in ("99999", "-3", "abc", "1e9", "9" * 40):
        response = client.get(URL, {"q": "housing", "page": page})
        assert response.status_code == 200, page
        assert "Moving families into housing" in response.content.decode()


def test_htmx_gets_the_results_alone_and_a_history_restore_the_whole_page(client, items):
    fragment = client.get(
        URL, {"q": "housing"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
    )
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert b"Moving families into housing" in fragment.content
    assert fragment.content.decode().lstrip().startswith("<title>Search: housing")
    # The back button on an address htmx pushed: htmx asks it again and swaps the whole body.
    restored = client.get(
        URL, {"q": "housing"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert b"<html" in restored.content
    assert b'value="housing"' in restored.content
    assert "HX-Request" in fragment["Vary"] and "HX-History-Restore-Request" in fragment["Vary"]
    # The page keeps no copy in htmx's history cache: what shows is what the address says.
    page = client.get(URL, {"q": "housing"}).content.decode()
    assert 'hx-history="false"' in page
    assert 'hx-push-url="true"' in page


def test_the_search_box_is_labelled_and_the_results_announced(client, items):
    html = client.get(URL, {"q": "housing"}).content.decode()
    assert '<label for="id_q">' in html and 'id="id_q"' in html
    assert 'id="search-results" aria-live="polite"' in html
    assert '<form method="get" action="/search/"' in html  # works without JavaScript


@pytest.mark.parametrize(
    "query",
    [
        "x" * 30_000,
        '"unbalanced',
        "AND OR NOT",
        "the of and",
        "?!.,;",
        "\U0001d573\U0001d594 \U0001f3e0 \U0010fffd \u202e",
    ],
)
def test_bad_queries_never_fail(client, items, query):
    assert client.get(URL, {"q": query, "topic": query[:200]}).status_code == 200


# --- The list pages' own boxes ------------------------------------------------------------------


def _scoped_box(html: str) -> str:
    match = re.search(r'<form class="scoped-search".*?</form>', html, re.S)
    assert match, "no scoped search box"
    return match.group(0)


def test_the_library_list_has_a_box_searching_the_library(client, items):
    box = _scoped_box(client.get(reverse("library:item_list")).content.decode())
    assert 'action="/search/"' in box
    assert '<input type="hidden" name="within" value="library">' in box
    assert "Search the library" in box
    assert 'name="space"' not in box


def test_a_space_s_library_list_searches_within_that_space(client, items):
    space = items["space"]
    html = client.get(reverse("library:item_list"), {"space": space.slug}).content.decode()
    box = _scoped_box(html)
    assert f'<input type="hidden" name="space" value="{space.pk}">' in box


def test_the_events_list_has_a_box_searching_events(client, items):
    box = _scoped_box(client.get(reverse("events:event_list")).content.decode())
    assert 'name="within" value="events"' in box
    assert "Search events" in box


def test_the_commons_pages_have_a_box_searching_commons(client, items):
    for url in (reverse("commons:commons_list"), reverse("commons:index")):
        box = _scoped_box(client.get(url).content.decode())
        assert 'name="within" value="commons"' in box


def test_a_process_s_ideas_and_plan_have_a_box_searching_its_space(client, process_factory):
    process = process_factory()
    for name in ("plans:idea_list", "plans:plan"):
        response = client.get(reverse(name, args=[process.slug]))
        assert response.status_code == 200
        box = _scoped_box(response.content.decode())
        assert 'name="within" value="plans"' in box
        assert f'name="space" value="{process.space_id}"' in box


def test_the_scoped_box_lands_on_the_scoped_search(client, items):
    html = client.get(URL, {"q": "logement", "within": "library"}).content.decode()
    assert "Accès au logement" in html
    assert set(_chips(html)) == {"within"}
