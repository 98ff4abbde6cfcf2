"""Reminders sent once: one ledger (``SentReminder``: target + key, unique) and one helper for
every periodic command that reminds people (``event_reminders``, ``pledge_reminders``,
``commons_reminders``)::

    from cocity.core.reminders import send_once

    def send() -> int:
        ...  # queue the e-mails (or enqueue a task) and return how many went out
        return len(recipients)

    send_once(target=pledge, key=f"report-due:{pledge.report_due_on}", send=send)

``send_once`` records the key and calls ``send`` in one transaction: when the key was recorded
already (an earlier run, or another process at the same moment: the second insert waits for the
first and then fails on the unique constraint) it sends nothing and returns ``False``. Several
keys may be given at once (every reminder offset that is due after cron was late): they are all
recorded, and one reminder goes out if any of them was new. E-mails and tasks queued by ``send``
go with the transaction (``cocity.core.queue``), so a failure inside ``send`` records and sends
nothing.

``unsent(queryset, key)`` and ``sent_keys(model, ids)`` let a command skip what was sent without
trying it (one query for the whole batch).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, QuerySet

from .models import SentReminder


def _ct(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


def send_once(
    *,
    target: models.Model,
    key: str | Iterable[str],
    send: Callable[[], int | None],
) -> bool:
    """Record ``key`` (or every key of an iterable) for ``target`` and call ``send()`` once if any
    of them is new; ``False`` when all were recorded already (nothing sent)."""
    keys = [key] if isinstance(key, str) else list(dict.fromkeys(key))
    content_type = _ct(type(target))
    with transaction.atomic():
        recorded = []
        for one in keys:
            try:
                with transaction.atomic():  # a savepoint: a duplicate does not spoil the rest
                    recorded.append(
                        SentReminder.objects.create(
                            content_type=content_type, object_id=target.pk, key=one
                        )
                    )
            except IntegrityError:
                continue
        if not recorded:
            return False
        recipients = send()
        if recipients:
            SentReminder.objects.filter(pk__in=[r.pk for r in recorded]).update(
                recipients=recipients
            )
    return True


def mark_sent(*, target: models.Model, key: str, sent_at: Any = None) -> None:
    """Record ``key`` for ``target`` without sending anything (demo data backdated in the past,
    whose reminders nobody should receive)."""
    defaults = {"sent_at": sent_at} if sent_at is not None else {}
    SentReminder.objects.get_or_create(
        content_type=_ct(type(target)), object_id=target.pk, key=key, defaults=defaults
    )


def unsent(queryset: QuerySet[Any], key: str) -> QuerySet[Any]:
    """The rows of ``queryset`` with no reminder ``key`` recorded yet."""
    sent = SentReminder.objects.filter(
        content_type=_ct(queryset.model), object_id=OuterRef("pk"), key=key
    )
    return queryset.filter(~Exists(sent))


def sent_keys(model: type[models.Model], ids: Iterable[int]) -> set[tuple[int, str]]:
    """``(object id, key)`` of every reminder recorded for these rows of ``model``."""
    return set(
        SentReminder.objects.filter(content_type=_ct(model), object_id__in=list(ids)).values_list(
            "object_id", "key"
        )
    )
