"""A small world for the API's whole-surface tests (fuzzing, the permission matrix): a few
objects of each kind in a public space and in a members-only space, drafts beside published
ones, and the five kinds of viewer (visitor, signed-in outsider, member, organiser, staff) with
their tokens. Built through the factories and services, so each object is what the pages show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from cocity.api.services import token_create
from cocity.network.models import Role, Space
from tests import factories

ALL_SCOPES = ("read", "write:events", "write:plans", "write:network", "write:pledges")


@dataclass
class World:
    people: dict[str, Any] = field(default_factory=dict)  # "outsider", "member", ...
    tokens: dict[str, str] = field(default_factory=dict)  # viewer -> secret (all scopes)
    read_only: dict[str, str] = field(default_factory=dict)  # viewer -> secret ("read")
    objects: dict[str, Any] = field(default_factory=dict)  # "public_event", ...

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]


def build_world() -> World:
    world = World()
    people = world.people
    people["outsider"] = factories.UserFactory(display_name="Olga Outsider")
    people["member"] = factories.UserFactory(display_name="Mo Member")
    people["organiser"] = factories.UserFactory(display_name="Orla Organiser")
    people["staff"] = factories.UserFactory(display_name="Stef Staff", is_staff=True)
    for name, person in people.items():
        _token, secret = token_create(user=person, name=f"{name} script", scopes=ALL_SCOPES)
        world.tokens[name] = secret
        _token, secret = token_create(user=person, name=f"{name} reader", scopes=["read"])
        world.read_only[name] = secret

    objects = world.objects
    topic = factories.TopicFactory(name="Housing", slug="housing")
    country, city, district, hoods = factories.city_with_neighbourhoods()
    organisation = factories.OrganisationFactory(
        name="Fairville", slug="fairville", home_territory=city
    )
    factories.OrganisationMembershipFactory(
        organisation=organisation, user=people["organiser"], role=Role.ADMIN
    )
    public = factories.SpaceFactory(
        name="Open square", slug="open-square", join_policy=Space.JoinPolicy.OPEN
    )
    members = factories.SpaceFactory(
        name="Back room", slug="back-room", visibility=Space.Visibility.MEMBERS
    )
    for space in (public, members):
        space.topics.add(topic)
        space.organisations.add(organisation)
        factories.SpaceMembershipFactory(space=space, user=people["member"], role=Role.MEMBER)
        factories.SpaceMembershipFactory(space=space, user=people["organiser"], role=Role.EDITOR)
    objects.update(
        topic=topic,
        country=country,
        city=city,
        district=district,
        hood=hoods[0],
        organisation=organisation,
        public_space=public,
        members_space=members,
    )
    objects.update(_events(world, public, members))
    objects.update(_plans(world, public, members))
    objects.update(_library(world, public, members))
    objects.update(_commons(world, organisation, city))
    objects.update(_pledges(world, organisation))
    objects.update(_insights(world))
    return world


def _events(world: World, public: Space, members: Space) -> dict[str, Any]:
    from cocity.events import services

    soon = (timezone.now() + datetime.timedelta(days=10)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    event, track = factories.event_with_session(
        space=public, slug="open-dialogue", title="Open dialogue", start=soon, capacity=30
    )
    draft, _ = factories.event_with_session(
        space=public, slug="draft-dialogue", title="Draft dialogue", status="draft", start=soon
    )
    hidden, hidden_track = factories.event_with_session(
        space=members, slug="inner-dialogue", title="Inner dialogue", start=soon
    )
    services.registration_create(track=track, user=world.people["member"])
    return {
        "public_event": event,
        "public_track": track,
        "draft_event": draft,
        "members_event": hidden,
        "members_track": hidden_track,
    }


def _plans(world: World, public: Space, members: Space) -> dict[str, Any]:
    process, _organiser = factories.process_in_phase("collect", space=public, slug="open-plan")
    hidden, _ = factories.process_in_phase("collect", space=members, slug="inner-plan")
    idea = factories.IdeaFactory(
        process=process, title="Shade the square", author=world.people["member"]
    )
    hidden_idea = factories.IdeaFactory(
        process=hidden, title="Quiet idea", author=world.people["member"]
    )
    action = factories.ActionFactory(process=process, title="Plant trees")
    return {
        "public_process": process,
        "members_process": hidden,
        "public_idea": idea,
        "members_idea": hidden_idea,
        "public_action": action,
    }


def _library(world: World, public: Space, members: Space) -> dict[str, Any]:
    published = factories.LibraryItemFactory(
        space=public, title="Street benches", status="published", author=world.people["member"]
    )
    draft = factories.LibraryItemFactory(
        space=public, title="Unfinished notes", status="draft", author=world.people["member"]
    )
    hidden = factories.LibraryItemFactory(
        space=members, title="Inner notes", status="published", author=world.people["member"]
    )
    return {"public_item": published, "draft_item": draft, "members_item": hidden}


def _commons(world: World, organisation: Any, city: Any) -> dict[str, Any]:
    commons = factories.CommonsFactory(name="Linden garden", slug="linden-garden")
    active = factories.PactFactory(commons=commons, title="Garden pact", state="active")
    draft = factories.PactFactory(
        commons=commons, title="Draft pact", state="draft", created_by=world.people["member"]
    )
    return {"commons": commons, "active_pact": active, "draft_pact": draft}


def _pledges(world: World, organisation: Any) -> dict[str, Any]:
    campaign = factories.CampaignFactory(organisation=organisation, slug="inclusive-cities")
    published = factories.pledge_with_measures(campaign=campaign, organisation=organisation)
    draft = factories.pledge_with_measures(
        campaign=campaign, organisation=factories.OrganisationFactory(), publish=False
    )
    return {"campaign": campaign, "published_pledge": published, "draft_pledge": draft}


def _insights(world: World) -> dict[str, Any]:
    from cocity.insights import services
    from tests.insights.platform_helpers import GROUPS, ROWS, counts_csv, grid_city

    city, hoods = grid_city(code="NL-AMS")
    dataset = services.dataset_import(
        city=city,
        name="Census",
        source="CBS",
        year=2020,
        groups=GROUPS,
        total_column="total",
        id_column="code",
        csv_text=counts_csv(hoods, ROWS),
    )
    return {"data_city": city, "dataset": dataset}
