"""Kept counters: numbers stored on a row for speed (an idea's supports, a track's confirmed
seats, a campaign's totals...) that the services keep equal to the rows they count. This
registry lets one command, ``cocity check-counters``, recount every one of them and report (or,
with ``--fix``, repair) any drift, whatever wrote the rows (an old bug, a raw SQL fix, a demo).

An app registers its counters in its ``counters.py`` (imported by ``CoreConfig.ready()``)::

    from cocity.core.counters import count_of_rows, register

    register(
        count_of_rows(
            key="plans.Idea.support_count",
            model=Idea,
            field="support_count",
            rows=lambda: Support.objects.filter(content_type=idea_type()),
            by="object_id",
        )
    )

or, for something other than a count of rows, a ``KeptCounter`` with its own ``drifts()`` and
``repair(drift)``. A repair locks the counted-for row, recounts and writes the recount, in one
transaction, so a concurrent write (which moves the counter under the same row lock) is never
lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Count

from cocity.core.cache import rows_changed


@dataclass(frozen=True)
class Drift:
    """One row whose kept counter is not what its rows say."""

    key: str  # the counter: "plans.Idea.support_count"
    pk: Any  # the row holding it
    stored: Any
    actual: Any


@dataclass(frozen=True)
class KeptCounter:
    key: str
    drifts: Callable[[], Iterator[Drift]]
    repair: Callable[[Drift], None]


_counters: dict[str, KeptCounter] = {}


def register(counter: KeptCounter) -> KeptCounter:
    _counters[counter.key] = counter
    return counter


def unregister(key: str) -> KeptCounter | None:
    return _counters.pop(key, None)


def registered() -> list[KeptCounter]:
    return sorted(_counters.values(), key=lambda c: c.key)


def count_of_rows(
    *,
    key: str,
    model: type[models.Model],
    field: str,
    rows: Callable[[], models.QuerySet[Any]],
    by: str,
) -> KeptCounter:
    """A counter ``model.field`` that equals the number of ``rows()`` whose ``by`` names it."""

    def drifts() -> Iterator[Drift]:
        actual = dict(rows().values(by).annotate(n=Count("pk")).values_list(by, "n"))
        stored_values = model._default_manager.order_by("pk").values_list("pk", field)
        for pk, stored in stored_values.iterator(chunk_size=2000):
            if stored != actual.get(pk, 0):
                yield Drift(key, pk, stored, actual.get(pk, 0))

    def repair(drift: Drift) -> None:
        with transaction.atomic():
            manager = model._default_manager
            if not manager.select_for_update().filter(pk=drift.pk).exists():
                return  # deleted meanwhile
            manager.filter(pk=drift.pk).update(**{field: rows().filter(**{by: drift.pk}).count()})
        rows_changed(model)  # update() sends no signal (cocity.core.cache)

    return KeptCounter(key=key, drifts=drifts, repair=repair)


def check(*, fix: bool = False, keys: list[str] | None = None) -> list[Drift]:
    """Every drift of the registered counters (those named in ``keys``, or all); repaired when
    ``fix``. Returns what was found (before any repair)."""
    found: list[Drift] = []
    for counter in registered():
        if keys and counter.key not in keys:
            continue
        drifts = list(counter.drifts())
        if fix:
            for drift in drifts:
                counter.repair(drift)
        found.extend(drifts)
    return found
