"""Pledges' sections of the personal data export (see :mod:`cocity.accounts.exports`): the pledges
a person created with their measures, and the progress reports they filed on measures.

Registered from ``PledgesConfig.ready()``. Pledges are two queries (the pledges with their
campaign and organisation; their measures); progress reports are one.
"""

from typing import Any

from cocity.accounts import exports
from cocity.accounts.exports import iso_utc
from cocity.accounts.types import Actor

from .models import Pledge, ProgressReport


def pledges(user: Actor) -> list[dict[str, Any]]:
    rows = (
        Pledge.objects.filter(created_by_id=user.pk)
        .select_related("campaign", "organisation")
        .prefetch_related("measures")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": p.pk,
            "campaign": p.campaign.name,
            "organisation": p.organisation.name,
            "title": p.title,
            "statement": p.statement,
            "signed_by": p.signed_by,
            "signed_on": iso_utc(p.signed_on),
            "state": p.state,
            "status": p.status,
            "published_at": iso_utc(p.published_at),
            "created_at": iso_utc(p.created_at),
            "measures": [
                {
                    "description": m.description,
                    "amount": str(m.amount),
                    "currency": m.currency,
                    "starts_on": iso_utc(m.starts_on),
                    "ends_on": iso_utc(m.ends_on),
                    "department": m.department,
                    "status": m.status,
                    "spent": str(m.spent),
                }
                for m in p.measures.all()
            ],
        }
        for p in rows
    ]


def progress_reports(user: Actor) -> list[dict[str, Any]]:
    rows = (
        ProgressReport.objects.filter(created_by_id=user.pk)
        .select_related("measure__pledge")
        .order_by("created_at", "id")
    )
    return [
        {
            "pledge": r.measure.pledge.title,
            "measure": r.measure.description,
            "reported_on": iso_utc(r.reported_on),
            "spent": str(r.spent),
            "status": r.status,
            "narrative": r.narrative,
            "evidence_url": r.evidence_url,
            "evidence_file": r.evidence_file.name or None,
            "filed_at": iso_utc(r.created_at),
        }
        for r in rows
    ]


def register_all() -> None:
    exports.register("pledges", pledges)
    exports.register("pledge_progress_reports", progress_reports)
