"""The commons' sections of the personal data export (see :mod:`cocity.accounts.exports`): the
pacts a person proposed, the pacts they are a party to or signed, the progress reports and the
draft versions they wrote.

Registered from ``CommonsConfig.ready()``. Each section is one query (``select_related`` for the
pact, the commons and the organisation). Comments on pacts are participation comments and come
with the ``comments`` section.
"""

from typing import Any

from django.db.models import Q

from cocity.accounts import exports
from cocity.accounts.exports import iso_utc
from cocity.accounts.types import Actor

from .models import Pact, PactParty, PactReport, PactVersion


def pacts_proposed(user: Actor) -> list[dict[str, Any]]:
    rows = (
        Pact.objects.filter(created_by_id=user.pk)
        .select_related("commons")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": p.pk,
            "title": p.title,
            "commons": p.commons.name,
            "kind": p.kind,
            "level": p.level,
            "state": p.state,
            "objectives": p.objectives,
            "resources_offered": p.resources_offered,
            "resources_requested": p.resources_requested,
            "responsibilities": p.responsibilities,
            "starts_on": iso_utc(p.starts_on),
            "ends_on": iso_utc(p.ends_on),
            "created_at": iso_utc(p.created_at),
        }
        for p in rows
    ]


def pact_signatures(user: Actor) -> list[dict[str, Any]]:
    """Every pact the person is a party to (themselves or as an organisation's contact person)
    or signed, with whether and when they signed."""
    rows = (
        PactParty.objects.filter(Q(person_id=user.pk) | Q(signed_by_id=user.pk))
        .select_related("pact", "organisation")
        .order_by("pact_id", "id")
    )
    return [
        {
            "pact": party.pact.title,
            "pact_id": party.pact_id,
            "role": party.role,
            "for_organisation": party.organisation.name if party.organisation else None,
            "signed_by_you": party.signed_by_id == user.pk,
            "signed_at": iso_utc(party.signed_at) if party.signed_by_id == user.pk else None,
        }
        for party in rows
    ]


def progress_reports(user: Actor) -> list[dict[str, Any]]:
    rows = (
        PactReport.objects.filter(author_id=user.pk)
        .select_related("pact")
        .order_by("created_at", "id")
    )
    return [
        {
            "pact": r.pact.title,
            "period_start": iso_utc(r.period_start),
            "period_end": iso_utc(r.period_end),
            "summary": r.summary,
            "hours": r.hours,
            "indicators": r.indicator_values,
            "filed_at": iso_utc(r.created_at),
        }
        for r in rows
    ]


def draft_versions(user: Actor) -> list[dict[str, Any]]:
    rows = (
        PactVersion.objects.filter(author_id=user.pk)
        .select_related("pact")
        .order_by("created_at", "id")
    )
    return [
        {
            "pact": v.pact.title,
            "version": v.number,
            "note": v.note,
            "text": v.text,
            "saved_at": iso_utc(v.created_at),
        }
        for v in rows
    ]


def register_all() -> None:
    exports.register("pacts_proposed", pacts_proposed)
    exports.register("pact_signatures", pact_signatures)
    exports.register("pact_progress_reports", progress_reports)
    exports.register("pact_draft_versions", draft_versions)
