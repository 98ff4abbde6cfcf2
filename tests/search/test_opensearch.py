"""The OpenSearch backend against recorded OpenSearch 2.x responses (no server can run here).

A small HTTP server on 127.0.0.1 plays back the JSON files of ``recorded/opensearch/`` and keeps
every request, so the tests check what the backend asks (the visibility filter in every search,
the filters, the prefix, the totals' limit, the facets, the bulk lines, the one alias switch)
and what it makes of the answers (ids, totals, labels, errors).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from cocity.search.backends import get_backend, reset_backends
from cocity.search.backends import opensearch as module
from cocity.search.backends.base import (
    EXACT_LIMIT,
    MAX_HITS,
    NOBODY,
    IndexedDocument,
    Query,
    SearchUnavailable,
)
from cocity.search.backends.opensearch import IndexingFailed, OpenSearchBackend

RECORDED = Path(__file__).parent / "recorded" / "opensearch"
PASSWORD = "s3cret-pass"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    raw: bytes

    def json(self) -> Any:
        return json.loads(self.raw)

    def lines(self) -> list[Any]:
        """An NDJSON body (bulk) as its lines."""
        return [json.loads(line) for line in self.raw.decode().splitlines() if line.strip()]


Reply = Callable[[Request], tuple[int, Any]]


@dataclass
class Route:
    method: str
    path: re.Pattern[str]
    reply: Reply
    times: int | None  # None: any number of times
    delay: float = 0.0


@dataclass
class FakeOpenSearch:
    """Plays back recorded answers: the first route matching a request (method and path),
    with uses left, answers it; a request no route expects gets a 400 and fails the test."""

    routes: list[Route] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    unexpected: list[Request] = field(default_factory=list)
    port: int = 0

    def reply(
        self,
        method: str,
        path: str,
        recorded: str | Reply | None = None,
        *,
        status: int = 200,
        times: int | None = 1,
        delay: float = 0.0,
    ) -> None:
        if callable(recorded):
            answer = recorded
        else:
            body = json.loads((RECORDED / recorded).read_text()) if recorded else None

            def answer(_request: Request, body: Any = body) -> tuple[int, Any]:
                return status, body

        self.routes.append(Route(method, re.compile(path), answer, times, delay))

    def answer(self, request: Request) -> tuple[int, Any, float]:
        self.requests.append(request)
        for route in self.routes:
            if route.method == request.method and route.path.fullmatch(request.path):
                if route.times is not None:
                    if route.times == 0:
                        continue
                    route.times -= 1
                status, body = route.reply(request)
                return status, body, route.delay
        self.unexpected.append(request)
        return 400, {"error": f"no recorded answer for {request.method} {request.path}"}, 0.0

    def made(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and re.fullmatch(path, r.path)]

    @property
    def url(self) -> str:
        return f"http://cocity:{PASSWORD}@127.0.0.1:{self.port}"


def _handler(fake: FakeOpenSearch) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = Request(self.command, unquote(parts.path), parse_qs(parts.query), raw)
            status, body, delay = fake.answer(request)
            if delay:
                time.sleep(delay)
            payload = b"" if body is None else json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
            except OSError:  # the client gave up (timeout tests)
                pass

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def fake() -> Iterator[FakeOpenSearch]:
    server_state = FakeOpenSearch()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server_state))
    server.daemon_threads = True
    server_state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server_state
    server.shutdown()
    server.server_close()
    assert not server_state.unexpected, [(r.method, r.path) for r in server_state.unexpected]


@pytest.fixture
def backend(fake: FakeOpenSearch) -> OpenSearchBackend:
    return OpenSearchBackend(url=fake.url, alias="cocity", search_timeout=3.0)


@pytest.fixture
def refused_url() -> str:
    """The address of a port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://cocity:{PASSWORD}@127.0.0.1:{port}"


