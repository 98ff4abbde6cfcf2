"""Data for the browser tests, written into the live server's database (run as a subprocess by
``server.seed(scenario, key=value...)``, which parses the JSON printed on the last line).

    python -m tests.browser.seed network
"""

import json
import os
import secrets
import sys
from collections.abc import Callable
from typing import Any

PASSWORD = "correct horse battery"


def person(**options: str) -> dict[str, Any]:
    from tests.factories import UserFactory

    tag = secrets.token_hex(4)
    user = UserFactory(
        email=options.get("email", f"person-{tag}@example.org"),
        display_name=options.get("display_name", f"Person {tag}"),
    )
    return {"id": user.pk, "email": user.email, "password": PASSWORD}


def network(**options: str) -> dict[str, Any]:
    """An organisation, a territory tree, a topic and two public spaces (open, on request)."""
    from cocity.network.models import Role, Space, Territory
    from tests.factories import (
        OrganisationFactory,
        OrganisationMembershipFactory,
        SpaceFactory,
        SpaceMembershipFactory,
        TerritoryFactory,
        TopicFactory,
        UserFactory,
    )

    tag = secrets.token_hex(3).upper()
    country = TerritoryFactory(name="Belgium", code=f"B{tag}", kind=Territory.Kind.COUNTRY)
    city = TerritoryFactory(
        name="Brussels", code=f"B{tag}-BRU", kind=Territory.Kind.CITY, parent=country
    )
    topic = TopicFactory(name="Housing", slug=f"housing-{tag.lower()}")
    organisation = OrganisationFactory(
        name=f"Tenants Union {tag}",
        slug=f"tenants-union-{tag.lower()}",
        home_territory=city,
        description="We help **tenants** organise.",
    )
    admin = UserFactory(display_name=f"Admin {tag}", email=f"admin-{tag.lower()}@example.org")
    OrganisationMembershipFactory(organisation=organisation, user=admin, role=Role.ADMIN)
    open_space = SpaceFactory(
        name=f"Open kitchen {tag}",
        slug=f"open-kitchen-{tag.lower()}",
        join_policy=Space.JoinPolicy.OPEN,
        territory=city,
        description="Cooking together on Thursdays.",
        created_by=admin,
    )
    open_space.topics.add(topic)
    open_space.organisations.add(organisation)
    request_space = SpaceFactory(
        name=f"Housing lab {tag}",
        slug=f"housing-lab-{tag.lower()}",
        join_policy=Space.JoinPolicy.REQUEST,
        territory=city,
        created_by=admin,
    )
    for space in (open_space, request_space):
        SpaceMembershipFactory(space=space, user=admin, role=Role.ADMIN)
    return {
        "open_space": open_space.slug,
        "request_space": request_space.slug,
        "organisation": organisation.slug,
        "territory": city.code,
        "topic": topic.slug,
        "admin": {"id": admin.pk, "email": admin.email, "password": PASSWORD},
    }


def events(**options: str) -> dict[str, Any]:
    """An upcoming webinar with one place, two people (one in São Paulo's time zone)."""
    from tests.factories import SpaceFactory, UserFactory, event_with_session

    tag = secrets.token_hex(3)
    space = SpaceFactory(name=f"Enabler {tag}", slug=f"enabler-{tag}")
    event, _track = event_with_session(
        capacity=1, title=f"Defending co-production {tag}", slug=f"defending-{tag}", space=space
    )
    first = UserFactory(email=f"first-{tag}@example.org", time_zone="America/Sao_Paulo")
    second = UserFactory(email=f"second-{tag}@example.org")
    return {
        "slug": event.slug,
        "title": event.title,
        "first": first.email,
        "second": second.email,
        "password": PASSWORD,
    }


