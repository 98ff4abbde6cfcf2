# mypy: disable-error-code="arg-type,assignment"
"""Demo events from the seed documents (shared/seeds), as they are written, plus a few upcoming
ones placed relative to today so the list of upcoming events is never empty. Idempotent: keyed by
slugs; tracks by name, sessions by start, registrations by person.

* The Enabler Series webinar "Defending Meaningful Urban Co-production at Scale", 16 April 2026,
  15:00-17:00 Europe/Paris (also shown in Europe/London), four speakers, FR->EN and EN->FR.
* The manifesto presentation in Paris (11 May 2026, 17:00) and the two other webinars of the
  Dialogues in Coproduction (11 June and 24 September 2026).
* The UCLG / GPR2C commoning peer-learning cycle in two tracks: Thursdays 23 and 30 May
  15:00-17:30 and Fridays 24 and 31 May 9:00-11:30 (2024, the years those weekdays fall on),
  Central European time, kept as Europe/Paris wall-clock times.
* The EUROCITIES study visits (Barcelona 24-26 April, Toulouse 9-10 April 2019) and the Urban
  Academy in Antwerp (21-22 May 2019): past events with attendance marked.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cocity.core.demo import DEMO_DOMAIN
from cocity.network.models import Organisation, Space, Territory, Topic

from .models import Event, Material, Question, Registration, Series, Session, Speaker, Track
from .services import local_to_utc

PARIS = "Europe/Paris"


def _series(
    slug: str,
    name: str,
    space_slug: str,
    parent: Series | None,
    summary: str,
    description: str = "",
) -> Series:
    series, _created = Series.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "space": Space.objects.get(slug=space_slug),
            "parent": parent,
            "summary": summary,
            "description": description,
        },
    )
    return series


def _event(
    slug: str,
    *,
    space: str,
    orgs: list[str] = (),
    topics: list[str] = (),
    city: str | None = None,
    **fields: Any,
) -> Event:
    fields.setdefault("status", Event.Status.PUBLISHED)
    fields["space"] = Space.objects.get(slug=space)
    fields["territory"] = Territory.objects.filter(code=city).first() if city else None
    event, _created = Event.objects.update_or_create(slug=slug, defaults=fields)
    event.organisations.set(Organisation.objects.filter(slug__in=orgs))
    event.topics.set(Topic.objects.filter(slug__in=topics))
    return event


def _track(
    event: Event,
    name: str,
    sessions: list[tuple[date, time, time]],
    *,
    capacity: int | None = None,
    zone: str = PARIS,
    description: str = "",
    position: int = 0,
    end_days: int = 0,
) -> Track:
    track, _created = Track.objects.update_or_create(
        event=event,
        name=name,
        defaults={"capacity": capacity, "description": description, "position": position},
    )
    for day, start, end in sessions:
        start_at = local_to_utc(day=day, at=start, zone_name=zone)
        end_at = local_to_utc(day=day + timedelta(days=end_days), at=end, zone_name=zone)
        Session.objects.update_or_create(
            track=track, start=start_at, defaults={"end": end_at, "time_zone": zone}
        )
    bounds = Session.objects.filter(track__event=event).order_by("start")
    first, last = bounds.first(), bounds.order_by("-end").first()
    Event.objects.filter(pk=event.pk).update(
        starts_at=first.start if first else None, ends_at=last.end if last else None
    )
    return track


def _speakers(event: Event, people: list[tuple[str, str, str]]) -> None:
    for position, (name, affiliation, role) in enumerate(people):
        Speaker.objects.update_or_create(
            event=event,
            name=name,
            defaults={"affiliation": affiliation, "role": role, "position": position},
        )


def _register(track: Track, locals_: list[str], *, attended: bool | None = None) -> int:
    """Demo registrations written directly (no mail), keeping the track's count exact."""
    User = get_user_model()
    made = 0
    for local in locals_:
        user = User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()
        if user is None:
            continue
        registration, created = Registration.objects.get_or_create(
            event=track.event,
            user=user,
            defaults={"track": track, "status": Registration.Status.CONFIRMED},
        )
        if attended is not None and registration.attended is None:
            registration.attended = attended if local != locals_[-1] else False
            registration.save(update_fields=["attended"])
        made += created
    Track.objects.filter(pk=track.pk).update(
        confirmed_count=Registration.objects.filter(
            track=track, status=Registration.Status.CONFIRMED
        ).count()
    )
    return made


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