def document(pk: int, **changes: Any) -> IndexedDocument:
    values: dict[str, Any] = {
        "id": pk,
        "title": f"Logements partagés {pk}",
        "body": "Des logements pour les élèves",
        "language": "fr",
        "kind": "library.item",
        "kind_label": "Library item",
        "city": "FR-MRS",
        "city_name": "Marseille",
        "year": 2025,
        "space_id": None,
        "is_public": True,
        "topics": (("housing", "Housing"),),
    }
    values.update(changes)
    return IndexedDocument(**values)


def bulk_answer(request: Request) -> tuple[int, Any]:
    """The recorded bulk answer, one item per action of the request (as a server answers)."""
    recorded = json.loads((RECORDED / "bulk_ok.json").read_text())["items"]
    templates = {"index": recorded[1]["index"], "delete": recorded[3]["delete"]}
    items = []
    for line in request.lines():
        ((operation, meta),) = line.items() if len(line) == 1 else (("", {}),)
        if operation in templates:
            items.append({operation: {**templates[operation], "_id": meta["_id"]}})
    return 200, {"took": 3, "errors": False, "items": items}


def scope_filter(body: dict[str, Any]) -> list[int]:
    filters = body["query"]["bool"]["filter"]
    scopes = [f["terms"]["scope"] for f in filters if "scope" in f.get("terms", {})]
    assert len(scopes) == 1, filters
    return scopes[0]


# Searching


def test_a_search_asks_for_the_words_filters_facets_and_bounded_totals(fake, backend):
    fake.reply("POST", "/cocity/_search", "search_words.json")
    outcome = backend.search(
        Query(
            terms=("logements", "hous"),
            scopes=(7, 0),
            filters={"kind": "library.item", "topic": "housing", "year": "2024", "space": "7"},
            kinds=("library.item", "events.event"),
            offset=20,
            limit=20,
        )
    )
    (request,) = fake.requests
    body = request.json()
    assert scope_filter(body) == [0, 7]
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"kind": "library.item"}} in filters
    assert {"term": {"topic": "housing"}} in filters
    assert {"term": {"year": 2024}} in filters
    assert {"term": {"space": 7}} in filters
    assert {"terms": {"kind": ["events.event", "library.item"]}} in filters
    first, last = body["query"]["bool"]["must"]
    assert first["multi_match"]["query"] == "logements"
    assert first["multi_match"]["operator"] == "and"
    assert "title_fr^3" in first["multi_match"]["fields"]
    assert "body_std" in first["multi_match"]["fields"]
    exact, starts = last["bool"]["should"]
    assert exact["multi_match"]["query"] == starts["multi_match"]["query"] == "hous"
    assert starts["multi_match"]["type"] == "bool_prefix"
    assert body["track_total_hits"] == EXACT_LIMIT
    assert (body["from"], body["size"]) == (20, 20)
    assert body["_source"] is False
    assert set(body["aggs"]) == {"kind", "topic", "city", "language", "year", "space"}
    assert all(a["terms"]["size"] == 12 for a in body["aggs"].values())

    assert outcome.ids == [48211, 1207, 993]
    assert (outcome.total, outcome.exact, outcome.degraded) == (10000, False, False)
    facets = {(f, v): (label, n) for f, v, label, n in outcome.facets}
    assert facets[("kind", "library.item")] == ("Library item", 7712)
    assert facets[("city", "GR-ATH")] == ("Αθήνα", 2990)
    assert facets[("city", "BE-BRU")] == ("BE-BRU", 12)  # no label kept: the value
    assert facets[("topic", "housing")] == ("Housing", 6123)  # two labels, one row
    assert facets[("topic", "mobilite-douce")] == ("Mobilité douce", 97)
    assert facets[("year", "2025")] == ("2025", 5511)
    assert facets[("space", "12")] == ("12", 3)
    assert facets[("language", "el")] == ("el", 1896)