def pledges(**options: str) -> dict[str, Any]:
    """A pledge campaign (European Pillar of Social Rights) with one published pledge, and a
    city officer (editor of a city council) who has not pledged yet."""
    from cocity.network.models import Role
    from tests.factories import (
        CampaignFactory,
        OrganisationFactory,
        OrganisationMembershipFactory,
        UserFactory,
        pledge_with_measures,
    )

    tag = secrets.token_hex(3)
    campaign = CampaignFactory(name=f"Inclusive cities for all {tag}", slug=f"inclusive-{tag}")
    other = pledge_with_measures(
        campaign=campaign,
        organisation=OrganisationFactory(name=f"Stad Gent {tag}", slug=f"gent-{tag}"),
        amounts=("1000000",),
        codes=("4", "19"),
    )
    city = OrganisationFactory(name=f"Ville de Nantes {tag}", slug=f"nantes-{tag}")
    officer = UserFactory(display_name=f"Officer {tag}", email=f"officer-{tag}@example.org")
    OrganisationMembershipFactory(organisation=city, user=officer, role=Role.EDITOR)
    return {
        "campaign": campaign.slug,
        "pledge": other.pk,
        "organisation": city.pk,
        "principle": "european-pillar-of-social-rights/4",
        "officer": {"email": officer.email, "password": PASSWORD},
    }


def plans(**options: str) -> dict[str, Any]:
    """A process collecting ideas in a public space, with its organiser (space editor), a
    resident who will post an idea and a neighbour who will comment and support it."""
    from tests.factories import SpaceFactory, UserFactory, process_in_phase

    tag = secrets.token_hex(3)
    space = SpaceFactory(name=f"Equality partnership {tag}", slug=f"equality-{tag}")
    process, organiser = process_in_phase(
        "collect", space=space, title=f"Brainstorm {tag}", slug=f"brainstorm-{tag}"
    )
    organiser.set_password(PASSWORD)
    organiser.save()
    author = UserFactory(display_name=f"Author {tag}", email=f"author-{tag}@example.org")
    neighbour = UserFactory(display_name=f"Neighbour {tag}", email=f"neighbour-{tag}@example.org")
    return {
        "process": process.slug,
        "organiser": {"email": organiser.email, "password": PASSWORD},
        "author": {"email": author.email, "password": PASSWORD},
        "neighbour": {"email": neighbour.email, "password": PASSWORD},
    }


def commons(**options: str) -> dict[str, Any]:
    """A city (officer: editor of the city), a vacant building in its registry, a resident who
    proposes a complex pact and a rival who makes a competing proposal."""
    from cocity.network.models import Role, Territory
    from tests.factories import (
        CommonsFactory,
        OrganisationFactory,
        OrganisationMembershipFactory,
        TerritoryFactory,
        UserFactory,
    )

    tag = secrets.token_hex(3).upper()
    hood = TerritoryFactory(name=f"Corticella {tag}", code=f"X{tag}", kind=Territory.Kind.COUNTRY)
    city = OrganisationFactory(name=f"Comune {tag}", slug=f"comune-{tag.lower()}")
    officer = UserFactory(display_name=f"Officer {tag}", email=f"officer-{tag.lower()}@example.org")
    OrganisationMembershipFactory(organisation=city, user=officer, role=Role.EDITOR)
    building = CommonsFactory(
        name=f"Former school {tag}", slug=f"school-{tag.lower()}", kind="building",
        organisation=city, territory=hood, condition="derelict",
    )  # fmt: skip
    resident = UserFactory(
        display_name=f"Resident {tag}", email=f"resident-{tag.lower()}@example.org"
    )
    rival = UserFactory(display_name=f"Rival {tag}", email=f"rival-{tag.lower()}@example.org")
    return {
        "commons": building.slug,
        "officer": {"email": officer.email, "password": PASSWORD},
        "resident": {"email": resident.email, "password": PASSWORD, "name": str(resident)},
        "rival": {"email": rival.email, "password": PASSWORD, "name": str(rival)},
    }


def insights(**options: str) -> dict[str, Any]:
    """The demo network's places and people, then the insights demo (data sets for Marseille,
    Brussels and Berlin, residents and their supports)."""
    from cocity.insights import demo
    from cocity.network import demo as network_demo

    network_demo.build()
    demo.build()
    return {"city": "BE-BRU"}


