"""Background work goes with the writes it belongs to: with the database queue the task's row is
written inside the transaction (it commits with the writes, or not at all), so a worker killed
right after the commit loses no mail; other queues are sent on commit."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cocity.core.mail import send_email
from cocity.core.queue import enqueue_with_writes, joins_transaction

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class Killed(Exception):
    """The process dies right after the commit: nothing registered with on_commit runs."""


def test_with_the_database_queue_the_mail_is_written_with_the_transaction(settings, monkeypatch):
    settings.TASKS = DATABASE_QUEUE
    assert joins_transaction(send_email)
    # A process killed right after its commit runs no on_commit callback: simulate by
    # dropping them; the task must be stored anyway.
    monkeypatch.setattr(transaction, "on_commit", lambda *a, **k: None)
    with transaction.atomic():
        enqueue_with_writes(send_email, to=["a@example.org"], subject="s", body="b")
        assert DBTaskResult.objects.count() == 1  # inside the transaction already
    assert DBTaskResult.objects.count() == 1


def test_a_rolled_back_write_queues_nothing(settings):
    settings.TASKS = DATABASE_QUEUE
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_writes(send_email, to=["a@example.org"], subject="s", body="b")
        raise RuntimeError("the write failed")
    assert DBTaskResult.objects.count() == 0


def test_another_queue_is_sent_on_commit(settings, monkeypatch):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default"],
        }
    }
    assert not joins_transaction(send_email)
    later: list = []
    monkeypatch.setattr(transaction, "on_commit", lambda callback, **k: later.append(callback))
    with transaction.atomic():
        enqueue_with_writes(send_email, to=["a@example.org"], subject="s", body="b")
    assert len(later) == 1


def test_a_mail_is_stored_with_the_writes_that_caused_it(settings, monkeypatch):
    """The confirmation mail of a registration (any templated mail) goes with its transaction."""
    from cocity.core.mail import queue_templated_email

    settings.TASKS = DATABASE_QUEUE
    monkeypatch.setattr(transaction, "on_commit", lambda *a, **k: None)  # killed after commit
    with transaction.atomic():
        queue_templated_email(
            to="lena@example.org",
            template="network/emails/join_request_received",
            context={"space": {"name": "Fairville"}, "requester": "Amina", "message": "Hello"},
        )
    stored = DBTaskResult.objects.get()
    assert stored.args_kwargs["kwargs"]["to"] == ["lena@example.org"]
