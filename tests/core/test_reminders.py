"""The reminders ledger (``cocity.core.reminders``): a reminder recorded once is never sent again,
whoever runs it and however many processes run at the same moment; the three periodic commands
(events, pledges, commons) go through it, and the data migrations carry the old ledgers over."""

import datetime as dt
import io
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cocity.commons.models import PactHistoryEntry
from cocity.core.models import SentReminder
from cocity.core.reminders import mark_sent, send_once, sent_keys, unsent
from cocity.events import services as event_services
from cocity.pledges.models import Pledge
from tests.commons import scenario
from tests.factories import (
    OrganisationMembershipFactory,
    UserFactory,
    event_with_session,
    pledge_with_measures,
)

pytestmark = pytest.mark.django_db


def test_send_once_sends_the_first_time_only():
    person = UserFactory()
    calls = []
    send = lambda: calls.append(1) or 3  # noqa: E731
    assert send_once(target=person, key="hello", send=send) is True
    assert send_once(target=person, key="hello", send=send) is False
    assert calls == [1]
    row = SentReminder.objects.get()
    assert (row.target, row.key, row.recipients) == (person, "hello", 3)
    # Another key or another target is another reminder.
    assert send_once(target=person, key="again", send=send) is True
    assert send_once(target=UserFactory(), key="hello", send=send) is True
    assert len(calls) == 3


def test_several_keys_at_once_send_one_reminder_and_record_them_all():
    person = UserFactory()
    calls = []
    assert send_once(target=person, key=["a", "b"], send=lambda: calls.append(1)) is True
    assert send_once(target=person, key=["b", "c"], send=lambda: calls.append(2)) is True
    assert send_once(target=person, key=["a", "c"], send=lambda: calls.append(3)) is False
    assert calls == [1, 2]
    assert sent_keys(type(person), [person.pk]) == {(person.pk, k) for k in "abc"}


def test_a_failure_while_sending_records_nothing():
    person = UserFactory()

    def broken() -> int:
        raise RuntimeError("mail server down")

    with pytest.raises(RuntimeError):
        send_once(target=person, key="k", send=broken)
    assert not SentReminder.objects.exists()
    assert send_once(target=person, key="k", send=lambda: 1) is True


def test_unsent_and_mark_sent():
    first, second = UserFactory(), UserFactory()
    mark_sent(target=first, key="k", sent_at=timezone.now() - timedelta(days=3))
    mark_sent(target=first, key="k")  # idempotent
    model = type(first)
    assert list(unsent(model.objects.filter(pk__in=[first.pk, second.pk]), "k")) == [second]
    assert send_once(target=first, key="k", send=lambda: 1) is False


def test_the_three_commands_never_send_twice(mailoutbox, django_capture_on_commit_callbacks):
    start = timezone.now() + timedelta(minutes=30)
    _event, track = event_with_session(start=start)
    event_services.registration_create(track=track, user=UserFactory())
    pledge = pledge_with_measures()
    Pledge.objects.filter(pk=pledge.pk).update(report_due_on=dt.date.today())
    OrganisationMembershipFactory(organisation=pledge.organisation, role="editor")
    w = scenario.world()
    pact = scenario.submitted(w)
    PactHistoryEntry.objects.filter(pk=pact.history.order_by("-id").first().pk).update(
        due_on=dt.date.today()
    )
    mailoutbox.clear()
    counts = []
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            for command in ("event_reminders", "pledge_reminders", "commons_reminders"):
                call_command(command, stdout=io.StringIO())
        counts.append(len(mailoutbox))
    session = track.sessions.get()
    keys = sorted(SentReminder.objects.values_list("key", flat=True))
    assert keys == sorted(
        [
            f"report-due:{dt.date.today().isoformat()}",
            f"session:{session.pk}:1440",  # the 24 h offset was due too: recorded, not sent
            f"session:{session.pk}:60",
            "step-due",
        ]
    )
    # One event reminder, one report reminder, two officers reminded; nothing the second time.
    assert counts == [4, 4]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no concurrent writers to prove (it serialises them)",
)
def test_two_processes_at_the_same_moment_send_once():
    person = UserFactory()
    barrier = threading.Barrier(2)
    sent: list[int] = []
    outcomes: list[object] = [None, None]

    def run(index: int) -> None:
        def send() -> int:
            sent.append(index)
            time.sleep(0.5)  # hold the transaction open while the other one tries
            return 1

        try:
            barrier.wait(timeout=5)
            outcomes[index] = send_once(target=person, key="race", send=send)
        except Exception as error:
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes, key=str) == [False, True]
    assert len(sent) == 1
    assert SentReminder.objects.filter(key="race").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migrations_carry_the_old_ledgers_over():
    before = [
        ("events", "0002_listing_index"),
        ("pledges", "0006_measure_link_constraints"),
        ("commons", "0004_pact_comments_to_participation"),
    ]
    # The rows are made with today's tables (later migrations add columns), then the schema goes
    # back to before the shared ledger and the old ledgers' rows are added.
    start = timezone.now() + timedelta(hours=2)
    _event, track = event_with_session(start=start)
    session = track.sessions.get()
    pledge = pledge_with_measures()
    w = scenario.world()
    pact = scenario.submitted(w)
    entry = pact.history.order_by("-id").first()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    registration = old.get_model("events", "Registration").objects.create(
        track_id=track.pk, event_id=track.event_id, user_id=UserFactory().pk, status="confirmed"
    )
    old.get_model("events", "ReminderSent").objects.create(
        registration_id=registration.pk, session_id=session.pk, offset_minutes=1440
    )
    old.get_model("pledges", "ReportReminder").objects.create(
        pledge_id=pledge.pk, due_on=dt.date(2026, 6, 30), recipients=2
    )
    reminded = timezone.now() - timedelta(days=1)
    old.get_model("commons", "PactHistoryEntry").objects.filter(pk=entry.pk).update(
        reminded_at=reminded
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = {(r.content_type.model, r.object_id, r.key) for r in SentReminder.objects.all()}
    assert rows == {
        ("registration", registration.pk, f"session:{session.pk}:1440"),
        ("pledge", pledge.pk, "report-due:2026-06-30"),
        ("pacthistoryentry", entry.pk, "step-due"),
    }
    assert SentReminder.objects.get(key="step-due").sent_at == reminded
    assert SentReminder.objects.get(key__startswith="report-due").recipients == 2