def test_without_words_the_newest_come_first_and_totals_are_exact_below_the_limit(fake, backend):
    fake.reply("POST", "/cocity/_search", "search_browse.json")
    outcome = backend.search(Query(terms=(), scopes=(0,)))
    body = fake.requests[0].json()
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert body["sort"] == [
        {"year": {"order": "desc", "missing": "_last"}},
        {"id": {"order": "desc"}},
    ]
    assert scope_filter(body) == [0]
    assert outcome.ids == [66, 65, 12]
    assert (outcome.total, outcome.exact) == (37, True)
    assert ("kind", "plans.idea", "Idea", 37) in outcome.facets


def test_every_search_filters_on_what_the_viewer_may_see(fake, backend):
    fake.reply("POST", "/cocity/_search", "search_empty.json", times=None)
    questions = [
        Query(terms=("budget",), scopes=(0,)),
        Query(terms=(), scopes=(0, 3, 9)),
        Query(terms=("budget", "école"), scopes=(0, 3), filters={"space": "3"}, facets=False),
        Query(terms=("x",), scopes=(), kinds=("plans.idea",), prefix=False),
        Query(terms=(), scopes=(0,), filters={"city": "FR-MRS"}, offset=980),
    ]
    for question in questions:
        assert backend.search(question).ids == []
    assert len(fake.requests) == len(questions)
    for question, request in zip(questions, fake.requests, strict=True):
        body = request.json()
        # The scope filter is a filter clause of the top query, beside any words.
        assert scope_filter(body) == sorted(set(question.scopes))
        assert NOBODY not in scope_filter(body)
        assert ("aggs" in body) is question.facets
    no_prefix = fake.requests[3].json()["query"]["bool"]["must"]
    assert no_prefix[0]["multi_match"]["type"] == "best_fields"  # no prefix clause


def test_pages_are_never_asked_past_the_first_thousand_hits(fake, backend):
    fake.reply("POST", "/cocity/_search", "search_empty.json", times=None)
    backend.search(Query(terms=("a",), scopes=(0,), offset=990, limit=20))
    backend.search(Query(terms=("a",), scopes=(0,), offset=50_000, limit=20))
    backend.search(Query(terms=("a",), scopes=(0,), offset=-5, limit=10**9))
    sizes = [(r.json()["from"], r.json()["size"]) for r in fake.requests]
    assert sizes == [(990, 10), (MAX_HITS, 0), (0, MAX_HITS)]


@pytest.mark.parametrize(
    "terms",
    [
        ("x" * 10_000,),
        ("logement" * 1250, "é" * 10_000),
        ("😀", "\U0001d518", "漢字", "שלום", "مدرسة", "Ωμέγα", "\U000e0001", "\U0010fffd"),
        ("\ud800broken", "\x00", "\u202ehidden\u202c", "a\udfffb"),
        ("", "   ", "\t"),
        ("the", "le", "der"),
        tuple(f"w{i}" for i in range(40)),
    ],
)
def test_any_words_make_a_valid_bounded_request(fake, backend, terms):
    fake.reply("POST", "/cocity/_search", "search_empty.json")
    outcome = backend.search(Query(terms=terms, scopes=(0,)))
    assert (outcome.ids, outcome.total) == ([], 0)
    (request,) = fake.requests
    request.raw.decode("utf-8")  # valid UTF-8: lone surrogates replaced
    body = request.json()
    words = []
    for clause in body["query"]["bool"]["must"]:
        if "multi_match" in clause:
            words.append(clause["multi_match"]["query"])
        elif "bool" in clause:
            words.append(clause["bool"]["should"][0]["multi_match"]["query"])
    assert len(words) <= 12
    assert all(0 < len(w) <= 64 for w in words)
    if not any(t.strip() for t in terms):
        assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert scope_filter(body) == [0]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"year": "twenty"}, {"bool": {"must_not": [{"match_all": {}}]}}),
        ({"year": "99999999999999"}, {"bool": {"must_not": [{"match_all": {}}]}}),
        ({"space": "٣"}, {"bool": {"must_not": [{"match_all": {}}]}}),  # a digit, not ASCII
        ({"kind": "no.such-kind"}, {"term": {"kind": "no.such-kind"}}),
        ({"topic": "\ud800"}, {"term": {"topic": "\ufffd"}}),
    ],
)
def test_a_facet_value_no_document_can_have_finds_nothing(fake, backend, filters, expected):
    fake.reply("POST", "/cocity/_search", "search_empty.json")
    backend.search(Query(terms=("budget",), scopes=(0,), filters=filters))
    filter_clauses = fake.requests[0].json()["query"]["bool"]["filter"]
    assert expected in filter_clauses
    assert len(filter_clauses) == 2  # the scope and this one


