"""Participation equity: who takes part on the platform, by home neighbourhood, compared with
who lives there.

A participant is a distinct person (with a home neighbourhood in the city) who, in a public
space, registered for an event (not cancelled), posted an idea (not hidden), supported an idea or
commented on one. Supports and comments count only when they are on ideas (the only target whose
space is known); activity in members-only spaces is never counted, so nothing about such a space
can be read from these pages.

For each neighbourhood: participation share p_n / P, population share pop_n / POP, and the
representation ratio (participation share / population share, 1 = represented as its
population). Across neighbourhoods: the dissimilarity index between participants and population
(0 = participation spread exactly like the population, 1 = entirely elsewhere), computed with the
core as the dissimilarity of "participants" against "residents" (indices.dissimilarity with
total = participants + residents). Only aggregates are shown, and any cell counting fewer than
COCITY_INSIGHTS_MIN_CELL people is suppressed (its count, shares and ratio are hidden); a
neighbourhood with fewer participants than that is listed as left out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from cocity.core.translations import translated, translation_columns
from cocity.network.models import Space, Territory

from . import indices

# (user id, home neighbourhood id, space id, when)
Activity = tuple[int, int, int, datetime]


def min_cell() -> int:
    return int(getattr(settings, "COCITY_INSIGHTS_MIN_CELL", 10))


def quarter_of(when: datetime) -> str:
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


# --------------------------------------------------------------------------- sources


def _sources() -> list[str]:
    from django.apps import apps

    names = []
    if apps.is_installed("cocity.events"):
        names.append("registrations")
    if apps.is_installed("cocity.plans"):
        names.append("ideas")
        if apps.is_installed("cocity.participation"):
            names += ["supports", "comments"]
    return names


def activities(city: Territory) -> list[Activity]:
    """Every counted action by residents of the city, in public spaces only."""
    rows: list[Activity] = []
    sources = _sources()
    if "registrations" in sources:
        from cocity.events import selectors as events_selectors

        rows += events_selectors.registration_activity(home_path=city.path)
    if "ideas" in sources:
        from cocity.plans import selectors as plans_selectors

        rows += plans_selectors.idea_activity(home_path=city.path, reactions="supports" in sources)
    return rows


# --------------------------------------------------------------------------- the arithmetic


@dataclass
class Row:
    territory_id: int
    code: str
    name: str
    population: int
    participants: int | None  # None when suppressed
    participation_share: float | None
    population_share: float | None
    ratio: float | None
    suppressed: bool
    left_out: bool


@dataclass
class Summary:
    label: str
    participants: int | None  # None when suppressed
    dissimilarity: float | None
    left_out: int | None
    suppressed: bool


@dataclass
class Report:
    min_cell: int
    population_total: int
    participants_total: int | None
    dissimilarity: float | None
    rows: list[Row]
    left_out: list[Row]
    by_space: list[Summary] = field(default_factory=list)
    by_quarter: list[Summary] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    suppressed_cells: int = 0

    @property
    def by_code(self) -> dict[str, Row]:
        return {row.code: row for row in self.rows}


def dissimilarity(participants: list[int], population: list[int]) -> float | None:
    """D between participants and residents across neighbourhoods, with the core."""
    part = np.asarray(participants, dtype=np.float64)
    pop = np.asarray(population, dtype=np.float64)
    if part.sum() == 0 or pop.sum() == 0:
        return None
    value = indices.dissimilarity(part, part + pop)
    return float(value) if math.isfinite(value) else None


def build_rows(
    hoods: list[Territory], population: dict[int, int], participants: dict[int, int], limit: int
) -> tuple[list[Row], int]:
    pop_total = sum(population.get(h.pk, 0) for h in hoods)
    part_total = sum(participants.get(h.pk, 0) for h in hoods)
    rows, suppressed = [], 0
    for hood in hoods:
        pop = population.get(hood.pk, 0)
        part = participants.get(hood.pk, 0)
        hidden = part < limit
        suppressed += hidden
        part_share = part / part_total if part_total else None
        pop_share = pop / pop_total if pop_total else None
        ratio = part_share / pop_share if part_share is not None and pop_share else None
        rows.append(
            Row(
                territory_id=hood.pk,
                code=hood.code,
                name=hood.name,
                population=pop,
                participants=None if hidden else part,
                participation_share=None if hidden else part_share,
                population_share=pop_share,
                ratio=None if hidden else ratio,
                suppressed=hidden,
                left_out=hidden and pop > 0,
            )
        )
    return rows, suppressed


def _summary(
    label: str, people: dict[int, set[int]], hoods: list[Territory], population: dict[int, int]
) -> Summary:
    limit = min_cell()
    counts = [len(people.get(h.pk, ())) for h in hoods]
    total = sum(counts)
    if total < limit:
        return Summary(label, None, None, None, True)
    return Summary(
        label=label,
        participants=total,
        dissimilarity=dissimilarity(counts, [population.get(h.pk, 0) for h in hoods]),
        left_out=sum(
            1 for h, c in zip(hoods, counts, strict=True) if c < limit and population.get(h.pk, 0)
        ),
        suppressed=False,
    )


def report(
    city: Territory,
    hoods: list[Territory],
    population: dict[int, int],
    rows_in: list[Activity] | None = None,
) -> Report:
    """The equity report for a city: hoods are its neighbourhoods (with population data)."""
    limit = min_cell()
    rows_in = activities(city) if rows_in is None else rows_in
    wanted = {h.pk for h in hoods}
    overall: dict[int, set[int]] = defaultdict(set)
    per_space: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    per_quarter: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for user_id, hood_id, space_id, when in rows_in:
        if hood_id not in wanted:
            continue
        overall[hood_id].add(user_id)
        per_space[space_id][hood_id].add(user_id)
        per_quarter[quarter_of(when)][hood_id].add(user_id)
    counts = {h: len(people) for h, people in overall.items()}
    rows, suppressed = build_rows(hoods, population, counts, limit)
    people_total = len({u for people in overall.values() for u in people})
    hood_counts = [counts.get(h.pk, 0) for h in hoods]
    enough = sum(hood_counts) >= limit
    spaces = {
        space.pk: translated(space, "name")
        for space in Space.objects.filter(
            pk__in=per_space.keys(), visibility=Space.Visibility.PUBLIC
        ).only("pk", "name", *translation_columns())
    }
    by_space = [
        _summary(spaces[pk], people, hoods, population)
        for pk, people in per_space.items()
        if pk in spaces
    ]
    by_space.sort(key=lambda s: s.label)
    by_quarter = [_summary(q, per_quarter[q], hoods, population) for q in sorted(per_quarter)]
    return Report(
        min_cell=limit,
        population_total=sum(population.get(h.pk, 0) for h in hoods),
        participants_total=people_total if people_total >= limit else None,
        dissimilarity=dissimilarity(hood_counts, [population.get(h.pk, 0) for h in hoods])
        if enough
        else None,
        rows=rows,
        left_out=[r for r in rows if r.left_out],
        by_space=by_space,
        by_quarter=by_quarter,
        sources=_sources(),
        suppressed_cells=suppressed,
    )


def population_for(dataset: Any) -> tuple[list[Territory], dict[int, int]]:
    """The neighbourhoods of a data set and their population (the total column, or the sum of
    the groups when the data set has no total)."""
    units = list(dataset.units.select_related("territory").order_by("territory__path"))
    return [u.territory for u in units], {u.territory_id: u.total for u in units}
