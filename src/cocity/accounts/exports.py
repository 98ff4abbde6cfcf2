"""What goes into a person's data export, section by section.

Every app that stores something a person created or holds registers its sections from its own
``<app>/exports.py``, whose ``register_all()`` its ``AppConfig.ready()`` calls::

    from cocity.accounts import exports

    def pledges(user) -> list[dict]:
        return [{"title": p.title, ...} for p in Pledge.objects.filter(created_by_id=user.pk)]

    def register_all() -> None:
        exports.register("pledges", pledges)

A section is a callable taking the person and returning JSON-ready data (a list or a dict of
strings, numbers, booleans, ``None``; datetimes through :func:`iso_utc`). ``account_export`` in
``services.py`` calls every section. A section is one or two queries whatever the number of rows
(``select_related`` / ``prefetch_related``, never a query per row), and holds only the person's
own rows: ``tests/accounts/test_export.py`` checks both for every section.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

ExportSection = Callable[[Any], list[Any] | dict[str, Any]]

_sections: dict[str, ExportSection] = {}

# The keys ``account_export`` writes itself; a section may not take them.
RESERVED = frozenset({"format", "exported_at", "profile"})


def register(name: str, section: ExportSection) -> ExportSection:
    """Add (or, for the same callable registered again, keep) the section called ``name``."""
    if name in RESERVED:
        raise ValueError(f"The export section name {name!r} is reserved.")
    existing = _sections.get(name)
    if existing is not None and existing is not section:
        raise ValueError(f"An export section called {name!r} is already registered.")
    _sections[name] = section
    return section


def unregister(name: str) -> None:
    """Remove a section (for tests)."""
    _sections.pop(name, None)


def sections() -> dict[str, ExportSection]:
    """The registered sections, in the order they were registered."""
    return dict(_sections)


def iso_utc(value: datetime | date | None) -> str | None:
    """A datetime as ISO 8601 in UTC (``2025-01-31T09:30:00+00:00``); dates as ``YYYY-MM-DD``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()