def library(**options: str) -> dict[str, Any]:
    """A space with an author (member) and an editor; Marseille (asker) and Toulouse (which ran
    a published practice on Roma housing); Marseille's need on that topic."""
    from cocity.library import services
    from cocity.network.models import Role
    from tests.factories import (
        OrganisationFactory,
        OrganisationMembershipFactory,
        SpaceFactory,
        SpaceMembershipFactory,
        TopicFactory,
        UserFactory,
    )

    tag = secrets.token_hex(3)
    space = SpaceFactory(name=f"Practice exchange {tag}", slug=f"practice-{tag}")
    author = UserFactory(display_name=f"Author {tag}", email=f"author-{tag}@example.org")
    editor = UserFactory(display_name=f"Editor {tag}", email=f"editor-{tag}@example.org")
    SpaceMembershipFactory(space=space, user=author, role=Role.MEMBER)
    SpaceMembershipFactory(space=space, user=editor, role=Role.EDITOR)
    topic = TopicFactory(name=f"Roma inclusion {tag}", slug=f"roma-{tag}")
    marseille = OrganisationFactory(name=f"Ville de Marseille {tag}")
    toulouse = OrganisationFactory(name=f"Mairie de Toulouse {tag}")
    asker = UserFactory(display_name=f"Asker {tag}", email=f"asker-{tag}@example.org")
    answerer = UserFactory(display_name=f"Answerer {tag}", email=f"answerer-{tag}@example.org")
    OrganisationMembershipFactory(organisation=marseille, user=asker, role=Role.EDITOR)
    OrganisationMembershipFactory(organisation=toulouse, user=answerer, role=Role.EDITOR)
    item = services.item_create(
        user=author,
        space=space,
        kind="case_study",
        title=f"Toulouse study visit {tag}",
        summary="Roma families move from camps into housing.",
        body="Every family has a housing solution before a camp closes.",
        topics=[topic],
        organisations=[toulouse],
    )
    services.item_submit(user=author, item=item)
    services.item_publish(user=editor, item=item)
    need = services.post_create(
        user=asker,
        organisation=marseille,
        kind="need",
        text="How do other cities help Roma families move from camps into housing?",
        topics=[topic],
    )
    person = {"password": PASSWORD}
    return {
        "space": space.name,
        "item": item.get_absolute_url(),
        "need": need.pk,
        "toulouse": toulouse.name,
        "author": {**person, "email": author.email},
        "editor": {**person, "email": editor.email},
        "asker": {**person, "email": asker.email},
        "answerer": {**person, "email": answerer.email},
    }


def maps(**options: str) -> dict[str, Any]:
    """Issue 17's maps: Bologna's commons with pacts (five close together near via Fioravanti,
    so they cluster, and two across town); a city territory with two touching neighbourhoods
    (polygons); a process collecting ideas in a space whose territory is one neighbourhood, with
    an idea on the map and a resident who will pick a place for a new one."""
    from cocity.network.models import Territory
    from tests.factories import (
        CommonsFactory,
        IdeaFactory,
        PactFactory,
        SpaceMembershipFactory,
        TerritoryFactory,
        UserFactory,
        process_in_phase,
    )

    tag = secrets.token_hex(3)

    def square(west: float, south: float, east: float, north: float) -> dict[str, Any]:
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {"type": "Polygon", "coordinates": [ring]}

    city = TerritoryFactory(
        name=f"Bologna {tag}", code=f"BO{tag.upper()}", kind=Territory.Kind.CITY,
        boundary=square(11.28, 44.46, 11.42, 44.54),
    )  # fmt: skip
    north = TerritoryFactory(
        name=f"Navile {tag}", code=f"NA{tag.upper()}", kind=Territory.Kind.DISTRICT, parent=city,
        boundary=square(11.30, 44.50, 11.40, 44.53),
    )  # fmt: skip
    TerritoryFactory(
        name=f"Santo Stefano {tag}", code=f"SS{tag.upper()}", kind=Territory.Kind.DISTRICT,
        parent=city, boundary=square(11.30, 44.47, 11.40, 44.50),
    )  # fmt: skip
    spots = [(44.5128, 11.3520 + i * 0.0004) for i in range(5)]
    spots += [(44.4840, 11.3660), (44.4930, 11.3150)]
    pacts = []
    for i, (lat, lon) in enumerate(spots):
        commons = CommonsFactory(
            name=f"Garden {i} {tag}", slug=f"garden-{i}-{tag}", territory=north,
            latitude=lat, longitude=lon,
        )  # fmt: skip
        pacts.append(PactFactory(title=f"Care of garden {i} {tag}", commons=commons).pk)
    process, _organiser = process_in_phase(
        "collect", title=f"Navile ideas {tag}", slug=f"navile-ideas-{tag}"
    )
    process.space.territory = north
    process.space.save(update_fields=["territory"])
    IdeaFactory(
        process=process, title=f"Benches on via Fioravanti {tag}", latitude=44.5125,
        longitude=11.3530,
    )  # fmt: skip
    resident = UserFactory(display_name=f"Resident {tag}", email=f"resident-{tag}@example.org")
    SpaceMembershipFactory(space=process.space, user=resident)
    return {
        "tag": tag,
        "pacts": pacts,
        "city": city.code,
        "north": north.code,
        "process": process.slug,
        "space": process.space.slug,
        "resident": {"email": resident.email, "password": PASSWORD},
    }


