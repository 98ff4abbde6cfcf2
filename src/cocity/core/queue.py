"""Queueing background work with the writes it belongs to.

``enqueue_with_writes(task, **kwargs)`` queues ``task`` so that it runs if, and only if, the
current transaction commits. With the database queue (``COCITY_TASKS=database``, the default)
the task's row is written at once, inside the transaction: it commits with the writes or not at
all, so a worker killed between the commit and what would follow it loses nothing. The load
benchmark (``benchmarks/production``) lost 1 or 2 of 200-300 confirmation mails in 4 of 9 runs
when every task waited for ``transaction.on_commit`` and the workers were killed mid-write.
A queue outside the database (Redis, or the immediate backend of the demo and the tests) cannot
join the transaction: the task is sent when it commits, as before.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django_tasks_db import DatabaseBackend


def joins_transaction(task: Any) -> bool:
    """Does ``task``'s queue live in the database, so that queueing is part of the transaction?"""
    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_with_writes(task: Any, *args: Any, **kwargs: Any) -> None:
    if connection.in_atomic_block and joins_transaction(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