def test_an_unknown_filter_is_ignored(fake, backend):
    fake.reply("POST", "/cocity/_search", "search_empty.json")
    backend.search(Query(terms=(), scopes=(0,), filters={"colour": "red", "kind": ""}))
    assert len(fake.requests[0].json()["query"]["bool"]["filter"]) == 1


def test_a_search_cut_short_by_the_time_limit_says_so(fake, backend):
    fake.reply("POST", "/cocity/_search", "search_timed_out.json")
    outcome = backend.search(Query(terms=("budget",), scopes=(0,)))
    assert outcome.ids == [5]
    assert (outcome.total, outcome.exact, outcome.degraded) == (812, False, True)


def test_a_server_error_makes_the_search_unavailable(fake, backend):
    fake.reply("POST", "/cocity/_search", "server_error.json", status=500)
    with pytest.raises(SearchUnavailable, match="HTTP 500 circuit_breaking_exception") as caught:
        backend.search(Query(terms=("budget",), scopes=(0,)))
    assert PASSWORD not in str(caught.value)
    assert len(fake.requests) == 1  # a 500 is not retried


def test_a_busy_cluster_is_asked_again(fake, backend):
    fake.reply("POST", "/cocity/_search", "unavailable.json", status=503)
    fake.reply("POST", "/cocity/_search", "search_browse.json")
    assert backend.search(Query(terms=(), scopes=(0,))).total == 37
    assert len(fake.requests) == 2


def test_a_missing_index_says_to_build_it(fake, backend):
    fake.reply("POST", "/cocity/_search", "index_not_found.json", status=404)
    with pytest.raises(SearchUnavailable, match="search-reindex"):
        backend.search(Query(terms=(), scopes=(0,)))


def test_a_slow_cluster_makes_the_search_unavailable_quickly(fake):
    fake.reply("POST", "/cocity/_search", "search_browse.json", delay=2.0)
    slow = OpenSearchBackend(url=fake.url, alias="cocity", search_timeout=0.3)
    started = time.monotonic()
    with pytest.raises(SearchUnavailable, match="timed out"):
        slow.search(Query(terms=("budget",), scopes=(0,)))
    assert time.monotonic() - started < 1.5  # timeouts are not retried
    assert len(fake.requests) == 1


def test_no_cluster_listening_makes_the_search_unavailable(refused_url):
    with pytest.raises(SearchUnavailable, match="cannot connect") as caught:
        OpenSearchBackend(url=refused_url, alias="cocity").search(Query(terms=(), scopes=(0,)))
    assert PASSWORD not in str(caught.value)


# Writing


