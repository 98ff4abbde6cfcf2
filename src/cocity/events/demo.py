# mypy: disable-error-code="arg-type,assignment"
"""Demo events from the seed documents (shared/seeds), every date placed relative to the day the
demo is built (``cocity.core.demo``), so the story holds whatever the day. Idempotent: keyed by
slugs; tracks by name, sessions by start (a track's sessions are re-anchored on each run),
registrations by person.

* The Dialogues in Coproduction, in the seed's order: the Enabler Series webinar "Defending
  Meaningful Urban Co-production at Scale" (its four speakers, FR<>EN interpretation) eight weeks
  ago, with its recording and slides; the manifesto presentation in Paris five weeks ago; the
  webinar "Co-producing the City from below - from Brazil to France" three weeks ahead, open for
  registration, with speakers and interpretation; the closing "Key Learnings" webinar later.
* The UCLG / GPR2C commoning peer learning: a first cycle seven months ago and the next cycle to
  come, each in two hemisphere tracks (Thursday afternoons for the Western Hemisphere, Friday
  mornings for the Eastern), the next one across a European daylight-saving change.
* The EUROCITIES study visits (Barcelona, Toulouse, Glasgow) and the Urban Academy in Antwerp of
  2019, as the seed dates them: history, with attendance marked.
* A workshop of the Fairville Lab Marseille, in French, next week.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cocity.core.demo import DEMO_DOMAIN, on_or_after, on_or_before
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
    starts = []
    for day, start, end in sessions:
        start_at = local_to_utc(day=day, at=start, zone_name=zone)
        end_at = local_to_utc(day=day + timedelta(days=end_days), at=end, zone_name=zone)
        Session.objects.update_or_create(
            track=track, start=start_at, defaults={"end": end_at, "time_zone": zone}
        )
        starts.append(start_at)
    # Built on another day, the demo moves its sessions: the ones of an earlier run go.
    Session.objects.filter(track=track).exclude(start__in=starts).delete()
    bounds = Session.objects.filter(track__event=event).order_by("start")
    first, last = bounds.first(), bounds.order_by("-end").first()
    Event.objects.filter(pk=event.pk).update(
        starts_at=first.start if first else None,
        ends_at=last.end if last else None,
        # Announced a month before it starts (never after now), not on the day the demo ran.
        created_at=min(timezone.now(), first.start - timedelta(days=30))
        if first
        else timezone.now(),
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
    # Registered a week before the first session (or now, for what is still to come).
    first = track.sessions.order_by("start").values_list("start", flat=True).first()
    if first is not None:
        Registration.objects.filter(track=track, created_at__gt=first - timedelta(days=7)).update(
            created_at=min(timezone.now(), first - timedelta(days=7))
        )
    Track.objects.filter(pk=track.pk).update(
        confirmed_count=Registration.objects.filter(
            track=track, status=Registration.Status.CONFIRMED
        ).count()
    )
    return made


def _materials(event: Event, items: list[tuple[str, str, str]]) -> None:
    for position, (title, kind, url) in enumerate(items):
        Material.objects.update_or_create(
            event=event, title=title, defaults={"kind": kind, "url": url, "position": position}
        )


def _questions(event: Event) -> None:
    Question.objects.update_or_create(
        event=event, label="Organisation", defaults={"required": True, "position": 0}
    )
    Question.objects.update_or_create(
        event=event,
        label="Interpretation or accessibility needs",
        defaults={"required": False, "position": 1},
    )


def _after_holidays(day: date) -> date:
    """Nobody holds a webinar between Christmas and New Year: a day from 20 December to
    6 January moves to the same weekday in the second week of January."""
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6):
        year = day.year + 1 if day.month == 12 else day.year
        return on_or_after(date(year, 1, 7), day.weekday())
    return day


def _last_sunday(year: int, month: int) -> date:
    """Europe's clocks change on the last Sunday of March and of October."""
    last = date(year, month + 1, 1) - timedelta(days=1)
    return on_or_before(last, 6)


