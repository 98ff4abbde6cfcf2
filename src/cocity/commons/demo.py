# ruff: noqa: E501  (SQL and demo text read better on one line)
"""Bologna's collaborative city, in demo form, dated from the day the demo is built
(``cocity.core.demo``): a call for care open now; a neighbourhood garden in the third year of its
ordinary pact (submitted, reviewed, approved, signed, started, two yearly reports); a digital
library under a complex pact that went through the public window and co-design before it was
signed; a vacant school whose complex pact is in co-design now, a competing proposal merged into
it; a rejected proposal with its reason; a proposal overdue for review.

Every history is in order and in the past: each step's deadline comes after the step, the
signatures carry the day of the "signed" step, reports come after it. The pacts are built through
the services (which stamp everything "now"), then each history is laid out on its own timeline;
a second run only lays the timelines out again, on the new day. Idempotent: keyed by slugs and
titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cocity.core.demo import DEMO_DOMAIN, at, years_before
from cocity.core.reminders import mark_sent
from cocity.network.models import Organisation, Territory, Topic
from cocity.participation.models import Comment

from . import lifecycle, services
from .models import CallForCare, Commons, Pact, PactHistoryEntry, PactParty, PactReport, PactVersion

S = Pact.State

COMMONS = [
    # slug, name, kind, hood code, lat, lon, condition, department, description; the places near
    # their real addresses (via Fioravanti, Corticella, piazza Lipparini: placed from memory of
    # the map, not surveyed; inside the demo's neighbourhood shapes)
    ("giardino-bolognina", "Giardino di via Fioravanti", "place", "IT-BLQ-01-1", 44.5117, 11.3449,
     "fair", "Quartiere Navile", "A neighbourhood garden between the new offices and the old blocks."),
    ("ex-scuola-corticella", "Former school of Corticella", "building", "IT-BLQ-01-2", 44.5419, 11.3528,
     "derelict", "Settore Patrimonio", "A two-storey school building, empty since 2015."),
    ("piazza-pilastro", "Piazza Lipparini, Pilastro", "place", "IT-BLQ-02-1", 44.5148, 11.3969,
     "poor", "Quartiere San Donato-San Vitale", "The square at the heart of the Pilastro estate."),
    ("biblioteca-digitale", "Neighbourhood digital library", "digital", "IT-BLQ", None, None,
     "good", "Biblioteche", "Shared catalogue of books and tools lent between neighbours."),
]  # fmt: skip


def _user(local: str) -> Any:
    return get_user_model().objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _timeline(
    pact: Pact,
    moments: list[dt.datetime],
    *,
    versions: Sequence[dt.datetime] = (),
    comments: Sequence[dt.datetime] = (),
    reports: Sequence[tuple[dt.date, dt.date]] = (),
) -> None:
    """Lay the pact's history out on ``moments`` (one per entry, oldest first): each entry's
    deadline counted from its own day (a merge keeps the deadline of the step it happened in),
    the signatures on the day of the "sign" step (the last one at its very moment), reports,
    versions and comments at their own moments. Entries beyond ``moments`` (added by hand in the
    demo) keep their dates."""
    entries = list(pact.history.order_by("id"))
    due: dt.date | None = None
    for entry, when in zip(entries, moments, strict=False):
        if entry.from_state != entry.to_state or entry.action == "create":
            due = lifecycle.due_date(entry.to_state, timezone.localdate(when))
        PactHistoryEntry.objects.filter(pk=entry.pk).update(created_at=when, due_on=due)
        entry.created_at, entry.due_on = when, due
        if entry.action == "sign":
            signers = list(pact.parties.filter(signed_at__isnull=False).order_by("role", "id"))
            for n, party in enumerate(signers):
                # Earlier the same day for the first parties; the last signs at the step's moment.
                signed_at = when - dt.timedelta(minutes=30 * (len(signers) - 1 - n))
                PactParty.objects.filter(pk=party.pk).update(signed_at=signed_at)
    report_entries = [e for e in entries if e.action == "report"]
    for report, entry, period in zip(
        pact.reports.order_by("id"), report_entries, reports, strict=False
    ):
        PactReport.objects.filter(pk=report.pk).update(
            created_at=entry.created_at, period_start=period[0], period_end=period[1]
        )
    for version, when in zip(pact.versions.order_by("number"), versions, strict=False):
        PactVersion.objects.filter(pk=version.pk).update(created_at=when)
    on_pact = Comment.objects.filter(content_type__model="pact", object_id=pact.pk).order_by("id")
    for comment, when in zip(on_pact, comments, strict=False):
        Comment.objects.filter(pk=comment.pk).update(created_at=when)
    current = entries[-1] if entries else None
    for entry in entries:
        # No reminder for a step that is over; the current step's deadline is still watched.
        if entry is not current or pact.state not in lifecycle.DEFAULT_DEADLINES:
            mark_sent(target=entry, key=services.STEP_DUE, sent_at=entry.created_at)
    if current is not None:
        Pact.objects.filter(pk=pact.pk).update(
            created_at=moments[0], state_since=current.created_at, step_due_on=current.due_on
        )


def _pact(commons: Commons, title: str, proponent: Any, **fields: Any) -> tuple[Pact, bool]:
    existing = Pact.objects.filter(commons=commons, title=title).first()
    if existing:
        return existing, False
    defaults = {"level": Pact.Level.ONGOING, "indicators": "Open days\nVolunteers involved"}
    pact = services.pact_create(
        commons=commons, title=title, created_by=proponent, **{**defaults, **fields}
    )
    return pact, True


def _commit(pact: Pact, city_text: str, people_text: str) -> None:
    for party in pact.parties.all():
        if not party.commitments.exists():
            city = party.role == PactParty.Role.CITY
            services.commitment_add(
                pact=pact, party=party, category="tools" if city else "work",
                description=city_text if city else people_text, actor=pact.created_by,
            )  # fmt: skip


@transaction.atomic
def build() -> dict[str, int]:
    city = Organisation.objects.get(slug="comune-di-bologna")
    giulia, nikos, ana, youssef, claire, james = (
        _user(u) for u in ("giulia", "nikos", "ana", "youssef", "claire", "james")
    )
    topic = Topic.objects.filter(slug="co-production").first()
    commons: dict[str, Commons] = {}
    for slug, name, kind, code, lat, lon, condition, dept, text in COMMONS:
        found = Commons.objects.filter(slug=slug).first()
        if found is None:
            found = services.commons_create(
                organisation=city, name=name, slug=slug, kind=kind,
                territory=Territory.objects.get(code=code), latitude=lat, longitude=lon,
                condition=condition, department=dept, description=text, actor=giulia,
                topics=[topic] if topic else [],
            )  # fmt: skip
        commons[slug] = found
    today = timezone.localdate()
    now = timezone.now()
    Commons.objects.filter(pk__in=[c.pk for c in commons.values()]).update(
        created_at=at(years_before(today, 3), 9, zone="Europe/Rome")
    )
    CallForCare.objects.filter(slug="bologna-call-for-care-2026").update(
        slug="bologna-call-for-care"
    )
    call = CallForCare.objects.filter(slug="bologna-call-for-care").first()
    if call is None:
        call = services.call_create(
            organisation=city, title="Call for care: gardens, squares and empty schools",
            slug="bologna-call-for-care", opens_on=today - dt.timedelta(days=30),
            closes_on=today + dt.timedelta(days=90), commons=list(commons.values()),
            description="The Comune di Bologna invites residents and groups to propose "
            "collaboration pacts for these commons, under the regulation on civic collaboration.",
            actor=giulia,
        )  # fmt: skip
    CallForCare.objects.filter(pk=call.pk).update(
        title="Call for care: gardens, squares and empty schools",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=90),
        created_at=at(today - dt.timedelta(days=32), 9, zone="Europe/Rome"),
    )

    def day(offset: int | dt.date, hour: int = 10) -> dt.datetime:
        """A moment in Bologna: ``offset`` days from today (or that date) at ``hour``."""
        on = offset if isinstance(offset, dt.date) else today + dt.timedelta(days=offset)
        return at(on, hour, zone="Europe/Rome")

    # 1. The garden: an ordinary pact in its third year, with two reports.
    start = years_before(today, 2) - dt.timedelta(days=60)
    ends = years_before(start, -3) - dt.timedelta(days=1)
    garden, new = _pact(
        commons["giardino-bolognina"], "Caring for the Fioravanti garden", nikos,
        kind="ordinary", objectives="Open, weed and water the garden; Saturday workshops for children.",
        starts_on=start, ends_on=ends,
        resources_requested="Gloves, tools, water access, insurance of the volunteers.",
        reporting_duties="A report every year, with photos and hours contributed.",
    )  # fmt: skip
    if new:
        _commit(garden, "Tools, gloves, green waste collection and insurance.", "Weekly care.")
        for action, actor, reason in (
            ("submit", nikos, ""), ("take_up", giulia, ""),
            ("approve", giulia, "Small-scale care of a public garden: ordinary pact."),
        ):  # fmt: skip
            garden = services.pact_transition(
                pact=garden, action=action, actor=actor, reason=reason
            )
        for party in garden.parties.all():
            services.pact_sign(
                pact=garden, party=party, actor=giulia if party.role == "city" else nikos
            )
        garden = services.pact_transition(pact=garden, action="activate", actor=giulia)
        for year, hours in ((1, 320), (2, 410)):
            services.report_file(
                pact=garden, actor=nikos, period_start=start, period_end=start,
                summary=f"Year {year}: the garden was open every Saturday.", hours=hours,
                indicator_values={"Open days": str(40 + year * 5), "Volunteers involved": str(10 + year * 4)},
            )  # fmt: skip
    Pact.objects.filter(pk=garden.pk).update(starts_on=start, ends_on=ends)
    years = [
        (years_before(start, -y), years_before(start, -y - 1) - dt.timedelta(days=1))
        for y in (0, 1)
    ]
    _timeline(
        garden,
        # drafted, submitted, taken up, approved, signed, started, two yearly reports
        [day(start - dt.timedelta(days=d)) for d in (45, 40, 35)]
        + [day(start - dt.timedelta(days=22), 15), day(start - dt.timedelta(days=12), 17), day(start, 9)]
        + [day(end + dt.timedelta(days=20), 18) for _s, end in years],
        reports=years,
    )  # fmt: skip

    # 2. The digital library: a complex pact, through the public window and co-design, signed.
    lib_start = today - dt.timedelta(days=240)
    library, new = _pact(
        commons["biblioteca-digitale"], "Shared management of the neighbourhood digital library",
        james, kind="complex", level=Pact.Level.SHARED, starts_on=lib_start,
        ends_on=years_before(lib_start, -3),
        objectives="Run the shared catalogue with the city's libraries: volunteers lend tools and "
        "books between neighbours, the libraries keep the catalogue online.",
        resources_offered="Volunteers at the lending desks, two evenings a week.",
        resources_requested="Hosting of the catalogue, a desk in each neighbourhood library.",
        reporting_duties="A report every six months: loans, volunteers, hours.",
    )  # fmt: skip
    if new:
        _commit(library, "Hosting and a desk in each library.", "Two evenings a week at the desks.")
        for action, actor, reason in (
            ("submit", james, ""), ("take_up", giulia, ""),
            ("open_window", giulia, "Shared management of a city service: 60-day public window."),
            ("start_co_design", giulia, "Window closed with no competing proposal."),
        ):  # fmt: skip
            library = services.pact_transition(
                pact=library, action=action, actor=actor, reason=reason
            )
        services.draft_save(
            pact=library, actor=james,
            text=library.shared_draft + "\n- Lending desks open Tuesday and Thursday evenings.\n",
            note="opening hours agreed with the libraries",
        )  # fmt: skip
        for party in library.parties.all():
            services.pact_sign(
                pact=library, party=party, actor=giulia if party.role == "city" else james
            )
        library = services.pact_transition(pact=library, action="activate", actor=giulia)
        services.report_file(
            pact=library, actor=james, period_start=lib_start, period_end=lib_start,
            summary="First six months: 1,240 loans, 18 volunteers at the desks.", hours=260,
            indicator_values={"Open days": "52", "Volunteers involved": "18"},
        )  # fmt: skip
    Pact.objects.filter(pk=library.pk).update(
        starts_on=lib_start, ends_on=years_before(lib_start, -3)
    )
    half = (lib_start, lib_start + dt.timedelta(days=181))
    _timeline(
        library,
        # drafted, submitted, taken up, window opened, co-design, signed, started, first report
        [day(lib_start - dt.timedelta(days=d)) for d in (200, 198, 190, 180)]
        + [day(lib_start - dt.timedelta(days=118), 11), day(lib_start - dt.timedelta(days=40), 16)]
        + [day(lib_start, 9), day(half[1] + dt.timedelta(days=19), 18)],
        versions=[day(lib_start - dt.timedelta(days=118), 11), day(lib_start - dt.timedelta(days=90), 15)],
        reports=[half],
    )  # fmt: skip

    # 3. The vacant school: a complex pact in co-design now, a competing proposal merged into it.
    school = commons["ex-scuola-corticella"]
    hub_start = today + dt.timedelta(days=60)
    hub, new = _pact(
        school, "A neighbourhood hub in the former Corticella school", ana, kind="complex",
        level=Pact.Level.REGENERATION, starts_on=hub_start,
        ends_on=years_before(hub_start, -5),
        objectives="Reopen the ground floor as a neighbourhood hub: homework club, repair café.",
        resources_offered="Volunteer work, furniture, a repair-café team.",
        resources_requested="Safety works on the ground floor, utilities for the first year.",
    )  # fmt: skip
    rival = Pact.objects.filter(
        commons=school, title="Music rooms in the Corticella school"
    ).first()
    if new:
        _commit(
            hub, "Safety works and utilities for the first year.", "Open the hub 5 days a week."
        )
        for action, reason in (
            ("submit", ""),
            ("take_up", ""),
            ("open_window", "Giunta decision: 60-day public window."),
        ):
            actor = ana if action == "submit" else giulia
            hub = services.pact_transition(pact=hub, action=action, actor=actor, reason=reason)
        services.comment_add(
            pact=hub, author=claire, body="Could the courtyard stay open in summer?"
        )
        rival, _ = _pact(
            school, "Music rooms in the Corticella school", youssef, kind="complex",
            level=Pact.Level.SHARED, competes_with=hub, starts_on=hub_start,
            ends_on=years_before(hub_start, -4),
            objectives="Rehearsal rooms for young bands on the first floor.",
        )  # fmt: skip
        _commit(rival, "Sound-proofing of two rooms.", "Run the rehearsal rooms.")
        services.pact_transition(pact=rival, action="submit", actor=youssef)
        services.pact_transition(
            pact=rival, action="merge", actor=giulia,
            reason="Both proposals fit the building: one co-design with the two groups.",
        )  # fmt: skip
        hub = services.pact_transition(
            pact=hub, action="start_co_design", actor=giulia,
            reason="Window closed with 1 comment and 1 competing proposal (merged).",
        )  # fmt: skip
        services.draft_save(
            pact=hub, actor=ana, text=hub.shared_draft + "\n- Courtyard open in summer evenings.\n",
            note="answer to the public comment",
        )  # fmt: skip
    Pact.objects.filter(pk=hub.pk).update(starts_on=hub_start, ends_on=years_before(hub_start, -5))
    # drafted, submitted, taken up, window opened, rival merged, co-design (due in 90 days)
    _timeline(
        hub,
        [day(d) for d in (-100, -98, -92, -85, -28)] + [day(-24, 15)],
        versions=[day(-24, 15), day(-10, 18)],
        comments=[day(-60, 20)],
    )
    if rival is not None:
        Pact.objects.filter(pk=rival.pk).update(
            starts_on=hub_start, ends_on=years_before(hub_start, -4)
        )
        _timeline(rival, [day(-70), day(-69), day(-28)])

    # 4. A rejected proposal, with its reason.
    square = commons["piazza-pilastro"]
    rejected, new = _pact(
        square, "Private parking on Piazza Lipparini", claire, kind="ordinary",
        level=Pact.Level.OCCASIONAL, starts_on=today - dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=300),
        objectives="Reserve half the square for residents' cars.",
    )  # fmt: skip
    if new:
        _commit(rejected, "Signs.", "Manage the parking rota.")
        services.pact_transition(pact=rejected, action="submit", actor=claire)
        services.pact_transition(pact=rejected, action="take_up", actor=giulia)
        services.pact_transition(
            pact=rejected, action="reject", actor=giulia,
            reason="A pact cares for a commons for everyone's use; reserving it for some "
            "residents' cars is not a collaboration pact.",
        )  # fmt: skip
    _timeline(rejected, [day(d) for d in (-50, -49, -44, -38)])

    # 5. A proposal overdue for review: under review for 75 days, 60 allowed.
    late, new = _pact(
        square, "Benches and shade for Piazza Lipparini", youssef, kind="ordinary",
        level=Pact.Level.OCCASIONAL, starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=400),
        objectives="Build and paint six benches; plant four trees with the school.",
    )  # fmt: skip
    if new:
        _commit(late, "Wood, paint, four trees.", "Build, paint and water.")
        services.pact_transition(pact=late, action="submit", actor=youssef)
        services.pact_transition(pact=late, action="take_up", actor=giulia)
    Pact.objects.filter(pk=late.pk).update(
        starts_on=today + dt.timedelta(days=30), ends_on=today + dt.timedelta(days=400)
    )
    _timeline(late, [day(d) for d in (-80, -79, -75)])
    del now
    from cocity.core.demo.images import attach_cover  # drawn covers (decorative), once per row

    for row in [*Commons.objects.filter(cover=""), *Pact.objects.filter(cover="")]:
        attach_cover(
            row, seed=f"{row._meta.label}:{getattr(row, 'slug', '') or getattr(row, 'title', '')}"
        )
    return {
        "commons": Commons.objects.count(),
        "calls for care": CallForCare.objects.count(),
        "collaboration pacts": Pact.objects.count(),
    }