@transaction.atomic
def build() -> dict[str, int]:
    D = datetime
    dialogues = _series(
        "dialogues-in-coproduction",
        "Dialogues in Coproduction",
        "dialogues-in-coproduction",
        None,
        "An online public seminar series dedicated to the co-production of just cities.",
        "The Dialogues in Coproduction help consolidate an international community of practice "
        "exploring real-life experiments that address the growing social, spatial, "
        "environmental and political inequalities in our cities. They are open to residents, "
        "activists, academics and professionals, alongside civil-society organisations and "
        "local governments.",
    )
    enabler = _series(
        "enabler-series",
        "Enabler Series",
        "enabler-series",
        dialogues,
        "The conditions that enable meaningful co-production to develop.",
        "The **Enabler Series** focuses on the conditions that enable meaningful co-production to "
        "develop and to shape the practices, policies, plans, services and places that "
        "communities push for. Beyond co-learning and networking, it helps formulate "
        "consolidated demands and propositions to strengthen co-production in the wider "
        "European region (and beyond).",
    )
    webinar = {
        "kind": Event.Kind.WEBINAR,
        "format": Event.Format.ONLINE,
        "time_zone": PARIS,
        "extra_zones": ["Europe/London"],
        "languages": ["en", "fr"],
        "interpretation": ["fr>en", "en>fr"],
    }
    defending = _event(
        "defending-meaningful-urban-co-production-at-scale",
        space="enabler-series",
        series=enabler,
        orgs=["fairville"],
        topics=["co-production", "right-to-the-city"],
        title="Defending Meaningful Urban Co-production at Scale",
        summary="Hard to establish yet quick to unravel, openings for co-produced city making "
        "and management must be actively maintained and defended.",
        description="Hard to establish yet quick to unravel, openings for co-produced city "
        "making and management must be actively maintained and defended. Drawing on case "
        "material from across Europe, this dialogue will shine a light on different approaches "
        "to securing the future of co-production practices at scale.\n\n"
        "French/English, English/French interpretation will be available throughout the event.\n\n"
        "Register to receive access to the Zoom link.",
        online_url="https://zoom.example.org/j/fairville-enabler-defending",
        **webinar,
    )
    _speakers(
        defending,
        [
            ("Marie Garmadi", "l'Observatoire des libertés associatives", Speaker.Role.INPUT),
            ("Saskia O'Hara", "Public Interest Law Centre", Speaker.Role.INPUT),
            ("Julian Sivrano", "Autonomy", Speaker.Role.INPUT),
            ("Agnès Deboulet", "CNRS/Paris 8", Speaker.Role.COMMENT),
        ],
    )
    Question.objects.update_or_create(
        event=defending, label="Organisation", defaults={"required": True, "position": 0}
    )
    Question.objects.update_or_create(
        event=defending,
        label="Interpretation or accessibility needs",
        defaults={"required": False, "position": 1},
    )
    t = _track(defending, "Webinar", [(date(2026, 4, 16), time(15), time(17))], capacity=300)
    regs = _register(t, ["amina", "sophie", "james", "claire", "youssef", "nikos"], attended=True)

    manifesto = _event(
        "manifesto-just-democratic-housing-paris",
        space="dialogues-in-coproduction",
        series=dialogues,
        orgs=["fairville"],
        city="FR-PAR",
        topics=["housing", "co-production"],
        title="A Manifesto for Just and Democratic Housing for European Cities",
        summary="In-person presentation in Paris; details to be confirmed.",
        kind=Event.Kind.PRESENTATION,
        format=Event.Format.IN_PERSON,
        time_zone=PARIS,
        venue_name="Paris (venue to be confirmed)",
        languages=["fr", "en"],
    )
    t = _track(manifesto, "Presentation", [(date(2026, 5, 11), time(17), time(19))], capacity=80)
    regs += _register(t, ["claire", "sophie", "pieter"], attended=True)

    from_below = _event(
        "co-producing-the-city-from-below-brazil-france",
        space="enabler-series",
        series=enabler,
        orgs=["fairville"],
        topics=["co-production", "right-to-the-city"],
        title="Co-producing the City from below - from Brazil to France",
        summary="Webinar of the Dialogues in Coproduction.",
        online_url="https://zoom.example.org/j/fairville-enabler-from-below",
        **webinar,
    )
    t = _track(from_below, "Webinar", [(date(2026, 6, 11), time(15), time(17))], capacity=300)
    regs += _register(t, ["ana", "amina", "lena"], attended=True)

    learnings = _event(
        "enabling-meaningful-urban-co-production-key-learnings",
        space="enabler-series",
        series=enabler,
        orgs=["fairville"],
        topics=["co-production"],
        title="Enabling Meaningful Urban Co-production at Scale - Key Learnings",
        summary="Closing webinar of the Enabler Series.",
        online_url="https://zoom.example.org/j/fairville-enabler-learnings",
        **webinar,
    )
    t = _track(learnings, "Webinar", [(date(2026, 9, 24), time(15), time(17))], capacity=300)
    regs += _register(t, ["lena", "nikos", "james", "giulia"], attended=True)

    commoning = _event(
        "commoning-peer-learning-2024",
        space="commoning-peer-learning",
        orgs=["uclg", "gpr2c"],
        topics=["commons", "basic-services"],
        title="Peer learning on commoning and public-community innovation",
        summary="How local and regional governments can engage in and benefit from commoning "
        "practices and public-community innovation, with a focus on basic service provision.",
        description="From remunicipalisation of basic services to co-management of services and "
        "public facilities, or inclusive public procurement to support the social and solidarity "
        "economy, there is a vast space for public-community innovation through commoning.\n\n"
        "Sessions take place at two different times to allow participation from all across the "
        "world: **attend the track that best fits your time zone.**\n\n"
        "For questions: learning [at] uclg.org.",
        kind=Event.Kind.PEER_LEARNING,
        format=Event.Format.ONLINE,
        time_zone=PARIS,
        extra_zones=["America/Sao_Paulo", "Asia/Seoul"],
        languages=["en", "fr", "es"],
        online_url="https://zoom.example.org/j/uclg-commoning",
    )
    west = _track(
        commoning,
        "Thursdays (Western Hemisphere: Americas, Europe, Africa)",
        [(date(2024, 5, 23), time(15), time(17, 30)), (date(2024, 5, 30), time(15), time(17, 30))],
        capacity=60,
        position=0,
    )
    east = _track(
        commoning,
        "Fridays (Eastern Hemisphere: Asia-Pacific, Middle East, Europe, Africa)",
        [(date(2024, 5, 24), time(9), time(11, 30)), (date(2024, 5, 31), time(9), time(11, 30))],
        capacity=60,
        position=1,
    )
    regs += _register(west, ["ana", "giulia", "amina"], attended=True)
    regs += _register(east, ["minjun", "youssef"], attended=True)
    for position, (title, kind, url) in enumerate(
        [
            (
                "Concept note",
                Material.Kind.CONCEPT_NOTE,
                "https://www.uclg.org/commoning-concept-note",
            ),
            (
                "(Global) Commons Policy Paper, UCLG World Congress, Daejeon",
                Material.Kind.POLICY_PAPER,
                "https://www.uclg.org/commons-policy-paper",
            ),
        ]
    ):
        Material.objects.update_or_create(
            event=commoning, title=title, defaults={"kind": kind, "url": url, "position": position}
        )

    visits = [
        (
            "study-visit-barcelona-education-2019",
            "Study visit to the education authorities in Barcelona",
            "wg-inclusion-through-education",
            "ES-BCN",
            ["education"],
            Event.Kind.STUDY_VISIT,
            date(2019, 4, 24),
            3,
            "Organised in the framework of the Working Group inclusion through education.",
            ["pieter", "giulia", "sophie"],
        ),
        (
            "study-visit-toulouse-roma-housing-2019",
            "Policy transfer study visit to Toulouse on Roma access to housing",
            "eurocities-social-affairs",
            "FR-TLS",
            ["roma-inclusion", "housing"],
            Event.Kind.STUDY_VISIT,
            date(2019, 4, 9),
            2,
            "How can cities support Roma to move from camps into adequate housing?",
            ["pieter", "claire", "giulia"],
        ),
        (
            "urban-academy-integration-antwerp-2019",
            "Urban Academy on Integration of Migrants and Refugees",
            "eurocities-social-affairs",
            "BE-ANR",
            ["migration"],
            Event.Kind.ACADEMY,
            date(2019, 5, 21),
            2,
            "City representatives are warmly invited to take part in the Urban "
            "Academy on the Integration of Migrants and Refugees in Antwerp.",
            ["pieter", "giulia", "sophie", "james"],
        ),
        (
            "wg-smart-social-inclusion-glasgow-2019",
            "WG Smart Social Inclusion meeting",
            "wg-smart-social-inclusion",
            "GB-GLA",
            ["digital-inclusion"],
            Event.Kind.WORKSHOP,
            date(2019, 3, 27),
            1,
            "Meeting of the working group in Glasgow.",
            ["james", "pieter"],
        ),
    ]
    for slug, title, space, city, topics, kind, first_day, days, summary, people in visits:
        zone = (
            "Europe/London"
            if city.startswith("GB")
            else "Europe/Brussels"
            if city.startswith("BE")
            else PARIS
        )
        event = _event(
            slug,
            space=space,
            orgs=["eurocities"],
            city=city,
            topics=topics,
            title=title,
            summary=summary,
            kind=kind,
            format=Event.Format.IN_PERSON,
            time_zone=zone,
            languages=["en"],
            venue_name=Territory.objects.get(code=city).name,
        )
        t = _track(
            event,
            "Programme",
            [(first_day + timedelta(days=i), time(9), time(17, 30)) for i in range(days)],
            capacity=30,
            zone=zone,
        )
        regs += _register(t, people, attended=True)

    # Upcoming, relative to today.
    today = timezone.localdate()
    thursday = _next_weekday(today + timedelta(days=14), 3)
    winter = _event(
        "enabler-winter-dialogue-commons-and-housing",
        space="enabler-series",
        series=enabler,
        orgs=["fairville"],
        topics=["co-production", "housing"],
        title="Winter dialogue: commons and housing",
        summary="The Enabler Series continues: community land trusts, housing co-operatives "
        "and the city.",
        online_url="https://zoom.example.org/j/fairville-enabler-winter",
        **webinar,
    )
    Question.objects.update_or_create(
        event=winter, label="Organisation", defaults={"required": True, "position": 0}
    )
    Question.objects.update_or_create(
        event=winter,
        label="Interpretation or accessibility needs",
        defaults={"required": False, "position": 1},
    )
    t = _track(winter, "Webinar", [(thursday, time(15), time(17))], capacity=100)
    regs += _register(t, ["amina", "james"])
    # A cycle on both sides of a daylight-saving change (Europe: last Sunday of March/October).
    year = today.year + (1 if today.month >= 3 else 0)
    march_end = date(year, 3, 31)
    dst_sunday = march_end - timedelta(days=(march_end.weekday() + 1) % 7)
    thursdays = [dst_sunday - timedelta(days=10), dst_sunday + timedelta(days=4)]
    cycle = _event(
        "commoning-peer-learning-next-cycle",
        space="commoning-peer-learning",
        orgs=["uclg", "gpr2c"],
        topics=["commons", "basic-services"],
        title="Commoning peer learning: next cycle",
        summary="Two tracks again: Thursdays for the Western Hemisphere, Fridays for the Eastern. "
        "The clocks change between the sessions; each stays at the same local time in Paris.",
        kind=Event.Kind.PEER_LEARNING,
        format=Event.Format.ONLINE,
        time_zone=PARIS,
        extra_zones=["America/Sao_Paulo", "Asia/Seoul"],
        languages=["en", "fr", "es"],
        online_url="https://zoom.example.org/j/uclg-commoning-next",
    )
    _track(
        cycle,
        "Thursdays (Western Hemisphere)",
        [(d, time(15), time(17, 30)) for d in thursdays],
        capacity=60,
        position=0,
    )
    _track(
        cycle,
        "Fridays (Eastern Hemisphere)",
        [(d + timedelta(days=1), time(9), time(11, 30)) for d in thursdays],
        capacity=60,
        position=1,
    )
    workshop = _event(
        "belle-de-mai-housing-workshop",
        space="fairville-lab-marseille",
        orgs=["fairville"],
        city="FR-MRS",
        topics=["housing", "citizen-engagement"],
        title="Belle de Mai: housing workshop with residents",
        summary="An evening workshop of the Fairville Lab Marseille.",
        kind=Event.Kind.WORKSHOP,
        format=Event.Format.HYBRID,
        time_zone=PARIS,
        venue_name="Friche la Belle de Mai",
        venue_address="41 rue Jobin, 13003 Marseille",
        languages=["fr"],
        online_url="https://meet.example.org/belle-de-mai",
    )
    _track(
        workshop,
        "Workshop",
        [(_next_weekday(today + timedelta(days=7), 1), time(18), time(20, 30))],
        capacity=25,
    )
    del D
    # Written directly (not through the services): forget the list's cached choices.
    return {
        "event series": Series.objects.count(),
        "events": Event.objects.count(),
        "event registrations": Registration.objects.count(),
    }