def event_maps(**options: str) -> dict[str, Any]:
    """Issue 17, events on the map: a space whose territory is a district (a square in
    Marseille), its organiser, an upcoming in-person event with a venue point inside it and an
    online one; an organisation editor who adds a commons, choosing its place in the form."""
    from decimal import Decimal

    from cocity.network.models import Role, Territory
    from tests.factories import (
        OrganisationMembershipFactory,
        SpaceFactory,
        SpaceMembershipFactory,
        TerritoryFactory,
        UserFactory,
        event_with_session,
    )

    tag = secrets.token_hex(3)

    def square(west: float, south: float, east: float, north: float) -> dict[str, Any]:
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {"type": "Polygon", "coordinates": [ring]}

    city = TerritoryFactory(
        name=f"Marseille {tag}", code=f"MR{tag.upper()}", kind=Territory.Kind.CITY,
        boundary=square(5.30, 43.22, 5.50, 43.39), boundary_approximate=True,
    )  # fmt: skip
    district = TerritoryFactory(
        name=f"Belle de Mai {tag}", code=f"BM{tag.upper()}", kind=Territory.Kind.DISTRICT,
        parent=city, boundary=square(5.37, 43.30, 5.41, 43.33),
    )  # fmt: skip
    space = SpaceFactory(name=f"Lab {tag}", slug=f"lab-{tag}", territory=district)
    organiser = UserFactory(display_name=f"Organiser {tag}", email=f"organiser-{tag}@example.org")
    SpaceMembershipFactory(space=space, user=organiser, role=Role.ADMIN)
    event, _track = event_with_session(
        space=space, slug=f"atelier-{tag}", title=f"Atelier logement {tag}", format="hybrid",
        venue_name="Friche la Belle de Mai", venue_address="41 rue Jobin, 13003 Marseille",
        latitude=Decimal("43.31050"), longitude=Decimal("5.39050"),
    )  # fmt: skip
    event_with_session(space=space, slug=f"online-{tag}", title=f"Webinar {tag}", format="online")
    editor = UserFactory(display_name=f"Officer {tag}", email=f"officer-{tag}@example.org")
    membership = OrganisationMembershipFactory(user=editor, role=Role.EDITOR)
    return {
        "tag": tag,
        "space": space.slug,
        "event": event.slug,
        "event_title": event.title,
        "city": city.pk,
        "district": district.pk,
        "district_name": district.name,
        "organiser": {"email": organiser.email, "password": PASSWORD},
        "editor": {"email": editor.email, "password": PASSWORD},
        "organisation": membership.organisation.slug,
    }


