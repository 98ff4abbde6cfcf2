"""Shared set-up for the insights platform tests: a city with a grid of square neighbourhoods."""

from __future__ import annotations

from typing import Any

from cocity.network.models import Territory
from tests.factories import TerritoryFactory


def square(x: int, y: int, size: float = 0.01) -> dict[str, Any]:
    x0, y0 = 5.0 + x * size, 43.0 + y * size
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


def grid_city(nx: int = 3, ny: int = 2, code: str = "FR-MRS") -> tuple[Territory, list[Territory]]:
    country = Territory.objects.filter(code=code.split("-")[0]).first() or TerritoryFactory(
        name="France", code=code.split("-")[0], kind="country"
    )
    city = TerritoryFactory(name="Marseille", code=code, kind="city", parent=country)
    district = TerritoryFactory(name="Centre", code=f"{code}-01", kind="district", parent=city)
    hoods = []
    for j in range(ny):
        for i in range(nx):
            n = j * nx + i + 1
            hoods.append(
                TerritoryFactory(
                    name=f"Quarter {n}",
                    code=f"{code}-01-{n}",
                    kind="neighbourhood",
                    parent=district,
                    boundary=square(i, j),
                )
            )
    return city, hoods  # type: ignore[return-value]


def counts_csv(hoods: list[Territory], rows: list[tuple[int, int, int]]) -> str:
    """code,a,b,total"""
    lines = ["code,a,b,total"]
    lines += [f"{h.code},{a},{b},{t}" for h, (a, b, t) in zip(hoods, rows, strict=True)]
    return "\n".join(lines) + "\n"


GROUPS = [{"column": "a", "label": "Group A"}, {"column": "b", "label": "Group B"}]
ROWS = [(100, 50, 200), (10, 150, 180), (80, 20, 120), (5, 90, 100), (60, 60, 150), (30, 10, 50)]


def task_callbacks(callbacks: list[Any]) -> list[Any]:
    """The on-commit callbacks that enqueue work, without the page cache's bumps (data sets are
    shown on the hub pages, so their writes also bump the cache after the commit)."""
    from cocity.core.cache import _bump_on_commit

    return [c for c in callbacks if getattr(c, "func", None) is not _bump_on_commit]
