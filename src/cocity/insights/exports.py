"""Insights' section of the personal data export (see :mod:`cocity.accounts.exports`): the data
sets a person uploaded, described (name, source, year, city, group columns, status); the counts
themselves are public statistics and stay on the data set's page and its CSV download.

Registered from ``InsightsConfig.ready()``. One query.
"""

from typing import Any

from cocity.accounts import exports
from cocity.accounts.exports import iso_utc
from cocity.accounts.types import Actor

from .models import DataSet


def data_sets(user: Actor) -> list[dict[str, Any]]:
    rows = (
        DataSet.objects.filter(created_by_id=user.pk)
        .select_related("city")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": d.pk,
            "name": d.name,
            "source": d.source,
            "year": d.year,
            "city": d.city.name,
            "groups": d.groups,
            "total_column": d.total_column,
            "boundaries": d.boundaries,
            "status": d.status,
            "created_at": iso_utc(d.created_at),
        }
        for d in rows
    ]


def register_all() -> None:
    exports.register("data_sets_uploaded", data_sets)
