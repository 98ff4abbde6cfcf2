"""The data section of the hub pages (``cocity.core.hubs``): the data sets of the city a space or
a place lies in, and of the cities inside a place (a country). Data sets belong to a city, not to
a space or an organisation, so an organisation's page has no data section. Two queries whatever
the number of data sets; only data sets whose import is done."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocity.core.hubs import (
    ITEMS_PER_SECTION,
    HubActivity,
    HubContent,
    HubItem,
    HubScope,
    HubSection,
    register,
)
from cocity.core.translations import translated, translation_columns

from . import selectors


def _title(dataset: Any) -> str:
    return f"{translated(dataset, 'name')} ({dataset.year})"


def _content(scope: HubScope) -> HubContent:
    datasets = selectors.datasets_in_hub(scope)
    shown = list(
        datasets.select_related("city")
        .only(
            "id",
            "name",
            "year",
            "source",
            "created_at",
            "city__code",
            "city__name",
            *translation_columns(),
            *translation_columns("city"),
        )
        .order_by("-year", "-id")[:ITEMS_PER_SECTION]
    )
    return HubContent(
        count=datasets.count() if shown else 0,
        items=[
            HubItem(
                title=_title(dataset),
                url=dataset.get_absolute_url(),
                meta=" · ".join(
                    part for part in (translated(dataset.city, "name"), dataset.source) if part
                ),
            )
            for dataset in shown
        ],
        see_all=scope.see_all(reverse("insights:index")),
        activity=[
            HubActivity(
                when=dataset.created_at,
                kind=gettext("Data"),
                title=_title(dataset),
                url=dataset.get_absolute_url(),
            )
            for dataset in shown
        ],
    )


register(
    HubSection(
        key="insights",
        title=_("Data sets"),
        order=60,
        content=_content,
        shows=("insights.DataSet",),
        scopes=("space", "territory"),
    )
)
