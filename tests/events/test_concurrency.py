"""Seats never overbook: 100 people register at once for 10 places, each through its own
PostgreSQL connection (20 worker threads); the wait list is exactly the order in which the
track lock was obtained; cancelling and promoting at once keeps the count exact."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from cocity.events import services
from cocity.events.models import Registration, Track
from tests.factories import UserFactory, event_with_session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks to prove (it serialises writers)",
    ),
]


def _run_all(calls):  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(20)

    def run(call):  # type: ignore[no-untyped-def]
        try:
            if threading.current_thread().name not in started:
                started.add(threading.current_thread().name)
                barrier.wait(timeout=20)
            return call()
        finally:
            pass

    started: set[str] = set()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(run, calls))
        pool.map(lambda _i: connections.close_all(), range(40))
    return results


def test_100_concurrent_registrations_for_10_places(monkeypatch):
    _event, track = event_with_session(capacity=10)
    people = [UserFactory() for _ in range(100)]
    arrival: list[int] = []
    real_lock = services._lock_track

    def recording_lock(track_id):  # type: ignore[no-untyped-def]
        locked = real_lock(track_id)
        return locked

    monkeypatch.setattr(services, "_lock_track", recording_lock)
    real_clean = services._clean_answers

    def clean_and_record(event, answers):  # type: ignore[no-untyped-def]
        arrival.append(answers["who"])  # under the track lock: this is the arrival order
        return real_clean(event, {})

    monkeypatch.setattr(services, "_clean_answers", clean_and_record)

    def register(person):  # type: ignore[no-untyped-def]
        def call():  # type: ignore[no-untyped-def]
            try:
                return services.registration_create(
                    track=track, user=person, answers={"who": person.pk}
                ).status
            finally:
                connections["default"].close()

        return call

    statuses = _run_all([register(p) for p in people])
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 90
    track.refresh_from_db()
    assert track.confirmed_count == 10
    confirmed = Registration.objects.filter(track=track, status="confirmed")
    assert confirmed.count() == 10
    assert sorted(confirmed.values_list("user_id", flat=True)) == sorted(arrival[:10])
    waiting = list(
        Registration.objects.filter(track=track, status="waitlisted")
        .order_by("created_at", "id")
        .values_list("user_id", flat=True)
    )
    assert waiting == arrival[10:]

    # Now 10 confirmed people cancel at once: exactly the next 10 in line are promoted.
    def cancel(registration):  # type: ignore[no-untyped-def]
        def call():  # type: ignore[no-untyped-def]
            try:
                services.registration_cancel(registration=registration)
                return "ok"
            finally:
                connections["default"].close()

        return call

    leaving = list(confirmed)
    more = list(Registration.objects.filter(track=track, status="waitlisted").order_by("?")[:10])
    _run_all([cancel(r) for r in leaving + more])
    track.refresh_from_db()
    assert track.confirmed_count == 10
    assert Registration.objects.filter(track=track, status="confirmed").count() == 10
    left_waiting = [w for w in waiting if w not in {r.user_id for r in more}]
    now_confirmed = set(
        Registration.objects.filter(track=track, status="confirmed").values_list(
            "user_id", flat=True
        )
    )
    assert now_confirmed == set(left_waiting[:10])
    assert Track.objects.get(pk=track.pk).confirmed_count == 10
    connections.close_all()
