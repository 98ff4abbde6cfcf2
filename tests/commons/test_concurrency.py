"""Two officers deciding on the same pact at the same moment: exactly one decision is recorded
and the history stays consistent. Proven on PostgreSQL with two real connections in two threads;
a pause is injected *after* each side has read the pact, so without the row lock (and the state
check inside it) both would see "under review" and both would write."""

import itertools
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cocity.commons import services
from cocity.commons.models import Pact, PactHistoryEntry
from tests.commons import scenario

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks to prove (it serialises writers)",
    ),
]


def _race(monkeypatch, first, second):  # type: ignore[no-untyped-def]
    real = services._locked

    def slow_locked(pact):  # type: ignore[no-untyped-def]
        row = real(pact)
        time.sleep(0.3)  # both threads have read the state by now, unless one holds the lock
        return row

    monkeypatch.setattr(services, "_locked", slow_locked)
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def run(index: int, call) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=5)
            call()
            outcomes[index] = "ok"
        except ValidationError as error:
            outcomes[index] = error
        except Exception as error:
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return outcomes


def test_approve_and_reject_at_the_same_moment_record_one_decision(monkeypatch):  # type: ignore[no-untyped-def]
    w = scenario.world()
    pact = scenario.under_review(w)
    outcomes = _race(
        monkeypatch,
        lambda: services.pact_transition(
            pact=Pact.objects.get(pk=pact.pk), action="approve", actor=w.officer, reason="Yes"
        ),
        lambda: services.pact_transition(
            pact=Pact.objects.get(pk=pact.pk), action="reject", actor=w.officer2, reason="No"
        ),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["ValidationError", "str"], outcomes
    pact.refresh_from_db()
    events = list(PactHistoryEntry.objects.filter(pact=pact).order_by("id"))
    decisions = [e for e in events if e.action in ("approve", "reject")]
    assert len(decisions) == 1
    assert decisions[0].to_state == pact.state
    for before, after in itertools.pairwise(events):
        assert before.to_state == after.from_state


def test_the_last_two_signatures_at_once_make_one_signed_entry(monkeypatch):  # type: ignore[no-untyped-def]
    w = scenario.world()
    pact = scenario.signable(w)
    city, proponent = pact.parties.order_by("role")
    outcomes = _race(
        monkeypatch,
        lambda: services.pact_sign(pact=pact, party=city, actor=w.officer),
        lambda: services.pact_sign(pact=pact, party=proponent, actor=w.resident),
    )
    assert outcomes == ["ok", "ok"]
    pact.refresh_from_db()
    assert pact.state == Pact.State.SIGNED
    assert PactHistoryEntry.objects.filter(pact=pact, action="sign").count() == 1