def test_changes_are_sent_in_one_bulk_request(fake, backend):
    fake.reply("HEAD", "/_alias/cocity")
    fake.reply("POST", "/cocity/_bulk", "bulk_ok.json")
    backend.apply(
        [
            document(1, topics=(("housing", "Housing"), ("energy", "Énergie\x1f"))),
            document(2, language="it", space_id=7, is_public=False, year=None, city=""),
        ],
        [9, 10],  # 10 is not in the index: deleting it is fine
    )
    (bulk,) = fake.made("POST", "/cocity/_bulk")
    assert bulk.query["refresh"] == ["wait_for"]
    lines = bulk.lines()
    assert [next(iter(line)) for line in lines[::2][:2]] == ["index", "index"]
    assert lines[0] == {"index": {"_id": "1"}}
    first = lines[1]
    assert first["title_fr"] == "Logements partagés 1"
    assert first["body_fr"] == "Des logements pour les élèves"
    assert first["topic"] == ["housing", "energy"]
    assert first["topic_facet"] == ["housing\x1fHousing", "energy\x1fÉnergie "]
    assert (first["scope"], first["space"], first["id"]) == (0, None, 1)
    assert (first["kind"], first["kind_label"], first["city_name"]) == (
        "library.item",
        "Library item",
        "Marseille",
    )
    assert lines[2] == {"index": {"_id": "2"}}
    second = lines[3]
    assert "title_fr" not in second
    assert second["title_std"] == "Logements partagés 2"  # Italian: the folded standard pair
    assert (second["scope"], second["space"], second["year"], second["city"]) == (7, 7, None, None)
    assert lines[4:] == [{"delete": {"_id": "9"}}, {"delete": {"_id": "10"}}]


def test_a_document_seen_by_nobody_is_never_sent_to_the_index(fake, backend):
    fake.reply("HEAD", "/_alias/cocity")
    fake.reply("POST", "/cocity/_bulk", bulk_answer)
    backend.apply([document(1), document(2, is_public=False)], [])
    lines = fake.made("POST", "/cocity/_bulk")[0].lines()
    assert lines[0] == {"index": {"_id": "1"}}
    assert lines[2:] == [{"delete": {"_id": "2"}}]


def test_nobodys_scope_is_no_viewers_scope(fake, backend):
    fake.reply("POST", "/cocity/_search", "search_empty.json")
    backend.search(Query(terms=(), scopes=(0, NOBODY, 4)))
    assert scope_filter(fake.requests[0].json()) == [0, 4]


def test_the_alias_is_checked_once_and_created_with_an_empty_index_when_missing(fake, backend):
    fake.reply("HEAD", "/_alias/cocity", status=404)
    fake.reply("PUT", r"/cocity-\d{20}", "create_index.json")
    fake.reply("POST", "/cocity/_bulk", bulk_answer, times=None)
    backend.apply([document(1)], [])
    backend.apply([], [2])
    (create,) = fake.made("PUT", r"/cocity-\d{20}")
    body = create.json()
    assert body["aliases"] == {"cocity": {}}
    assert body["mappings"]["properties"]["scope"] == {"type": "long"}
    assert body["mappings"]["properties"]["title_el"]["analyzer"] == "cocity_el"
    assert "cocity_fr" in body["settings"]["analysis"]["analyzer"]
    assert [r.method for r in fake.requests] == ["HEAD", "PUT", "POST", "POST"]


def test_nothing_to_apply_asks_nothing(fake, backend):
    backend.apply([], [])
    assert fake.requests == []


def test_an_item_the_cluster_refuses_raises_so_the_outbox_keeps_it(fake, backend):
    fake.reply("HEAD", "/_alias/cocity")
    fake.reply("POST", "/cocity/_bulk", "bulk_item_error.json")
    with pytest.raises(IndexingFailed, match="index 2: 400 failed to parse field \\[year\\]"):
        backend.apply([document(1), document(2)], [10])


def test_items_refused_because_the_cluster_is_busy_are_sent_again(fake, backend, monkeypatch):
    monkeypatch.setattr(module, "BULK_BACKOFF", 0.01)
    fake.reply("HEAD", "/_alias/cocity")
    fake.reply("POST", "/cocity/_bulk", "bulk_rejected.json")
    fake.reply("POST", "/cocity/_bulk", bulk_answer)
    backend.apply([document(1)], [])
    assert len(fake.made("POST", "/cocity/_bulk")) == 2


