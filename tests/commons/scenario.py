"""A small Bologna for the commons tests: the city, an officer, a neighbourhood, a commons, and
helpers that drive a pact through the lifecycle with the real services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from cocity.commons import services
from cocity.commons.models import Pact, PactParty
from cocity.network.models import Organisation, Role, Territory
from tests.factories import (
    CommonsFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    TerritoryFactory,
    UserFactory,
)

START = dt.date(2026, 3, 1)


def world() -> SimpleNamespace:
    country = TerritoryFactory(name="Italy", code="IT")
    city = TerritoryFactory(name="Bologna", code="IT-BLQ", kind=Territory.Kind.CITY, parent=country)
    district = TerritoryFactory(
        name="Navile", code="IT-BLQ-01", kind=Territory.Kind.DISTRICT, parent=city
    )
    hood = TerritoryFactory(
        name="Bolognina", code="IT-BLQ-01-1", kind=Territory.Kind.NEIGHBOURHOOD, parent=district
    )
    other = TerritoryFactory(
        name="Pilastro", code="IT-BLQ-01-2", kind=Territory.Kind.NEIGHBOURHOOD, parent=district
    )
    comune = OrganisationFactory(
        name="Comune di Bologna", slug="comune", kind=Organisation.Kind.LOCAL_GOVERNMENT
    )
    officer = UserFactory(display_name="Officer One")
    officer2 = UserFactory(display_name="Officer Two")
    OrganisationMembershipFactory(organisation=comune, user=officer, role=Role.EDITOR)
    OrganisationMembershipFactory(organisation=comune, user=officer2, role=Role.ADMIN)
    clerk = UserFactory(display_name="Clerk")  # a plain member of the city: not an officer
    OrganisationMembershipFactory(organisation=comune, user=clerk, role=Role.MEMBER)
    commons = CommonsFactory(
        name="Giardino Bolognina", slug="giardino", organisation=comune, territory=hood
    )
    return SimpleNamespace(
        city=city, hood=hood, other=other, comune=comune, officer=officer, officer2=officer2,
        clerk=clerk, commons=commons, resident=UserFactory(display_name="Resident"),
        public=UserFactory(display_name="Passer-by"),
    )  # fmt: skip


def draft(
    w: SimpleNamespace, *, kind: str = "ordinary", proponent=None, commons=None, **kw
) -> Pact:  # type: ignore[no-untyped-def]
    proponent = proponent or w.resident
    fields = {
        "title": "Care of the garden",
        "level": Pact.Level.ONGOING,
        "objectives": "Weed, water and open the garden on Saturdays.",
        "starts_on": START,
        "ends_on": START.replace(year=START.year + 2),
        "indicators": "Open days\nVolunteers",
        **kw,
    }
    pact = services.pact_create(
        commons=commons or w.commons, kind=kind, created_by=proponent, **fields
    )
    return pact


def commit_all(pact: Pact, actor) -> None:  # type: ignore[no-untyped-def]
    for party in pact.parties.all():
        if not party.commitments.exists():
            services.commitment_add(
                pact=pact,
                party=party,
                category="materials" if party.role == PactParty.Role.CITY else "work",
                description=f"{party.name} does its part.",
                actor=actor,
            )


def submitted(w: SimpleNamespace, **kw) -> Pact:  # type: ignore[no-untyped-def]
    pact = draft(w, **kw)
    commit_all(pact, pact.created_by)
    return services.pact_transition(pact=pact, action="submit", actor=pact.created_by)


def under_review(w: SimpleNamespace, **kw) -> Pact:  # type: ignore[no-untyped-def]
    pact = submitted(w, **kw)
    return services.pact_transition(pact=pact, action="take_up", actor=w.officer)


def in_window(w: SimpleNamespace, **kw) -> Pact:  # type: ignore[no-untyped-def]
    pact = under_review(w, kind="complex", **kw)
    return services.pact_transition(
        pact=pact, action="open_window", actor=w.officer, reason="Executive decision 12/2026."
    )


def signable(w: SimpleNamespace, **kw) -> Pact:  # type: ignore[no-untyped-def]
    pact = under_review(w, **kw)
    return services.pact_transition(pact=pact, action="approve", actor=w.officer, reason="Fine.")


def sign_all(w: SimpleNamespace, pact: Pact) -> Pact:  # type: ignore[no-untyped-def]
    for party in pact.parties.all():
        signer = w.officer if party.role == PactParty.Role.CITY else party.person
        if not party.signed_at:
            services.pact_sign(pact=pact, party=party, actor=signer)
    return Pact.objects.get(pk=pact.pk)


def active(w: SimpleNamespace, **kw) -> Pact:  # type: ignore[no-untyped-def]
    pact = sign_all(w, signable(w, **kw))
    return services.pact_transition(pact=pact, action="activate", actor=w.officer)