def hub(**options: str) -> dict[str, Any]:
    """One lab with every kind of work (issue 16, hubs): in a neighbourhood of a city, owned by
    the city hall; an upcoming event, a process collecting ideas with an action plan, a published
    case study, a pact for a garden, a pledge campaign with a published pledge, a data set of the
    city."""
    from django.utils import timezone

    from cocity.insights.models import DataSet
    from cocity.network.models import Organisation, Territory
    from tests.factories import (
        ActionFactory,
        CampaignFactory,
        CommonsFactory,
        LibraryItemFactory,
        OrganisationFactory,
        PactFactory,
        SpaceFactory,
        TerritoryFactory,
        event_with_session,
        pledge_with_measures,
        process_in_phase,
    )

    tag = secrets.token_hex(3)
    city = TerritoryFactory(
        name=f"Fairville {tag}", code=f"FV{tag.upper()}", kind=Territory.Kind.CITY
    )
    hood = TerritoryFactory(
        name=f"Belle de Mai {tag}", code=f"FV{tag.upper()}-1", kind=Territory.Kind.NEIGHBOURHOOD,
        parent=city,
    )  # fmt: skip
    hall = OrganisationFactory(
        name=f"Fairville city hall {tag}", slug=f"fairville-{tag}",
        kind=Organisation.Kind.LOCAL_GOVERNMENT, home_territory=city,
    )  # fmt: skip
    lab = SpaceFactory(name=f"Fairville lab {tag}", slug=f"fairville-lab-{tag}", territory=hood)
    lab.organisations.add(hall)
    event, _track = event_with_session(
        space=lab, title=f"Neighbourhood dialogue {tag}", slug=f"dialogue-{tag}", territory=hood
    )
    process, _organiser = process_in_phase(
        "collect", space=lab, title=f"Brainstorm on shared yards {tag}", slug=f"yards-{tag}"
    )
    ActionFactory(process=process, title=f"Open the school yard {tag}", status="in_progress",
                  progress=40)  # fmt: skip
    item = LibraryItemFactory(
        space=lab, status="published", title=f"Case study: a yard for all {tag}",
        published_at=timezone.now(), published_on=timezone.localdate(),
    )  # fmt: skip
    commons = CommonsFactory(
        organisation=hall, territory=hood, name=f"Community garden {tag}", slug=f"garden-{tag}"
    )
    pact = PactFactory(commons=commons, title=f"Pact for the garden {tag}")
    campaign = CampaignFactory(
        organisation=hall, name=f"Fair city pledges {tag}", slug=f"fair-{tag}"
    )
    pledge = pledge_with_measures(campaign=campaign, organisation=hall)
    dataset = DataSet.objects.create(
        city=city, name=f"Census {tag}", year=2024, groups=[{"column": "born_abroad"}],
        status=DataSet.Status.READY,
    )  # fmt: skip
    return {
        "space": lab.get_absolute_url(),
        "organisation": hall.get_absolute_url(),
        "city": city.get_absolute_url(),
        "event": event.title,
        "process": process.title,
        "item": item.title,
        "pact": pact.title,
        "campaign": campaign.name,
        "pledge": pledge.title,
        "dataset": str(dataset),
        "names": {"space": lab.name, "organisation": hall.name, "city": city.name},
    }


def city_data(**options: str) -> dict[str, Any]:
    """Issue 18: a city the platform knows only by name (no areas, no data set) and its data
    officer, an editor of the city hall (whose home territory is the city), who brings the
    city's own areas and counts."""
    from cocity.network.models import Organisation, Role, Territory
    from tests.factories import (
        OrganisationFactory,
        OrganisationMembershipFactory,
        TerritoryFactory,
        UserFactory,
    )

    tag = secrets.token_hex(3).upper()
    country = TerritoryFactory(name=f"France {tag}", code=f"F{tag}", kind=Territory.Kind.COUNTRY)
    city = TerritoryFactory(
        name=f"Marseille {tag}", code=f"F{tag}-MRS", kind=Territory.Kind.CITY, parent=country
    )
    hall = OrganisationFactory(
        name=f"Ville de Marseille {tag}", slug=f"marseille-{tag.lower()}",
        kind=Organisation.Kind.LOCAL_GOVERNMENT, home_territory=city,
    )  # fmt: skip
    officer = UserFactory(
        display_name=f"Data officer {tag}", email=f"data-{tag.lower()}@example.org"
    )
    OrganisationMembershipFactory(organisation=hall, user=officer, role=Role.EDITOR)
    return {
        "tag": tag,
        "city": city.code,
        "city_name": city.name,
        "officer": {"email": officer.email, "password": PASSWORD},
    }