def test_a_server_error_on_writing_raises(fake, backend):
    fake.reply("HEAD", "/_alias/cocity")
    fake.reply("POST", "/cocity/_bulk", "server_error.json", status=500)
    with pytest.raises(IndexingFailed, match="did not take the changes: HTTP 500") as caught:
        backend.apply([document(1)], [])
    assert PASSWORD not in str(caught.value)


def test_no_cluster_listening_raises_a_clear_error_on_writing(refused_url):
    backend = OpenSearchBackend(url=refused_url, alias="cocity", max_retries=0)
    with pytest.raises(IndexingFailed, match="cannot connect") as caught:
        backend.apply([document(1)], [2])
    assert "127.0.0.1" in str(caught.value)
    assert PASSWORD not in str(caught.value)


# Rebuilding


def test_a_rebuild_fills_a_new_index_then_switches_the_alias_in_one_request(
    fake, backend, monkeypatch
):
    monkeypatch.setattr(module, "BATCH", 2)
    new = r"/cocity-\d{20}"
    fake.reply("PUT", new, "create_index.json")
    fake.reply("POST", new + "/_bulk", bulk_answer, times=None)
    fake.reply("PUT", new + "/_settings", "acknowledged.json")
    fake.reply("POST", new + "/_refresh", "refresh.json")
    fake.reply("GET", "/_alias/cocity", "get_alias.json")
    fake.reply("POST", "/_aliases", "acknowledged.json")
    fake.reply("GET", "/cocity-\\*", "get_indices.json")
    fake.reply("DELETE", r"/cocity-\d{20}", "acknowledged.json", times=None)
    done: list[int] = []
    backend.rebuild((document(pk) for pk in range(1, 6)), done.append)

    assert done == [0, 2, 4, 5]
    create = fake.requests[0]
    name = create.path.lstrip("/")
    assert create.method == "PUT"
    assert create.json()["settings"]["index"]["refresh_interval"] == "-1"
    assert "aliases" not in create.json()
    bulks = fake.made("POST", new + "/_bulk")
    assert [len(b.lines()) for b in bulks] == [4, 4, 2]
    assert all(b.path == f"/{name}/_bulk" for b in bulks)
    assert [line["index"]["_id"] for b in bulks for line in b.lines()[::2]] == list("12345")
    (settings_request,) = fake.made("PUT", new + "/_settings")
    assert settings_request.json() == {"index": {"refresh_interval": None}}

    (switch,) = fake.made("POST", "/_aliases")
    assert switch.json() == {
        "actions": [
            {"remove": {"index": "cocity-20261201093000654321", "alias": "cocity"}},
            {"add": {"index": name, "alias": "cocity"}},
        ]
    }
    order = [(r.method, r.path) for r in fake.requests]
    assert order.index(("POST", f"/{name}/_refresh")) < order.index(("POST", "/_aliases"))
    deleted = [r.path for r in fake.made("DELETE", r"/.*")]
    # The old index and one a stopped rebuild left, after the switch; never another index.
    assert deleted == ["/cocity-20261130220000000001", "/cocity-20261201093000654321"]
    assert order.index(("POST", "/_aliases")) < order.index(("DELETE", deleted[0]))
    # Writes after a rebuild go to the alias without checking it again.
    fake.reply("POST", "/cocity/_bulk", bulk_answer)
    backend.apply([], [3])


def test_the_first_build_only_adds_the_alias(fake, backend):
    fake.reply("PUT", r"/cocity-\d{20}", "create_index.json")
    fake.reply("POST", r"/cocity-\d{20}/_bulk", bulk_answer)
    fake.reply("PUT", r"/cocity-\d{20}/_settings", "acknowledged.json")
    fake.reply("POST", r"/cocity-\d{20}/_refresh", "refresh.json")
    fake.reply("GET", "/_alias/cocity", "alias_missing.json", status=404)
    fake.reply("POST", "/_aliases", "acknowledged.json")
    fake.reply("GET", "/cocity-\\*", "get_indices.json")
    fake.reply("DELETE", r"/cocity-\d{20}", "acknowledged.json", times=None)
    backend.rebuild([document(1)], lambda done: None)
    (switch,) = fake.made("POST", "/_aliases")
    (action,) = switch.json()["actions"]
    assert set(action) == {"add"}


