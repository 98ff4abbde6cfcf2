"""The one registration point: each capability registers a provider in its ``search.py``.

    from cocity.search.registry import IndexEntry, SearchProvider, register

    register(SearchProvider(key="events.event", model="events.Event", entry=event_entry))

``entry(obj)`` returns an :class:`IndexEntry` for an object that belongs in the index, or
``None`` when it does not (a draft, a cancelled event): the index then drops it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class IndexEntry:
    title: str
    body: str
    url: str
    kind: str
    kind_label: str = ""
    language: str = ""
    topics: tuple[tuple[str, str], ...] = ()  # (slug, label)
    city: str = ""  # territory code of the city
    city_name: str = ""
    year: int | None = None
    space_id: int | None = None
    is_public: bool = True


@dataclass(frozen=True)
class SearchProvider:
    key: str  # "library.item"
    model: str  # "library.LibraryItem"
    entry: Callable[[Any], IndexEntry | None]
    # Every object to (re)index with ``cocity search-reindex``; defaults to all objects.
    queryset: Callable[[], Iterable[Any]] | None = field(default=None)
    # The kinds its entries have, when not only ``key`` (the library: one kind per item type);
    # a list page's own search box searches these (``selectors.WITHIN``).
    kinds: Callable[[], Iterable[str]] | None = field(default=None)

    def entry_kinds(self) -> tuple[str, ...]:
        return tuple(self.kinds()) if self.kinds is not None else (self.key,)

    def model_class(self) -> Any:
        return apps.get_model(self.model)

    def objects(self) -> Iterable[Any]:
        if self.queryset is not None:
            return self.queryset()
        return self.model_class()._default_manager.all()


_providers: dict[str, SearchProvider] = {}


def register(provider: SearchProvider) -> SearchProvider:
    _providers[provider.key] = provider
    return provider


def providers() -> list[SearchProvider]:
    return list(_providers.values())


def kinds_of(*keys: str) -> tuple[str, ...]:
    """Every kind the providers with these keys give their entries."""
    return tuple(
        kind for key in keys if key in _providers for kind in _providers[key].entry_kinds()
    )


def provider_for(obj: Any) -> SearchProvider | None:
    label = obj._meta.label
    for provider in _providers.values():
        if provider.model == label:
            return provider
    return None