def start(**options: str) -> dict[str, Any]:
    """A person with a start page to look at: registered for a webinar (Paris time), following a
    brainstorm that collects ideas, with an unread notification; and a person without a zone
    (``zone=`` sets one)."""
    from cocity.events.models import Registration
    from cocity.participation import services as participation
    from cocity.participation.models import Notification
    from tests.factories import SpaceFactory, UserFactory, event_with_session, process_in_phase

    tag = secrets.token_hex(3)
    space = SpaceFactory(name=f"Cities of Equality {tag}", slug=f"equality-{tag}")
    event, track = event_with_session(
        title=f"Dialogues webinar {tag}", slug=f"dialogues-{tag}", space=space
    )
    process, _organiser = process_in_phase(
        "collect", space=space, title=f"Brainstorm {tag}", slug=f"brainstorm-{tag}"
    )
    person = UserFactory(
        email=f"start-{tag}@example.org",
        display_name=f"Ana {tag}",
        time_zone=options.get("zone", "America/Sao_Paulo"),
    )
    Registration.objects.create(event=event, track=track, user=person, status="confirmed")
    participation.follow_set(target=process, user=person, follow=True)
    Notification.objects.create(
        recipient=person, kind="news", message=f"A new idea in Brainstorm {tag}"
    )
    return {
        "email": person.email,
        "password": PASSWORD,
        "event": event.title,
        "slug": event.slug,
        "process": process.title,
    }