def test_a_failed_rebuild_drops_the_new_index_and_keeps_the_old_one(fake, backend):
    fake.reply("PUT", r"/cocity-\d{20}", "create_index.json")
    fake.reply("POST", r"/cocity-\d{20}/_bulk", "server_error.json", status=500)
    fake.reply("DELETE", r"/cocity-\d{20}", "acknowledged.json")
    with pytest.raises(IndexingFailed, match="HTTP 500"):
        backend.rebuild([document(1), document(2)], lambda done: None)
    name = fake.requests[0].path
    assert [(r.method, r.path) for r in fake.requests[-1:]] == [("DELETE", name)]
    assert fake.made("POST", "/_aliases") == []


# Looking after


def test_statistics(fake, backend):
    fake.reply("GET", "/cocity/_stats/docs,store", "stats.json")
    stats = backend.statistics()
    assert stats["documents"] == 1_000_000
    assert stats["size_bytes"] == 1873741824
    assert stats["indices"] == ["cocity-20261201093000654321"]
    assert PASSWORD not in str(stats["url"])


def test_statistics_of_an_unreachable_cluster_say_why(refused_url):
    stats = OpenSearchBackend(url=refused_url, alias="cocity", max_retries=0).statistics()
    assert str(stats["error"]).startswith("cannot connect")


def test_reset_deletes_this_sites_indices_only(fake, backend):
    fake.reply("GET", "/_alias/cocity", "get_alias.json")
    fake.reply("GET", "/cocity-\\*", "get_indices.json")
    fake.reply("DELETE", r"/cocity-\d{20}", "acknowledged.json", times=None)
    backend.reset()
    assert [r.path for r in fake.made("DELETE", ".*")] == [
        "/cocity-20261130220000000001",
        "/cocity-20261201093000654321",
    ]


# Settings


@pytest.mark.parametrize(
    ("url", "alias", "message"),
    [
        ("", "cocity", "COCITY_OPENSEARCH_URL is empty"),
        ("   ", "cocity", "COCITY_OPENSEARCH_URL is empty"),
        ("search.example.org:9200", "cocity", "is not an http"),
        (f"ftp://u:{PASSWORD}@h:21", "cocity", "is not an http"),
        ("http://127.0.0.1:9200", "Cocity", "not a valid index name"),
        ("http://127.0.0.1:9200", "co city", "not a valid index name"),
    ],
)
def test_a_wrong_setting_says_what_to_set(url, alias, message):
    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        OpenSearchBackend(url=url, alias=alias)
    assert PASSWORD not in str(caught.value)


def test_the_backend_chosen_in_settings(settings, fake):
    settings.COCITY_SEARCH_BACKEND = "opensearch"
    settings.COCITY_OPENSEARCH_URL = ""
    reset_backends()
    try:
        with pytest.raises(ImproperlyConfigured, match="COCITY_OPENSEARCH_URL"):
            get_backend()
        settings.COCITY_OPENSEARCH_URL = fake.url
        settings.COCITY_OPENSEARCH_INDEX = "site-2"
        reset_backends()
        chosen = get_backend()
        assert isinstance(chosen, OpenSearchBackend)
        assert (chosen.name, chosen.alias, chosen.uses_outbox) == ("opensearch", "site-2", True)
        assert PASSWORD not in repr(chosen)
    finally:
        reset_backends()


def test_a_private_certificate_authority_can_be_trusted(settings, tmp_path):
    authority = tmp_path / "ca.pem"
    authority.write_text("-----BEGIN CERTIFICATE-----\n")
    settings.COCITY_OPENSEARCH_CA_CERTS = str(authority)
    backend = OpenSearchBackend(url="https://cocity:pw@search.example.org:9200", alias="cocity")
    (connection,) = backend.client.transport.connection_pool.connections
    assert connection.pool.ca_certs == str(authority)
    assert connection.use_ssl


