"""Production-like run: concurrency, ``kill -9`` and the slowest requests, over HTTP against
gunicorn with the production settings, PostgreSQL and Redis (issue 15's figures to keep).

    make bench-production
    .venv/bin/python benchmarks/production/run.py            # builds the seed (about 60 s) once
    .venv/bin/python benchmarks/production/run.py --reuse    # keeps the seed of the last run

Steps: a seed database ``<database>_seed`` (migrated, ``cocity demo-data``, and with
``--scale`` the generated data of benchmarks/generate.py and the events, plans and pledges
generators first), copied into a fresh ``<database>`` for each run; the rows of
``fixtures.py`` (people with a session each in the server's session store, an event with 10 seats,
a process with ideas, pledges); gunicorn (``--workers`` x 2 threads, the harness of
benchmarks/run.py; Redis db 13); then

1. registration rush: 100 people, each with the CSRF token of their own event page, post their
   registration (with the required answer) at the same moment for 10 seats: exactly 10
   confirmed, 90 waiting, the kept count 10; then 5 of the confirmed cancel while 5 more people
   register, at once: the 5 freed seats go to the first 5 on the wait list;
2. support rush: 150 people support one idea at once (20 of them double-click), then 50 withdraw
   (10 twice) while 30 others support: the idea's support count equals its Support rows and
   the expected set of people each time;
3. writes under ``kill -9``: writer threads register and cancel, support and withdraw, comment,
   and add measures to published pledges through the pages; every worker is killed three times
   mid-flight (the master starts new ones), then master and workers at once; a new server
   starts, ``cocity check-counters`` must find no drift and ``invariants.py`` must hold (seats,
   answers, measures with their indicator, every acknowledged write kept once);
4. slowest requests: the cache is emptied, then a crawler follows every link from the home page
   (a few addresses per URL pattern) as an anonymous visitor, as a signed-in organiser (amina)
   and as staff (the admin too), one request at a time: the slowest request per URL pattern
   against 1 s for visitors and 5 s for signed-in people.

Writes ``benchmarks/results/production.{md,json}`` (``production-scale-<scale>.*`` with
``--scale``); exits with status 1 when an invariant fails
(a latency above its bound is reported, not fatal: the machine is shared; a 5xx is fatal).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import run as harness  # noqa: E402  (benchmarks/run.py)

REDIS_DB = 13  # the test suite uses 15, the other benchmarks 14
VISITOR_BOUND_S = 1.0
SIGNED_IN_BOUND_S = 5.0


# --- HTTP, as a browser does it: cookies, CSRF token from the page, no keep-alive ---------------


class Interrupted(Exception):
    """The connection broke before a full answer (a killed worker, a refused connection)."""


@dataclass
class Answer:
    status: int
    body: str
    location: str
    seconds: float


@dataclass
class Person:
    index: int
    cookies: dict[str, str]
    token: str = ""

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    def __init__(self, base: str) -> None:
        bits = urlsplit(base)
        self.host, self.port = bits.hostname or "127.0.0.1", bits.port or 80

    def request(
        self,
        method: str,
        path: str,
        person: Person | None = None,
        form: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Answer:
        headers = {"Connection": "close", "Host": "127.0.0.1"}
        body = None
        if person is not None and person.cookies:
            headers["Cookie"] = person.cookie_header()
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            seconds = time.perf_counter() - started
            set_cookies = response.headers.get_all("Set-Cookie") or []
            location = response.headers.get("Location", "")
        except (OSError, http.client.HTTPException) as error:
            raise Interrupted(repr(error)) from error
        finally:
            connection.close()
        if person is not None:
            for line in set_cookies:
                jar: SimpleCookie = SimpleCookie()
                jar.load(line)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        person.cookies.pop(name, None)
                    else:
                        person.cookies[name] = morsel.value
        text = raw.decode("utf-8", "replace")
        if person is not None and (found := CSRF_INPUT.search(text)):
            person.token = found.group(1)
        return Answer(response.status, text, location, seconds)

    def post(self, path: str, person: Person, form: dict[str, str]) -> Answer:
        return self.request("POST", path, person, {"csrfmiddlewaretoken": person.token, **form})


def all_at_once(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, released together; each result or the exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = call()
        except Exception as error:  # reported in the results
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def in_parallel(calls: Sequence[Callable[[], Any]], threads: int = 16) -> list[Any]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda call: call(), calls))


# --- The database, as the checks read it -------------------------------------------------------


class Database:
    def __init__(self, url: str) -> None:
        self.url = url.replace("postgres://", "postgresql://", 1)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return list(conn.execute(sql, params).fetchall())  # type: ignore[call-overload]

    def one(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]


@dataclass
class Check:
    phase: str
    name: str
    expected: str
    measured: str
    ok: bool


@dataclass
class Report:
    access: AccessLog
    checks: list[Check] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def check(self, phase: str, name: str, expected: Any, measured: Any, ok: bool) -> bool:
        self.checks.append(Check(phase, name, str(expected), str(measured), bool(ok)))
        mark = "ok  " if ok else "FAIL"
        print(f"   [{mark}] {name}: expected {expected}, measured {measured}", flush=True)
        return bool(ok)


class AccessLog:
    """gunicorn's access log, one line a request: method, path, status, and the time the worker
    spent on it (``%(D)s``, in microseconds: from the parsed request to the last byte sent,
    waits on PostgreSQL locks included, the time queued before a worker took it excluded)."""

    FORMAT = "%(m)s %(U)s %(s)s %(D)s"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.write_text("")

    def gunicorn_args(self) -> str:
        return f"--access-logfile={self.path} --access-logformat='{self.FORMAT}'"

    def mark(self) -> int:
        return self.path.stat().st_size

    def worker_ms(self, since: int, method: str = "POST") -> float:
        """The longest a worker spent on one ``method`` request logged after ``since``."""
        time.sleep(0.3)  # the log is written after the response
        with self.path.open() as log:
            log.seek(since)
            lines = [line.split() for line in log]
        times = [int(bits[-1]) for bits in lines if len(bits) == 4 and bits[0] == method]
        return round(max(times, default=0) / 1000, 1)

    def whole_run(self) -> dict[str, Any]:
        """Every request of the run (both servers): how many, the slowest, how many above 1 s
        and 5 s of worker time."""
        rows = [line.split() for line in self.path.read_text().splitlines()]
        rows = [bits for bits in rows if len(bits) == 4 and bits[-1].isdigit()]
        rows.sort(key=lambda bits: -int(bits[-1]))
        return {
            "requests": len(rows),
            "over_1s": sum(1 for bits in rows if int(bits[-1]) > 1_000_000),
            "over_5s": sum(1 for bits in rows if int(bits[-1]) > 5_000_000),
            "slowest": [
                {"method": m, "path": path, "status": status, "ms": round(int(us) / 1000, 1)}
                for m, path, status, us in rows[:5]
            ],
        }


def statuses(results: list[Any]) -> dict[str, int]:
    return dict(
        Counter(
            str(r.status) if isinstance(r, Answer) else type(r).__name__ for r in results
        ).most_common()
    )


def slowest_ms(results: list[Any]) -> float:
    return round(max((r.seconds for r in results if isinstance(r, Answer)), default=0) * 1000, 1)


# --- 1. registration rush ----------------------------------------------------------------------


def registration_rush(
    client: Client, db: Database, fixtures: dict[str, Any], people: list[Person], report: Report
) -> None:
    event = fixtures["rush_event"]
    page = f"/events/{event['slug']}/"
    register = f"/events/{event['slug']}/register/{event['track']}/"
    answer = {f"q{event['question']}": "Quartier des Chartreux"}
    rushers = people[:100]
    pages = in_parallel([partial(client.request, "GET", page, p) for p in rushers])
    ready = sum(1 for a, p in zip(pages, rushers, strict=True) if a.status == 200 and p.token)
    report.check("registration rush", "event page with a CSRF token", 100, ready, ready == 100)
    mark = report.access.mark()
    results = all_at_once([partial(client.post, register, p, answer) for p in rushers])
    worker_ms = report.access.worker_ms(mark)
    seats = event["seats"]
    confirmed, waiting, kept = db.rows(
        "SELECT count(*) FILTER (WHERE r.status = 'confirmed'),"
        " count(*) FILTER (WHERE r.status = 'waitlisted'), t.confirmed_count"
        " FROM events_track t LEFT JOIN events_registration r ON r.track_id = t.id"
        " WHERE t.id = %s GROUP BY t.confirmed_count",
        event["track"],
    )[0]
    report.figures["registration_rush"] = {
        "posts": len(results),
        "statuses": statuses(results),
        "slowest_post_ms": slowest_ms(results),
        "slowest_post_worker_ms": worker_ms,
        "confirmed": confirmed,
        "waitlisted": waiting,
        "kept_count": kept,
    }
    report.check(
        "registration rush",
        f"100 simultaneous registrations for {seats} seats: answers",
        "100 x 302",
        f"{statuses(results)}, the last after {slowest_ms(results)} ms (queued);"
        f" worker time at most {worker_ms} ms",
        statuses(results) == {"302": 100},
    )
    report.check(
        "registration rush",
        "confirmed / wait-listed / kept count",
        f"{seats} / {100 - seats} / {seats}",
        f"{confirmed} / {waiting} / {kept}",
        (confirmed, waiting, kept) == (seats, 100 - seats, seats),
    )

    # Five confirmed people cancel while five newcomers register, all at once.
    by_user = {p["id"]: i for i, p in enumerate(fixtures["people"])}
    confirmed_people = [
        people[by_user[u]]
        for (u,) in db.rows(
            "SELECT user_id FROM events_registration WHERE track_id = %s AND status = 'confirmed'"
            " ORDER BY created_at, id LIMIT 5",
            event["track"],
        )
    ]
    first_waiting = [
        u
        for (u,) in db.rows(
            "SELECT user_id FROM events_registration WHERE track_id = %s AND status = 'waitlisted'"
            " ORDER BY created_at, id LIMIT 5",
            event["track"],
        )
    ]
    cancel_paths = []
    for person in confirmed_people:
        found = re.search(
            r'href="(/events/registrations/cancel/[^"]+/)"',
            client.request("GET", page, person).body,
        )
        if found:
            client.request("GET", found.group(1), person)  # the confirmation page: its token
            cancel_paths.append((person, found.group(1)))
    newcomers = people[100:105]
    for person in newcomers:
        client.request("GET", page, person)
    results = all_at_once(
        [partial(client.post, path, p, {}) for p, path in cancel_paths]
        + [partial(client.post, register, p, answer) for p in newcomers]
    )
    rows = dict(
        db.rows(
            "SELECT status, count(*) FROM events_registration WHERE track_id = %s GROUP BY status",
            event["track"],
        )
    )
    kept = db.one("SELECT confirmed_count FROM events_track WHERE id = %s", event["track"])
    promoted = {
        u
        for (u,) in db.rows(
            "SELECT user_id FROM events_registration"
            " WHERE track_id = %s AND promoted_at IS NOT NULL",
            event["track"],
        )
    }
    report.figures["cancel_and_promote"] = {
        "statuses": statuses(results),
        "rows": rows,
        "kept_count": kept,
        "promoted": len(promoted),
    }
    report.check(
        "registration rush",
        "5 cancel while 5 register: confirmed / waiting / cancelled / kept",
        f"{seats} / {100 - seats} / 5 / {seats}",
        f"{rows.get('confirmed', 0)} / {rows.get('waitlisted', 0)} / {rows.get('cancelled', 0)}"
        f" / {kept}",
        len(cancel_paths) == 5
        and statuses(results) == {"302": 10}
        and (rows.get("confirmed"), rows.get("waitlisted"), rows.get("cancelled"), kept)
        == (seats, 100 - seats, 5, seats),
    )
    report.check(
        "registration rush",
        "freed seats go to the first five on the wait list",
        "the first 5 waiting",
        f"{len(promoted & set(first_waiting))} of them",
        promoted == set(first_waiting),
    )


# --- 2. support rush ---------------------------------------------------------------------------


def support_rush(
    client: Client, db: Database, fixtures: dict[str, Any], people: list[Person], report: Report
) -> None:
    idea = fixtures["rush_idea"]
    page = f"/processes/{fixtures['process']}/ideas/{idea}/"
    support = page + "support/"
    ids = [p["id"] for p in fixtures["people"]]

    def state() -> tuple[int, int, set[int]]:
        rows = {
            u
            for (u,) in db.rows(
                "SELECT s.user_id FROM participation_support s JOIN django_content_type c"
                " ON c.id = s.content_type_id WHERE c.app_label = 'plans' AND c.model = 'idea'"
                " AND s.object_id = %s",
                idea,
            )
        }
        kept = db.one("SELECT support_count FROM plans_idea WHERE id = %s", idea)
        return len(rows), kept, rows

    supporters = people[100:250]
    in_parallel([partial(client.request, "GET", page, p) for p in people[100:280]])
    mark = report.access.mark()
    first = all_at_once(
        [partial(client.post, support, p, {"support": "1"}) for p in supporters]
        + [partial(client.post, support, p, {"support": "1"}) for p in supporters[:20]]
    )
    first_worker_ms = report.access.worker_ms(mark)
    count, kept, rows = state()
    expected = {ids[p.index] for p in supporters}
    report.check(
        "support rush",
        "150 support at once (20 twice): rows / kept count",
        "150 / 150, the 150 people",
        f"{count} / {kept}" + ("" if rows == expected else ", another set of people"),
        (count, kept) == (150, 150) and rows == expected,
    )
    leaving, arriving = supporters[:50], people[250:280]
    mark = report.access.mark()
    second = all_at_once(
        [partial(client.post, support, p, {"support": "0"}) for p in leaving]
        + [partial(client.post, support, p, {"support": "0"}) for p in leaving[:10]]
        + [partial(client.post, support, p, {"support": "1"}) for p in arriving]
    )
    second_worker_ms = report.access.worker_ms(mark)
    count, kept, rows = state()
    expected = (expected - {ids[p.index] for p in leaving}) | {ids[p.index] for p in arriving}
    report.check(
        "support rush",
        "50 withdraw (10 twice) while 30 support: rows / kept count",
        "130 / 130, the expected people",
        f"{count} / {kept}" + ("" if rows == expected else ", another set of people"),
        (count, kept) == (130, 130) and rows == expected,
    )
    report.check(
        "support rush",
        "every request answered",
        "302 each",
        f"{statuses(first)}, {statuses(second)}; the last after {slowest_ms(first)} ms,"
        f" {slowest_ms(second)} ms (queued); worker time at most {first_worker_ms} ms,"
        f" {second_worker_ms} ms",
        set(statuses(first)) == {"302"} and set(statuses(second)) == {"302"},
    )
    report.figures["support_rush"] = {
        "first": {
            "posts": len(first),
            "statuses": statuses(first),
            "slowest_ms": slowest_ms(first),
            "slowest_worker_ms": first_worker_ms,
        },
        "second": {
            "posts": len(second),
            "statuses": statuses(second),
            "slowest_ms": slowest_ms(second),
            "slowest_worker_ms": second_worker_ms,
        },
        "support_count": kept,
        "support_rows": count,
    }


# --- 3. writes under kill -9 -------------------------------------------------------------------


class Writers:
    """Threads writing through the pages as people do; every POST goes in the ledger with its
    outcome: acked (a redirect), refused:<status>, or interrupted (the connection broke)."""

    def __init__(
        self, client: Client, fixtures: dict[str, Any], people: list[Person], threads: int
    ) -> None:
        self.client, self.fixtures = client, fixtures
        self.writers = people[fixtures["writers_from"] :]
        self.owners = {p["owner"]: p["id"] for p in fixtures["pledges"]}
        self.threads = threads
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.ledger: list[dict[str, Any]] = []
        self.in_flight = 0
        self.gets_cut = 0
        self.errors: list[str] = []
        self.run_id = datetime.now(UTC).strftime("%H%M%S")
        self.sequence = 0

    def _post(
        self,
        kind: str,
        person: Person,
        target: int,
        path: str,
        form: dict[str, str],
        marker: str = "",
    ) -> None:
        entry = {"kind": kind, "person": person.index, "target": target, "marker": marker}
        with self.lock:
            self.in_flight += 1
        try:
            answer = self.client.post(path, person, form)
            entry["outcome"] = "acked" if answer.status == 302 else f"refused:{answer.status}"
        except Interrupted:
            entry["outcome"] = "interrupted"
        finally:
            with self.lock:
                self.in_flight -= 1
                self.ledger.append(entry)

    def _marker(self, kind: str) -> str:
        with self.lock:
            self.sequence += 1
            return f"kill-{self.run_id}-{kind}-{self.sequence}"

    def _seat(self, person: Person, rng: random.Random) -> None:
        event = rng.choice(self.fixtures["kill_events"])
        page = f"/events/{event['slug']}/"
        body = self.client.request("GET", page, person).body
        cancel = re.search(r'href="(/events/registrations/cancel/[^"]+/)"', body)
        if cancel:
            self.client.request("GET", cancel.group(1), person)
            self._post("cancel", person, event["id"], cancel.group(1), {})
        else:
            self._post(
                "register",
                person,
                event["id"],
                f"/events/{event['slug']}/register/{event['track']}/",
                {f"q{event['question']}": f"Answer of {person.index}"},
            )

    def _idea(self, person: Person, rng: random.Random) -> None:
        idea = rng.choice(self.fixtures["kill_ideas"])
        page = f"/processes/{self.fixtures['process']}/ideas/{idea}/"
        body = self.client.request("GET", page, person).body
        if rng.random() < 0.3:
            marker = self._marker("comment")
            form = {"body": marker, "stance": "neutral"}
            self._post("comment", person, idea, page + "comment/", form, marker)
            return
        withdraw = 'name="support" value="0"' in body
        self._post(
            "unsupport" if withdraw else "support",
            person,
            idea,
            page + "support/",
            {"support": "0" if withdraw else "1"},
        )

    def _measure(self, person: Person, pledge: int) -> None:
        path = f"/pledges/p/{pledge}/measures/new/"
        self.client.request("GET", path, person)
        marker = self._marker("measure")
        today = date.today()
        form = {
            "description": marker,
            "amount": "2500",
            "currency": "EUR",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=90)).isoformat(),
            "indicator_name": "People reached",
            "indicator_unit": "people",
            "indicator_baseline": "0",
            "indicator_target": "40",
        }
        self._post("measure", person, pledge, path, form, marker)

    def _loop(self, mine: list[Person], seed: int) -> None:
        rng = random.Random(seed)
        while not self.stop.is_set():
            person = rng.choice(mine)
            try:
                pledge = self.owners.get(person.index)
                if pledge is not None and rng.random() < 0.6:
                    self._measure(person, pledge)
                elif rng.random() < 0.5:
                    self._seat(person, rng)
                else:
                    self._idea(person, rng)
            except Interrupted:
                with self.lock:
                    self.gets_cut += 1
                time.sleep(0.05)
            except Exception as error:  # a bug of this script: shown, and the thread goes on
                with self.lock:
                    self.errors.append(repr(error))
                time.sleep(0.05)

    @contextmanager
    def running(self) -> Iterator[None]:
        threads = [
            threading.Thread(target=self._loop, args=(self.writers[t :: self.threads], t))
            for t in range(self.threads)
        ]
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            self.stop.set()
            for thread in threads:
                thread.join(timeout=90)


def open_writes(conn: Any, name: str) -> int:
    """Transactions of the app that have written (or locked a row for writing) and not ended."""
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL"
        " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        (name,),
    ).fetchone()
    return int(row[0])


def wait_for_new_workers(server: subprocess.Popen[bytes], killed: list[int], want: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 60:
        fresh = [pid for pid in harness.worker_pids(server.pid) if pid not in killed]
        if len(fresh) >= want:
            return round(time.monotonic() - started, 2)
        time.sleep(0.05)
    raise SystemExit("gunicorn did not start new workers within 60 s of the kill")


def kill_rounds(
    client: Client,
    server: subprocess.Popen[bytes],
    writers: Writers,
    db: Database,
    name: str,
    args: argparse.Namespace,
    rng: random.Random,
) -> list[dict[str, Any]]:
    import psycopg

    rounds = []
    watch = psycopg.connect(db.url, autocommit=True)
    time.sleep(3)  # writes under way
    for number in range(args.kill_rounds + 1):
        time.sleep(rng.uniform(1.5, 3.5))
        whole = number == args.kill_rounds  # the last round: master and workers together
        # Strike while a write transaction is open in PostgreSQL (or after 3 s without one).
        watching = time.monotonic()
        while (transactions := open_writes(watch, name)) == 0:
            if time.monotonic() - watching > 3:
                break
        in_flight = writers.in_flight
        pids = harness.worker_pids(server.pid)
        struck = time.monotonic()
        if whole:
            os.kill(server.pid, signal.SIGKILL)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        row = {
            "round": number + 1,
            "killed": ("master and " if whole else "") + f"{len(pids)} workers",
            "posts_in_flight": in_flight,
            "open_write_transactions": transactions,
            "at_write": len(writers.ledger),
        }
        if not whole:
            row["new_workers_after_s"] = wait_for_new_workers(server, pids, args.workers)
            client.request("GET", "/healthz", timeout=60)  # queued behind the writers' requests
            row["serving_again_after_s"] = f"{time.monotonic() - struck:.1f} s"
        else:
            server.wait(timeout=10)
        rounds.append(row)
        print(f"   kill {json.dumps(row)}", flush=True)
    watch.close()
    return rounds


# --- 4. the slowest requests -------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        wanted = tag == "a" or (tag == "link" and values.get("rel") == "alternate")
        if wanted and values.get("href"):
            self.found.append(str(values["href"]))


SKIP = re.compile(r"^/(static/|accounts/logout|admin/logout|i18n/|timezone/)|/logout/?$")


def route_of(path: str) -> str | None:
    """The URL pattern an address resolves to ("events/<slug:slug>/"), or None."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def crawl(
    client: Client, viewer: str, person: Person | None, starts: list[str], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Breadth first from ``starts``, ``--per-route`` addresses per URL pattern (admin: 2), one
    request at a time (the time measured is the time a worker was held, plus the loopback)."""
    queue: deque[str] = deque(starts)
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    visited: list[dict[str, Any]] = []
    deadline = time.monotonic() + args.survey_seconds
    while queue and len(visited) < args.survey_pages and time.monotonic() < deadline:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        route = route_of(path)
        cap = 2 if path.startswith("/admin/") else args.per_route
        if route is None or per_route[route] >= cap:
            continue
        per_route[route] += 1
        try:
            answer = client.request("GET", url, person)
        except Interrupted as error:
            visited.append(
                {"url": url, "route": route, "status": "cut", "ms": 0, "error": str(error)}
            )
            continue
        visited.append(
            {
                "url": url,
                "route": route,
                "status": answer.status,
                "ms": round(answer.seconds * 1000, 1),
            }
        )
        targets = [answer.location] if answer.location else []
        if answer.status == 200 and "<html" in answer.body[:2000].lower():
            parser = Links()
            parser.feed(answer.body)
            targets += parser.found
        for target in targets:
            bits = urlsplit(urljoin(url, target))
            if bits.netloc not in ("", "127.0.0.1", f"127.0.0.1:{client.port}"):
                continue
            if not bits.path.startswith("/") or SKIP.search(bits.path):
                continue
            queue.append(bits.path + (f"?{bits.query}" if bits.query else ""))
    return visited


def survey_summary(viewer: str, visited: list[dict[str, Any]], bound_s: float) -> dict[str, Any]:
    by_route: dict[str, dict[str, Any]] = {}
    for row in visited:
        kept = by_route.get(row["route"])
        if kept is None or row["ms"] > kept["ms"]:
            by_route[row["route"]] = row
    times = sorted(row["ms"] for row in visited)
    slowest = sorted(by_route.values(), key=lambda r: -r["ms"])
    return {
        "viewer": viewer,
        "requests": len(visited),
        "routes": len(by_route),
        "bound_ms": bound_s * 1000,
        "max_ms": times[-1] if times else 0,
        "p95_ms": times[int(len(times) * 0.95)] if times else 0,
        "median_ms": times[len(times) // 2] if times else 0,
        "over_bound": [r for r in visited if r["ms"] > bound_s * 1000],
        "server_errors": [r for r in visited if r["status"] == "cut" or int(r["status"]) >= 500],
        "statuses": dict(Counter(str(r["status"]) for r in visited)),
        "slowest_routes": slowest[:10],
        "by_route": {route: row["ms"] for route, row in sorted(by_route.items())},
    }


def flush_cache(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


# --- the run -----------------------------------------------------------------------------------


def shell(
    env: dict[str, str], *command: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        list(command), env=env, cwd=harness.REPO, text=True, capture_output=True, check=False
    )
    if check and done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        raise SystemExit(f"{' '.join(command[:3])} failed with status {done.returncode}")
    return done


def check_counters(env: dict[str, str]) -> tuple[bool, str]:
    """``cocity check-counters``: (no drift, what it says: the drifted counters if any)."""
    done = shell(env, str(harness.BIN / "cocity"), "check-counters", check=False)
    lines = done.stdout.strip().splitlines()
    drifted = [line for line in lines if line.endswith(" drift")]
    return done.returncode == 0, "; ".join(drifted) or (lines[-1] if lines else done.stderr[-200:])


def build_seed(admin: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    seed = f"{args.database}_seed"
    (harness.RESULTS / f"data-{seed}.json").unlink(missing_ok=True)  # no --reuse of a half seed
    print(f"== seed database {seed}: migrate, {'generate, ' if args.scale else ''}demo data")
    harness.pg(admin, f'DROP DATABASE IF EXISTS "{seed}" WITH (FORCE)')
    harness.pg(admin, f'CREATE DATABASE "{seed}"')
    harness.sh(str(harness.BIN / "cocity"), "migrate", "--noinput", "--skip-checks", "-v0", env=env)
    generated: dict[str, Any] = {}
    if args.scale:
        for script in ("generate.py", "events/generate.py", "plans/generate.py",
                       "pledges/generate.py"):  # fmt: skip
            out = shell(env, str(harness.BIN / "python"), str(HERE.parent / script),
                        f"--scale={args.scale}").stdout  # fmt: skip
            last = out.strip().splitlines()[-1][:300] if out.strip() else ""
            generated[script] = re.sub(r"feed token \S+", "feed token <hidden>", last)
    demo = shell(env, str(harness.BIN / "cocity"), "demo-data").stdout
    info = {
        "scale": args.scale,
        "generated": generated,
        "demo": demo.strip().splitlines()[0] if demo.strip() else "",
        "seconds": round(time.monotonic() - started, 1),
    }
    (harness.RESULTS / f"data-{seed}.json").write_text(json.dumps(info, indent=2))
    return info


def markdown(report: Report, setup: dict[str, Any]) -> str:
    lines = [
        f"# cocity production-like run, {setup['finished']}",
        "",
        f"Server: gunicorn, {setup['workers']} workers x {setup['threads']} threads (gthread), "
        f"production settings, PostgreSQL, Redis db {REDIS_DB}; {os.cpu_count()} cores. "
        f"Data: {setup['data']}. Load average before {setup['load_before']}, "
        f"after {setup['load_after']}; {setup['seconds']} s in all.",
        "",
        "| phase | check | expected | measured | |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in report.checks:
        lines.append(
            f"| {c.phase} | {c.name} | {c.expected} | {c.measured} | "
            f"{'ok' if c.ok else '**FAIL**'} |"
        )
    kill = report.figures.get("kill", {})
    if kill:
        lines += [
            "",
            f"Writes under kill -9: {kill['posts']} POSTs by {kill['threads']} threads in "
            f"{kill['seconds']} s ({json.dumps(kill['outcomes'])}; worker time at most "
            f"{kill['slowest_post_worker_ms']} ms); cut while writing: "
            f"{json.dumps(kill['facts'].get('interrupted_writes', {}))}. Registration mails "
            f"queued: {kill['facts']['registration_mails_queued']} of "
            f"{kill['facts']['registration_mails_expected']} (each is written with its "
            "registration's transaction: cocity.core.queue).",
            "",
            "| round | killed | POSTs in flight | write transactions open | answers again after |",
            "| ---: | --- | ---: | ---: | ---: |",
        ]
        for row in kill["rounds"]:
            lines.append(
                f"| {row['round']} | {row['killed']} | {row['posts_in_flight']} | "
                f"{row['open_write_transactions']} | "
                f"{row.get('serving_again_after_s', 'after the restart')} |"
            )
    survey = report.figures.get("survey", [])
    if survey:
        lines += [
            "",
            "Slowest requests, one at a time, caches emptied before each viewer:",
            "",
            "| viewer | requests | URL patterns | median ms | p95 ms | max ms | worker max ms |"
            " bound | over |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for s in survey:
            lines.append(
                f"| {s['viewer']} | {s['requests']} | {s['routes']} | {s['median_ms']} | "
                f"{s['p95_ms']} | {s['max_ms']} | {s['worker_max_ms']} | "
                f"{s['bound_ms'] / 1000:g} s | {len(s['over_bound'])} |"
            )
        for s in survey:
            lines += ["", f"Slowest URL patterns, {s['viewer']}:", ""]
            lines += [
                f"* {r['ms']} ms `{r['url']}` ({r['route']}, {r['status']})"
                for r in s["slowest_routes"][:5]
            ]
    whole = report.figures.get("worker_time")
    if whole:
        lines += [
            "",
            f"Worker time over the whole run (gunicorn's access log, {whole['requests']} requests,"
            " the rushes' and the writers' concurrent requests included): "
            f"{whole['over_1s']} above 1 s, {whole['over_5s']} above 5 s; the slowest: "
            + ", ".join(
                f"{r['ms']} ms {r['method']} `{r['path'][:60]}`" for r in whole["slowest"][:3]
            )
            + ".",
        ]
    failed = [c for c in report.checks if not c.ok]
    lines += ["", f"{len(failed)} check(s) failed." if failed else "Every check holds.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_concurrency")
    parser.add_argument("--reuse", action="store_true", help="keep the seed of the last run")
    parser.add_argument(
        "--scale", type=float, default=0.0, help="add generated data to the seed (0: demo only)"
    )
    parser.add_argument("--workers", type=int, default=harness.DEFAULT_WORKERS)
    parser.add_argument("--worker-threads", type=int, default=harness.DEFAULT_WORKER_THREADS)
    parser.add_argument("--writers", type=int, default=16, help="writer threads under kill -9")
    parser.add_argument("--kill-rounds", type=int, default=3, help="worker kills before the last")
    parser.add_argument("--survey-pages", type=int, default=500, help="per viewer")
    parser.add_argument("--survey-seconds", type=int, default=60, help="per viewer")
    parser.add_argument("--per-route", type=int, default=3, help="addresses per URL pattern")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--skip", default="", help="phases to skip: rush,support,kill,survey")
    args = parser.parse_args()
    args.connections = 100  # the rushes' simultaneous connections (gunicorn's per-worker cap)
    skip = set(filter(None, args.skip.split(",")))
    rng = random.Random(args.seed)
    load_before = [round(x, 2) for x in os.getloadavg()]
    run_started = time.monotonic()
    admin, _ = harness.database_urls(os.environ.get("DATABASE_URL", ""), args.database)
    _, seed_url = harness.database_urls(os.environ.get("DATABASE_URL", ""), f"{args.database}_seed")
    _, database_url = harness.database_urls(os.environ.get("DATABASE_URL", ""), args.database)
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    work = Path(tempfile.mkdtemp(prefix="cocity-bench-production-"))
    harness.RESULTS.mkdir(exist_ok=True)
    access = AccessLog(harness.RESULTS / "gunicorn-production-access.log")
    env = harness.app_env(
        database_url, work, REDIS_URL=redis_url, GUNICORN_CMD_ARGS=access.gunicorn_args()
    )

    seed_info_path = harness.RESULTS / f"data-{args.database}_seed.json"
    seed_exists = bool(
        harness_rows(admin, "SELECT 1 FROM pg_database WHERE datname = %s", f"{args.database}_seed")
    )
    if args.reuse and seed_exists and seed_info_path.exists():
        data = json.loads(seed_info_path.read_text())
        print(f"== seed database {args.database}_seed kept ({data['demo'][:60]}...)")
    else:
        data = build_seed(admin, {**env, "DATABASE_URL": seed_url}, args)
    print(f"== database {args.database}: a copy of the seed, migrated, the run's rows")
    harness.pg(admin, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    harness.pg(admin, f'CREATE DATABASE "{args.database}" TEMPLATE "{args.database}_seed"')
    harness.sh(str(harness.BIN / "cocity"), "migrate", "--noinput", "--skip-checks", "-v0", env=env)
    flush_cache(redis_url)
    out = shell(env, str(harness.BIN / "python"), str(HERE / "fixtures.py")).stdout
    fixtures = json.loads(out.strip().splitlines()[-1])
    cookie, csrf_cookie = fixtures["session_cookie"], fixtures["csrf_cookie"]
    people = [Person(i, {cookie: p["session"]}) for i, p in enumerate(fixtures["people"])]
    db = Database(database_url)
    report = Report(access)
    report.figures["csrf_cookie"] = csrf_cookie
    # The drift after the kill must be the kill's: the data the run starts from has none.
    clean, said = check_counters(env)
    report.check("setup", "cocity check-counters before the run", "no drift", said, clean)

    with harness.serving(env, args, "gunicorn-production.log", migrate=False) as (base, server):
        client = Client(base)
        if "rush" not in skip:
            print("== 1. registration rush")
            registration_rush(client, db, fixtures, people, report)
        if "support" not in skip:
            print("== 2. support rush")
            support_rush(client, db, fixtures, people, report)
        if "kill" not in skip:
            print(f"== 3. writes under kill -9 ({args.writers} writer threads)")
            writers = Writers(client, fixtures, people, args.writers)
            started, mark = time.monotonic(), access.mark()
            with writers.running():
                rounds = kill_rounds(client, server, writers, db, args.database, args, rng)
            seconds = round(time.monotonic() - started, 1)
            kill_worker_ms = access.worker_ms(mark)

    # A new server on the same database: after the kill, the restart the checks follow.
    env = {**env, "COCITY_DATA_DIR": str(Path(tempfile.mkdtemp(prefix="cocity-bench-production-")))}
    env["STATIC_ROOT"] = str(Path(env["COCITY_DATA_DIR"]) / "static")
    with harness.serving(env, args, "gunicorn-production-2.log", migrate=False) as (base, server):
        client = Client(base)
        if "kill" not in skip:
            print("== 3. after the restart: counters and invariants")
            ledger_path = work.parent / f"{work.name}-ledger.json"
            fixtures_path = work.parent / f"{work.name}-fixtures.json"
            ledger_path.write_text(json.dumps(writers.ledger))
            fixtures_path.write_text(json.dumps(fixtures))
            clean, said = check_counters(env)
            report.check(
                "kill -9", "cocity check-counters after the restart", "no drift", said, clean
            )
            out = shell(
                env,
                str(harness.BIN / "python"),
                str(HERE / "invariants.py"),
                str(fixtures_path),
                str(ledger_path),
            ).stdout
            found = json.loads(out.strip().splitlines()[-1])
            for item in found["checks"]:
                report.check("kill -9", item["name"], "holds", item["detail"], item["ok"])
            report.check(
                "kill -9",
                "the writers ran without a script error",
                "none",
                writers.errors[:3] or "none",
                not writers.errors,
            )
            outcomes = Counter(op["outcome"] for op in writers.ledger)
            written = Counter(op["kind"] for op in writers.ledger)
            after = client.request("GET", "/")
            newcomer = people[fixtures["writers_from"] - 1]
            event = fixtures["kill_events"][1]
            client.request("GET", f"/events/{event['slug']}/", newcomer)
            write = client.post(
                f"/events/{event['slug']}/register/{event['track']}/",
                newcomer,
                {f"q{event['question']}": "After the restart"},
            )
            report.check(
                "kill -9",
                "the restarted server reads and writes",
                "200, 302",
                f"{after.status}, {write.status}",
                (after.status, write.status) == (200, 302),
            )
            report.figures["kill"] = {
                "threads": args.writers,
                "seconds": seconds,
                "posts": len(writers.ledger),
                "by_kind": dict(written),
                "outcomes": dict(outcomes),
                "gets_cut": writers.gets_cut,
                "slowest_post_worker_ms": kill_worker_ms,
                "rounds": rounds,
                "facts": found["facts"],
                "counters": said,
            }
            mails = found["facts"]
            print(f"   facts: {json.dumps(mails)}")
        if "survey" not in skip:
            print("== 4. slowest requests (one at a time, caches emptied before each viewer)")
            surveys = []
            viewers = [
                ("anonymous", None, VISITOR_BOUND_S, ["/"]),
                ("signed in (amina, organiser)", "amina@demo.cocity.localhost", SIGNED_IN_BOUND_S,
                 ["/", "/events/me/"]),
                ("signed in (staff, admin)", "admin@demo.cocity.localhost", SIGNED_IN_BOUND_S,
                 ["/admin/", "/"]),
            ]  # fmt: skip
            os.environ.update(env)  # resolve() needs the URL configuration
            import django

            django.setup()
            for viewer, email, bound, starts in viewers:
                flush_cache(redis_url)
                person = None
                if email:
                    sessions = json.loads(
                        shell(
                            env,
                            str(harness.BIN / "python"),
                            str(HERE / "fixtures.py"),
                            f"--sessions-for={email}",
                        )
                        .stdout.strip()
                        .splitlines()[-1]
                    )
                    person = Person(-1, {cookie: sessions[email]})
                started, mark = time.monotonic(), access.mark()
                visited = crawl(client, viewer, person, starts, args)
                summary = survey_summary(viewer, visited, bound)
                summary["seconds"] = round(time.monotonic() - started, 1)
                summary["worker_max_ms"] = access.worker_ms(mark, "GET")
                surveys.append(summary)
                worst = summary["slowest_routes"][0] if summary["slowest_routes"] else {}
                print(
                    f"   {viewer:30} {summary['requests']:4} requests"
                    f" {summary['routes']:4} patterns"
                    f"  median {summary['median_ms']} ms  p95 {summary['p95_ms']} ms"
                    f"  max {summary['max_ms']} ms ({worst.get('url', '-')})",
                    flush=True,
                )
                report.check(
                    "slowest requests",
                    f"{viewer}: slowest request",
                    f"<= {bound:g} s",
                    f"{summary['max_ms']} ms ({worst.get('url', '-')})",
                    summary["max_ms"] <= bound * 1000,  # reported, not fatal: a shared machine
                )
                report.check(
                    "slowest requests",
                    f"{viewer}: no server error on any page",
                    "none",
                    [f"{r['status']} {r['url']}" for r in summary["server_errors"]][:5] or "none",
                    not summary["server_errors"],
                )
            report.figures["survey"] = surveys

    report.figures["worker_time"] = access.whole_run()
    setup = {
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "workers": args.workers,
        "threads": args.worker_threads,
        "data": "`cocity demo-data`"
        + (
            f" on the generated data of scale {args.scale:g} (benchmarks/generate.py, events,"
            " plans, pledges)"
            if args.scale
            else ""
        ),
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "seconds": round(time.monotonic() - run_started),
    }
    text = markdown(report, setup)
    # A latency above its bound is reported, not fatal (a shared machine's timing); a failed
    # invariant or a server error is.
    fatal = [c for c in report.checks if not c.ok and "slowest request" not in c.name]
    for leftover in (
        work.parent / f"{work.name}-ledger.json",
        work.parent / f"{work.name}-fixtures.json",
    ):
        if fatal and leftover.exists():
            print(f"kept for a look: {leftover}")
        else:
            leftover.unlink(missing_ok=True)
    name = f"production-scale-{args.scale:g}" if args.scale else "production"
    (harness.RESULTS / f"{name}.md").write_text(text)
    (harness.RESULTS / f"{name}.json").write_text(
        json.dumps(
            {
                "setup": setup,
                "seed": data,
                "checks": [c.__dict__ for c in report.checks],
                "figures": report.figures,
            },
            indent=2,
            default=str,
        )
    )
    print()
    print(text)
    sys.exit(1 if fatal else 0)


def harness_rows(admin: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return Database(admin).rows(sql, *params)


if __name__ == "__main__":
    main()