def _cycle_thursdays(today: date) -> list[date]:
    """Two Thursdays on either side of the first European clock change at least four weeks
    ahead: the next peer-learning cycle starts at least two weeks from today."""
    changes = sorted(_last_sunday(y, m) for y in (today.year, today.year + 1) for m in (3, 10))
    change = next(c for c in changes if c - timedelta(days=10) >= today + timedelta(days=14))
    return [change - timedelta(days=10), change + timedelta(days=4)]


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
    today = timezone.localdate()
    # The seed's order, around today: Defending (past), manifesto (past), from below (next),
    # key learnings (later). Webinars on Thursdays, the presentation on a Monday.
    defending_day = on_or_before(today - timedelta(days=56), 3)
    manifesto_day = on_or_before(today - timedelta(days=35), 0)
    from_below_day = _after_holidays(on_or_after(today + timedelta(days=21), 3))
    learnings_day = _after_holidays(on_or_after(today + timedelta(days=70), 3))
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
        "material from across Europe, this dialogue shone a light on different approaches "
        "to securing the future of co-production practices at scale.\n\n"
        "French/English, English/French interpretation was available throughout the event. "
        "The recording and the slides are below.",
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
    _questions(defending)
    t = _track(defending, "Webinar", [(defending_day, time(15), time(17))], capacity=300)
    regs = _register(t, ["amina", "sophie", "james", "claire", "youssef", "nikos"], attended=True)
    _materials(
        defending,
        [
            (
                "Recording of the webinar (English and French)",
                Material.Kind.OTHER,
                "https://video.example.org/fairville/defending-co-production-at-scale",
            ),
            (
                "Slides of the four inputs",
                Material.Kind.SLIDES,
                "https://fairville-eu.org/dialogues/defending-co-production-at-scale-slides.pdf",
            ),
        ],
    )

    manifesto = _event(
        "manifesto-just-democratic-housing-paris",
        space="dialogues-in-coproduction",
        series=dialogues,
        orgs=["fairville"],
        city="FR-PAR",
        topics=["housing", "co-production"],
        title="Un manifeste pour un logement juste et démocratique dans les villes européennes",
        summary="Présentation publique à Paris du manifeste des Dialogues in Coproduction pour "
        "le logement.",
        description="Le manifeste rassemble les demandes des labs Fairville et de leurs "
        "partenaires : encadrement des loyers, droit au maintien dans les lieux, place des "
        "habitants dans les projets de rénovation. Présentation en français, questions en "
        "français et en anglais.",
        kind=Event.Kind.PRESENTATION,
        format=Event.Format.IN_PERSON,
        time_zone=PARIS,
        venue_name="Maison des associations, Paris 18e",
        # Approximate map point (from memory of the map, not surveyed): passage Ramey, 18e.
        latitude=Decimal("48.88920"),
        longitude=Decimal("2.34710"),
        languages=["fr", "en"],
    )
    Track.objects.filter(event=manifesto, name="Presentation").update(name="Présentation")
    t = _track(manifesto, "Présentation", [(manifesto_day, time(17), time(19))], capacity=80)
    regs += _register(t, ["claire", "sophie", "pieter"], attended=True)

    from_below = _event(
        "co-producing-the-city-from-below-brazil-france",
        space="enabler-series",
        series=enabler,
        orgs=["fairville", "gpr2c"],
        topics=["co-production", "right-to-the-city"],
        title="Co-producing the City from below - from Brazil to France",
        summary="Housing movements in São Paulo and residents' collectives in Marseille: what "
        "co-production from below asks of city governments.",
        description="From the occupations of central São Paulo to the residents' collectives "
        "of la Belle de Mai in Marseille, people co-produce their city from below, often before "
        "any public policy invites them. This dialogue compares both experiences and asks what "
        "city governments must change to work with them.\n\n"
        "French/English, English/French interpretation is available throughout the event.\n\n"
        "Register to receive the link to the online meeting.",
        online_url="https://zoom.example.org/j/fairville-enabler-from-below",
        **webinar,
    )
    _speakers(
        from_below,
        [
            ("Ana Souza", "Global Platform for the Right to the City", Speaker.Role.INPUT),
            ("Sophie Martin", "Fairville Lab Marseille", Speaker.Role.INPUT),
            ("Agnès Deboulet", "CNRS/Paris 8", Speaker.Role.COMMENT),
            ("Lena Schmidt", "Fairville", Speaker.Role.MODERATOR),
        ],
    )
    User = get_user_model()
    for name, local in (
        ("Ana Souza", "ana"),
        ("Sophie Martin", "sophie"),
        ("Lena Schmidt", "lena"),
    ):
        Speaker.objects.filter(event=from_below, name=name).update(
            person=User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()
        )
    _questions(from_below)
    t = _track(from_below, "Webinar", [(from_below_day, time(15), time(17))], capacity=300)
    regs += _register(t, ["amina", "james", "youssef"])

    learnings = _event(
        "enabling-meaningful-urban-co-production-key-learnings",
        space="enabler-series",
        series=enabler,
        orgs=["fairville"],
        topics=["co-production"],
        title="Enabling Meaningful Urban Co-production at Scale - Key Learnings",
        summary="Closing webinar of the Enabler Series: what the labs learned, and the demands "
        "they take to city governments.",
        online_url="https://zoom.example.org/j/fairville-enabler-learnings",
        **webinar,
    )
    _speakers(
        learnings,
        [
            ("Nikos Papadopoulos", "Fairville Lab Athens", Speaker.Role.INPUT),
            ("Amina Diallo", "Fairville Lab Dakar", Speaker.Role.INPUT),
            ("James Okafor", "Public Interest Law Centre", Speaker.Role.COMMENT),
            ("Lena Schmidt", "Fairville", Speaker.Role.MODERATOR),
        ],
    )
    _questions(learnings)
    t = _track(learnings, "Webinar", [(learnings_day, time(15), time(17))], capacity=300)
    regs += _register(t, ["lena", "nikos"])

    # The first peer-learning cycle, seven months ago, in two hemisphere tracks.
    first_thursday = on_or_before(today - timedelta(days=210), 3)
    Event.objects.filter(slug="commoning-peer-learning-2024").update(
        slug="commoning-peer-learning-first-cycle"
    )
    commoning = _event(
        "commoning-peer-learning-first-cycle",
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
        [
            (first_thursday, time(15), time(17, 30)),
            (first_thursday + timedelta(days=7), time(15), time(17, 30)),
        ],
        capacity=60,
        position=0,
    )
    east = _track(
        commoning,
        "Fridays (Eastern Hemisphere: Asia-Pacific, Middle East, Europe, Africa)",
        [
            (first_thursday + timedelta(days=1), time(9), time(11, 30)),
            (first_thursday + timedelta(days=8), time(9), time(11, 30)),
        ],
        capacity=60,
        position=1,
    )
    regs += _register(west, ["ana", "giulia", "amina"], attended=True)
    regs += _register(east, ["minjun", "youssef"], attended=True)
    _materials(
        commoning,
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
        ],
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

    # No longer part of the story (a webinar without speakers): gone on a rebuild.
    Event.objects.filter(slug="enabler-winter-dialogue-commons-and-housing").delete()
    # The next cycle, on both sides of a daylight-saving change (Europe: last Sunday of March or
    # October): each session stays at the same local time in Paris.
    thursdays = _cycle_thursdays(today)
    cycle = _event(
        "commoning-peer-learning-next-cycle",
        space="commoning-peer-learning",
        orgs=["uclg", "gpr2c"],
        topics=["commons", "basic-services"],
        title="Commoning peer learning: next cycle",
        summary="Two tracks again: Thursdays for the Western Hemisphere, Fridays for the Eastern. "
        "The clocks change between the sessions; each stays at the same local time in Paris.",
        description="The second cycle of the peer learning on commoning and public-community "
        "innovation: co-management agreements for basic services, with cities from both "
        "hemispheres. **Attend the track that best fits your time zone.**",
        kind=Event.Kind.PEER_LEARNING,
        format=Event.Format.ONLINE,
        time_zone=PARIS,
        extra_zones=["America/Sao_Paulo", "Asia/Seoul"],
        languages=["en", "fr", "es"],
        interpretation=["en>fr", "en>es"],
        online_url="https://zoom.example.org/j/uclg-commoning-next",
    )
    _speakers(
        cycle,
        [
            ("Ana Souza", "Global Platform for the Right to the City", Speaker.Role.HOST),
            ("Min-jun Park", "UCLG", Speaker.Role.HOST),
            ("Giulia Rossi", "Comune di Bologna", Speaker.Role.INPUT),
        ],
    )
    west = _track(
        cycle,
        "Thursdays (Western Hemisphere)",
        [(d, time(15), time(17, 30)) for d in thursdays],
        capacity=60,
        position=0,
    )
    east = _track(
        cycle,
        "Fridays (Eastern Hemisphere)",
        [(d + timedelta(days=1), time(9), time(11, 30)) for d in thursdays],
        capacity=60,
        position=1,
    )
    regs += _register(west, ["giulia"])
    regs += _register(east, ["minjun"])
    # The Cities of Equality partnership: the Paris meeting that refined the older brainstorm's
    # ideas (plans/demo.py: its refine phase opens 778 days ago), and the online workshop where
    # the partners prioritise the open brainstorm's ideas (it closes in 42 days).
    paris_meeting = _event(
        "cities-of-equality-partnership-meeting-paris",
        space="cities-of-equality",
        orgs=["anct", "eukn"],
        city="FR-PAR",
        topics=["spatial-segregation", "social-inclusion"],
        title="Cities of Equality: partnership meeting in Paris",
        summary="Partners refine the preliminary list of actions on spatial segregation, social "
        "inclusion and equality.",
        description="Two days of work on the ideas of the online brainstorming: better data on "
        "segregation at city and neighbourhood level, peer exchanges between local "
        "authorities, and actionable solutions for the draft action plan.",
        kind=Event.Kind.WORKSHOP,
        format=Event.Format.IN_PERSON,
        time_zone=PARIS,
        venue_name="Agence nationale de la cohésion des territoires",
        venue_address="20 avenue de Ségur, 75007 Paris",
        # Approximate map point near the address (not surveyed).
        latitude=Decimal("48.85060"),
        longitude=Decimal("2.30890"),
        languages=["en", "fr"],
        interpretation=["fr>en", "en>fr"],
        registration_mode=Event.Registration.INTERNAL,
    )
    meeting_day = on_or_before(today - timedelta(days=778 - 50), 2)
    t = _track(
        paris_meeting,
        "Meeting",
        [
            (meeting_day, time(9, 30), time(17)),
            (meeting_day + timedelta(days=1), time(9), time(13)),
        ],
        capacity=40,
    )
    regs += _register(t, ["claire", "pieter", "sophie"], attended=True)
    prioritise = _event(
        "cities-of-equality-prioritisation-workshop",
        space="cities-of-equality",
        orgs=["anct", "eukn"],
        topics=["spatial-segregation", "social-inclusion", "citizen-engagement"],
        title="Cities of Equality: prioritising the ideas together",
        summary="The brainstorm is closed: partners and participants choose together which "
        "ideas become the next round of actions.",
        description="An online workshop to prioritise the ideas of the brainstorm on inclusive "
        "neighbourhoods. Everyone who posted, supported or commented an idea is welcome.\n\n"
        "French/English, English/French interpretation is available throughout.",
        kind=Event.Kind.WORKSHOP,
        format=Event.Format.ONLINE,
        time_zone=PARIS,
        extra_zones=["Africa/Dakar"],
        languages=["en", "fr"],
        interpretation=["fr>en", "en>fr"],
        online_url="https://zoom.example.org/j/cities-of-equality-prioritising",
    )
    _speakers(
        prioritise,
        [
            ("Claire Dubois", "Agence nationale de la cohésion des territoires", Speaker.Role.HOST),
            ("Pieter Janssens", "European Urban Knowledge Network", Speaker.Role.MODERATOR),
        ],
    )
    t = _track(
        prioritise,
        "Workshop",
        [(_after_holidays(on_or_after(today + timedelta(days=49), 2)), time(10), time(12, 30))],
        capacity=120,
    )
    regs += _register(t, ["claire", "pieter", "sophie"])
    workshop = _event(
        "belle-de-mai-housing-workshop",
        space="fairville-lab-marseille",
        orgs=["fairville", "belle-de-mai-collectif"],
        city="FR-MRS",
        topics=["housing", "citizen-engagement"],
        title="Belle de Mai : atelier logement avec les habitants",
        summary="Un atelier du soir du lab Fairville Marseille : cartographier ensemble le "
        "logement indigne du quartier.",
        description="Habitants, associations et chercheurs du lab Fairville Marseille se "
        "retrouvent pour compléter la carte du logement indigne de la Belle de Mai et préparer "
        "les propositions à porter auprès de la ville. Ouvert à toutes et tous, en français.",
        kind=Event.Kind.WORKSHOP,
        format=Event.Format.HYBRID,
        time_zone=PARIS,
        venue_name="Friche la Belle de Mai",
        venue_address="41 rue Jobin, 13003 Marseille",
        # Approximate map point near the address (not surveyed).
        latitude=Decimal("43.31050"),
        longitude=Decimal("5.39050"),
        languages=["fr"],
        online_url="https://meet.example.org/belle-de-mai",
    )
    Track.objects.filter(event=workshop, name="Workshop").update(name="Atelier")
    t = _track(
        workshop,
        "Atelier",
        [(_after_holidays(on_or_after(today + timedelta(days=7), 1)), time(18), time(20, 30))],
        capacity=25,
    )
    regs += _register(t, ["sophie", "amina"])
    del D
    # Written directly (not through the services): forget the list's cached choices.
    from cocity.core.demo.images import attach_cover  # drawn covers (decorative), once per event

    for event in Event.objects.filter(cover=""):
        attach_cover(event)
    # People's translations: the series, the key events, their tracks and the speakers'
    # affiliations in French (the two French events in English): events/demo_translations.py.
    from .demo_translations import translate_events

    translate_events()
    return {
        "event series": Series.objects.count(),
        "events": Event.objects.count(),
        "event registrations": Registration.objects.count(),
    }