# With the outbox


@pytest.mark.django_db
def test_the_outbox_keeps_the_changes_until_the_cluster_takes_them(fake, backend):
    from cocity.search.indexer import apply_pending
    from cocity.search.models import Document, DocumentTopic, IndexChange

    shown = Document.objects.create(
        provider="library.item", object_id=1, title="Logements", body="Des logements",
        language="fr", kind="library.item", kind_label="Library item", year=2025,
        url="/library/1/",
    )  # fmt: skip
    DocumentTopic.objects.create(document=shown, slug="housing", label="Housing")
    hidden = Document.objects.create(
        provider="library.item", object_id=2, title="Brouillon", language="fr",
        kind="library.item", is_public=False, url="/library/2/",
    )  # fmt: skip
    gone = hidden.pk + 100
    for pk in (shown.pk, hidden.pk, gone):
        IndexChange.objects.create(document_id=pk)

    fake.reply("HEAD", "/_alias/cocity")
    fake.reply("POST", "/cocity/_bulk", "server_error.json", status=500)
    with pytest.raises(IndexingFailed):
        apply_pending(backend)
    assert IndexChange.objects.count() == 3

    fake.reply("POST", "/cocity/_bulk", bulk_answer)
    assert apply_pending(backend) == 3
    assert not IndexChange.objects.exists()
    lines = fake.made("POST", "/cocity/_bulk")[-1].lines()
    assert lines[0] == {"index": {"_id": str(shown.pk)}}
    assert lines[1]["topic"] == ["housing"]
    # Seen by nobody (not public, no space) or no longer in the table: out of the index.
    assert lines[2:] == [{"delete": {"_id": str(hidden.pk)}}, {"delete": {"_id": str(gone)}}]


@pytest.mark.django_db
def test_a_rebuild_through_the_indexer_switches_and_then_applies_the_changes_written_meanwhile(
    fake, settings
):
    from cocity.search.indexer import rebuild
    from cocity.search.models import Document, IndexChange, Reindex

    settings.COCITY_SEARCH_BACKEND = "opensearch"
    settings.COCITY_OPENSEARCH_URL = fake.url
    settings.COCITY_OPENSEARCH_INDEX = "cocity"
    reset_backends()
    documents = [
        Document.objects.create(
            provider="plans.idea",
            object_id=n,
            title=f"Idée {n}",
            language="fr",
            kind="plans.idea",
            year=2026,
            url=f"/ideas/{n}/",
        )
        for n in range(3)
    ]
    IndexChange.objects.create(document_id=documents[0].pk)  # older than the rebuild: in it
    new = r"/cocity-\d{20}"
    fake.reply("PUT", new, "create_index.json")
    fake.reply("POST", new + "/_bulk", bulk_answer)
    fake.reply("PUT", new + "/_settings", "acknowledged.json")
    fake.reply("POST", new + "/_refresh", "refresh.json")
    fake.reply("GET", "/_alias/cocity", "get_alias.json")
    fake.reply("POST", "/_aliases", "acknowledged.json")
    fake.reply("GET", "/cocity-\\*", "get_indices.json")
    fake.reply("DELETE", new, "acknowledged.json", times=None)
    try:
        run = rebuild(Reindex.objects.create(backend="opensearch", from_objects=False))
    finally:
        reset_backends()
    assert (run.state, run.done, run.total) == (Reindex.State.DONE, 3, 3), run.error
    (bulk,) = fake.made("POST", new + "/_bulk")
    assert [line["index"]["_id"] for line in bulk.lines()[::2]] == [str(d.pk) for d in documents]
    assert len(fake.made("POST", "/_aliases")) == 1
    assert not IndexChange.objects.exists()
