"""What must hold in the database after the production-like run's writes, whatever was killed
when (run by ``benchmarks/production/run.py`` with the server's environment, after the restart):

* seats: no track holds more confirmed people than its capacity, nobody waits while a seat is
  free, the kept count equals the confirmed rows, every registration carries an answer to every
  required question, cancelled rows (and only they) have a cancellation time (one live
  registration per person and event is a constraint of the table);
* pledges: every measure written by the run has its indicator (one transaction writes both);
* what the client was told: each write answered with a redirect (acknowledged) is in the
  database, and was written once: the comment and the measure it named, the live registration
  or support its person asked for last (or their absence after a cancellation or a withdrawal);
  a write cut by the kill is either entirely there or entirely absent.

The kept counters (seats, supports, comments, campaign totals) are recounted by
``cocity check-counters``, which the runner calls separately. Mails are counted, not required:
one is queued after each commit, so a kill between the commit and the queueing loses it.

    .venv/bin/python benchmarks/production/invariants.py fixtures.json ledger.json

Prints a JSON report as its last line: ``{"checks": [{"name", "ok", "detail"}], "facts": {}}``.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))


def main() -> None:
    fixtures = json.loads(Path(sys.argv[1]).read_text())
    ledger: list[dict[str, Any]] = json.loads(Path(sys.argv[2]).read_text())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.production")
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Q

    from cocity.events.models import Registration, Track
    from cocity.participation.models import Comment, Support
    from cocity.plans.models import Idea
    from cocity.pledges.models import Measure

    checks: list[dict[str, Any]] = []

    def check(name: str, failures: list[Any], total: int) -> None:
        checks.append(
            {
                "name": name,
                "ok": not failures,
                "detail": f"{total} checked" + (f"; failing: {failures[:10]}" if failures else ""),
            }
        )

    people = [p["id"] for p in fixtures["people"]]
    events = [fixtures["rush_event"], *fixtures["kill_events"]]
    event_ids = [e["id"] for e in events]
    required = {e["id"]: str(e["question"]) for e in events}

    # Seats -------------------------------------------------------------------------------------
    tracks = Track.objects.filter(event_id__in=event_ids).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )
    seat_failures = []
    for track in tracks:
        if track.capacity is not None and track.confirmed > track.capacity:
            seat_failures.append(f"track {track.pk}: {track.confirmed} > {track.capacity}")
        if track.capacity is not None and track.waiting and track.confirmed < track.capacity:
            seat_failures.append(
                f"track {track.pk}: {track.waiting} waiting, {track.confirmed}/{track.capacity}"
            )
        if track.confirmed_count != track.confirmed:
            seat_failures.append(
                f"track {track.pk}: kept {track.confirmed_count}, rows {track.confirmed}"
            )
    check("seats: capacity, no free seat with a wait list, kept count", seat_failures, len(tracks))

    registrations = list(Registration.objects.filter(event_id__in=event_ids))
    check(
        "registrations: every one has its answers",
        [r.pk for r in registrations if not (r.answers or {}).get(required[r.event_id])],
        len(registrations),
    )
    check(
        "registrations: cancelled exactly when a cancellation time is set",
        [
            r.pk
            for r in registrations
            if (r.status == Registration.Status.CANCELLED) != (r.cancelled_at is not None)
        ],
        len(registrations),
    )

    # Pledges: a measure and its indicator in one transaction --------------------------------------
    written = [op for op in ledger if op["kind"] == "measure"]
    markers = [op["marker"] for op in written]
    measures = list(
        Measure.objects.filter(description__in=markers).annotate(indicator_rows=Count("indicators"))
    )
    check(
        "pledges: every measure has its indicator",
        [m.pk for m in measures if m.indicator_rows != 1],
        len(measures),
    )

    # What the client was told ---------------------------------------------------------------------
    idea_type = ContentType.objects.get_for_model(Idea)
    comments = Counter(
        Comment.objects.filter(
            content_type=idea_type,
            body__in=[op["marker"] for op in ledger if op["kind"] == "comment"],
        ).values_list("body", flat=True)
    )
    measure_rows = Counter(m.description for m in measures)
    durability: list[str] = []
    cut = {"comment": Counter(), "measure": Counter()}  # type: dict[str, Counter[str]]
    for op in ledger:
        if op["kind"] not in ("comment", "measure"):
            continue
        found = (comments if op["kind"] == "comment" else measure_rows)[op["marker"]]
        if found > 1:
            durability.append(f"{op['kind']} {op['marker']} written {found} times")
        if op["outcome"] == "acked" and not found:
            durability.append(f"acknowledged {op['kind']} {op['marker']} missing")
        if op["outcome"] == "interrupted":
            cut[op["kind"]]["committed" if found else "rolled back"] += 1

    live_now = {(r.event_id, r.user_id) for r in registrations if r.status != "cancelled"}
    supports_now = set(
        Support.objects.filter(
            content_type=idea_type, object_id__in=fixtures["kill_ideas"]
        ).values_list("object_id", "user_id")
    )
    last: dict[tuple[str, int, int], dict[str, Any]] = {}
    for op in ledger:
        if op["kind"] in ("register", "cancel", "support", "unsupport"):
            family = "seat" if op["kind"] in ("register", "cancel") else "support"
            last[(family, op["target"], people[op["person"]])] = op
    decided = 0
    for (family, target, user), op in last.items():
        if op["outcome"] != "acked":
            continue  # the last word was cut or refused: either state is consistent
        decided += 1
        present = (target, user) in (live_now if family == "seat" else supports_now)
        wanted = op["kind"] in ("register", "support")
        if present != wanted:
            durability.append(f"{op['kind']} by person {user} on {target}: acknowledged, not kept")
    check(
        "acknowledged writes are in the database, once",
        durability,
        len([op for op in ledger if op["kind"] in ("comment", "measure")]) + decided,
    )

    # Mails: queued with the writes (cocity.core.queue) -------------------------------------
    from django_tasks_db.models import DBTaskResult

    titles = [f"Production-like run: {e['slug']}" for e in events]
    queued = 0
    for row in DBTaskResult.objects.filter(task_path="cocity.core.mail.send_email").values_list(
        "args_kwargs", flat=True
    ):
        subject = (row.get("kwargs") or {}).get("subject", "")
        body = (row.get("kwargs") or {}).get("body", "")
        if any(title in subject or title in body for title in titles):
            queued += 1
    expected = (
        len(registrations)
        + sum(1 for r in registrations if r.status == Registration.Status.CANCELLED)
        + sum(1 for r in registrations if r.promoted_at is not None)
    )
    # Since cocity.core.queue, a mail is written with the transaction of its registration: none
    # may be missing after the kills (1-2 of 200-300 were lost while they waited for the commit).
    check(
        "every registration's mail is queued with it",
        [] if queued >= expected else [f"{expected - queued} missing of {expected}"],
        expected,
    )
    status = Counter(r.status for r in registrations)
    print(
        json.dumps(
            {
                "checks": checks,
                "facts": {
                    "registrations": dict(status),
                    "supports_on_kill_ideas": len(supports_now),
                    "comments_written": sum(comments.values()),
                    "measures_written": len(measures),
                    "interrupted_writes": {k: dict(v) for k, v in cut.items()},
                    "registration_mails_expected": expected,
                    "registration_mails_queued": queued,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