def translations(**options: str) -> dict[str, Any]:
    """Issue 19: content written in English with French translations by people — a space in
    Athens, an event in Vienna (in that space), a pledge campaign signed by organisations of
    Vienna and Athens — the two cities named Vienne and Athènes in French; and, translated by
    machine only (the echo backend: "[fr] …"), a second space, a second event and the pledges.
    The first event is also machine-translated into Arabic ("[ar] …")."""
    from cocity.core.machine_translation import EchoBackend
    from cocity.core.translations import machine_translate, save_translation
    from cocity.network.models import Territory
    from cocity.pledges.models import Pledge
    from tests.factories import (
        CampaignFactory,
        OrganisationFactory,
        SpaceFactory,
        TerritoryFactory,
        event_with_session,
        pledge_with_measures,
    )

    tag = secrets.token_hex(3)
    code = tag.upper()
    echo = EchoBackend()
    austria = TerritoryFactory(
        name="Austria", code=f"AT{code}", kind=Territory.Kind.COUNTRY, original_language="en"
    )
    greece = TerritoryFactory(
        name="Greece", code=f"GR{code}", kind=Territory.Kind.COUNTRY, original_language="en"
    )
    vienna = TerritoryFactory(
        name="Vienna", code=f"AT{code}-VIE", kind=Territory.Kind.CITY, parent=austria,
        original_language="en",
    )  # fmt: skip
    athens = TerritoryFactory(
        name="Athens", code=f"GR{code}-ATH", kind=Territory.Kind.CITY, parent=greece,
        original_language="en",
    )  # fmt: skip
    save_translation(vienna, "fr", {"name": "Vienne"})
    save_translation(athens, "fr", {"name": "Athènes"})

    space = SpaceFactory(
        name=f"Neighbourhood kitchen {tag}",
        slug=f"kitchen-{tag}",
        summary="Residents cook and eat together every Thursday.",
        territory=athens,
        original_language="en",
    )
    save_translation(
        space,
        "fr",
        {
            "name": f"Cuisine de quartier {tag}",
            "summary": "Les habitants cuisinent et mangent ensemble chaque jeudi.",
        },
    )
    machine_space = SpaceFactory(
        name=f"Tool library {tag}",
        slug=f"tools-{tag}",
        summary="Borrow a drill instead of buying one.",
        territory=athens,
        original_language="en",
    )
    machine_translate(machine_space, echo, ["fr"])

    event, _track = event_with_session(
        title=f"Housing dialogue {tag}",
        slug=f"housing-dialogue-{tag}",
        summary="Tenants and city officers compare what works against evictions.",
        space=space,
        territory=vienna,
        original_language="en",
    )
    save_translation(
        event,
        "fr",
        {
            "title": f"Dialogue sur le logement {tag}",
            "summary": "Locataires et agents municipaux comparent ce qui marche contre les "
            "expulsions.",
        },
    )
    machine_translate(event, echo, ["ar"])
    machine_event, _track = event_with_session(
        title=f"Open data evening {tag}",
        slug=f"open-data-{tag}",
        summary="What the city publishes, and how to read it.",
        space=space,
        territory=vienna,
        original_language="en",
    )
    machine_translate(machine_event, echo, ["fr"])

    campaign = CampaignFactory(
        name=f"Homes for all {tag}",
        slug=f"homes-{tag}",
        summary="Cities pledge public money for affordable homes.",
        original_language="en",
    )
    save_translation(
        campaign,
        "fr",
        {
            "name": f"Un logement pour tous {tag}",
            "summary": "Les villes engagent des fonds publics pour des logements abordables.",
        },
    )
    pledges = [
        pledge_with_measures(
            campaign=campaign,
            organisation=OrganisationFactory(
                name=f"City of {city.name} {tag}",
                slug=f"{city.name.lower()}-{tag}",
                home_territory=city,
                original_language="en",
            ),
            amounts=(amount,),
        )
        for city, amount in ((vienna, "2000000"), (athens, "1000000"))
    ]
    # Their titles are English ("Pledge of City of Vienna …"), whatever a detector makes of them.
    Pledge.objects.filter(pk__in=[p.pk for p in pledges]).update(original_language="en")
    for pledge in Pledge.objects.filter(pk__in=[p.pk for p in pledges]):
        machine_translate(pledge, echo, ["fr"])
    return {
        "tag": tag,
        "space": {
            "slug": space.slug,
            "name": space.name,
            "summary": space.summary,
            "fr_name": f"Cuisine de quartier {tag}",
            "fr_summary": "Les habitants cuisinent et mangent ensemble chaque jeudi.",
        },
        "machine_space": {"slug": machine_space.slug, "name": machine_space.name},
        "event": {
            "slug": event.slug,
            "title": event.title,
            "summary": event.summary,
            "fr_title": f"Dialogue sur le logement {tag}",
            "fr_summary": "Locataires et agents municipaux comparent ce qui marche contre les "
            "expulsions.",
        },
        "machine_event": {
            "slug": machine_event.slug,
            "title": machine_event.title,
            "summary": machine_event.summary,
        },
        "campaign": {
            "slug": campaign.slug,
            "name": campaign.name,
            "summary": campaign.summary,
            "fr_name": f"Un logement pour tous {tag}",
            "fr_summary": "Les villes engagent des fonds publics pour des logements abordables.",
        },
        "pledges": [p.title for p in pledges],
    }


SCENARIOS: dict[str, Callable[..., dict[str, Any]]] = {
    "translations": translations,
    "start": start,
    "maps": maps,
    "event_maps": event_maps,
    "person": person,
    "network": network,
    "events": events,
    "pledges": pledges,
    "plans": plans,
    "commons": commons,
    "insights": insights,
    "library": library,
    "hub": hub,
    "city_data": city_data,
}


def _start_factory_sequences_at_random() -> None:
    """Each seed runs in a new process against a database earlier seeds already wrote to:
    factory sequences (slugs, codes, e-mail addresses) must not start at 0 again."""
    import factory

    from tests import factories

    start = secrets.randbelow(10**9)
    for value in vars(factories).values():
        if (
            isinstance(value, type)
            and issubclass(value, factory.django.DjangoModelFactory)
            and value._meta.model is not None
        ):
            value.reset_sequence(start)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.test")
    import django

    django.setup()
    _start_factory_sequences_at_random()
    scenario, *pairs = argv
    options = dict(pair.split("=", 1) for pair in pairs)
    print(json.dumps(SCENARIOS[scenario](**options)))


if __name__ == "__main__":
    main(sys.argv[1:])
