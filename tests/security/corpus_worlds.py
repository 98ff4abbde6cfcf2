"""Scenes for the hostile-input corpus on every surface: each stores one value, as a form would
keep it (``storable``), through the real services into every text that surface shows, and says
where it went. ``tests/security/test_corpus_surfaces.py`` then reads each surface back."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from cocity.commons import services as commons_services
from cocity.commons.models import Commons, Pact
from cocity.core.testing.surfaces import limit_of, storable
from cocity.events import services as event_services
from cocity.events.models import Event, Question, Registration, Series, Track
from cocity.insights import services as insights_services
from cocity.library import services as library_services
from cocity.library.models import LibraryItem, PeerPost, ReviewComment
from cocity.network.models import Organisation, Role, Space
from cocity.network.services import spaces as space_services
from cocity.participation import services as participation
from cocity.participation.models import NotificationPreference
from cocity.plans import services as plan_services
from cocity.plans.models import Action, Idea
from cocity.pledges import services as pledge_services
from cocity.pledges.models import Campaign, Measure, Pledge
from tests.commons import scenario as commons_scenario
from tests.factories import (
    CampaignFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceMembershipFactory,
    TopicFactory,
    UserFactory,
    process_in_phase,
)
from tests.insights.platform_helpers import grid_city

WORD = "zebrafish"  # one word every searchable title carries, to find them all at once


def fit(value: str, model: Any, name: str, prefix: str = "") -> str:
    """``prefix`` + the value, as a form would store it in ``model.name``."""
    return storable(prefix + value, limit_of(model, name))


def _slug(stem: str) -> str:
    return f"{stem}-{secrets.token_hex(4)}"


# --- Library: search, the Atom feeds, the editorial mails --------------------------------------


@dataclass
class LibraryScene:
    item: LibraryItem
    space: Space
    topic: Any
    title: str
    summary: str
    returned: LibraryItem | None = None


def library_item(value: str, *, mails: bool = False) -> LibraryScene:
    """A published case study whose title, summary and body are the value (the title also carries
    ``WORD``), in a public space with a topic; the editor's comment on publishing is the value.
    With ``mails``, a second item returned with the value as the editor's comment."""
    space = space_services.space_create(
        creator=UserFactory(), name=_slug("Library space"), kind=Space.Kind.LAB
    )
    author, editor = UserFactory(), UserFactory()
    SpaceMembershipFactory(space=space, user=author, role=Role.MEMBER)
    SpaceMembershipFactory(space=space, user=editor, role=Role.EDITOR)
    topic = TopicFactory()
    title = fit(value, LibraryItem, "title", prefix=f"{WORD} ")
    summary = fit(value, LibraryItem, "summary")
    item = library_services.item_create(
        user=author, space=space, kind="case_study", title=title, summary=summary,
        body=fit(value, LibraryItem, "body"), topics=[topic],
    )  # fmt: skip
    library_services.item_submit(user=author, item=item)
    comment = fit(value, ReviewComment, "body")
    item = library_services.item_publish(user=editor, item=item, comment=comment)
    scene = LibraryScene(item=item, space=space, topic=topic, title=title, summary=summary)
    if mails:
        other = library_services.item_create(
            user=author, space=space, kind="case_study", title=title, summary=summary
        )
        library_services.item_submit(user=author, item=other)
        scene.returned = library_services.item_return(user=editor, item=other, comment=comment)
    return scene


def library_contacts(value: str) -> None:
    """Peer matching: a need whose text is the value, a contact request between organisations
    named after it, accepted (the three contact mails)."""
    name = fit(value, Organisation, "name")
    asker_org = OrganisationFactory(name=name, slug=_slug("asker"))
    answer_org = OrganisationFactory(name=name, slug=_slug("answerer"))
    asker, answerer = UserFactory(), UserFactory()
    OrganisationMembershipFactory(organisation=asker_org, user=asker, role=Role.EDITOR)
    OrganisationMembershipFactory(organisation=answer_org, user=answerer, role=Role.EDITOR)
    need = library_services.post_create(
        user=asker, organisation=asker_org, kind="need", text=fit(value, PeerPost, "text")
    )
    contact = library_services.contact_send(
        user=asker, post=need, from_organisation=asker_org, to_organisation=answer_org,
        message=value,
    )  # fmt: skip
    library_services.contact_answer(user=answerer, contact=contact, accept=True)


# --- Events: search, iCalendar, the series feed, the registration mails ------------------------


@dataclass
class EventScene:
    event: Event
    series: Series
    track: Track
    title: str
    summary: str
    place: str
    organiser: Any
    confirmed: Any
    waiting: Any
    registrants: list[Any] = field(default_factory=list)


def event_scene(value: str) -> EventScene:
    """A published hybrid event in a public space and a series, whose title, summary, venue and
    track are the value, with one session in ten days; one person confirmed (one seat) and one on
    the wait list, each having answered a question whose label is the value."""
    organiser = UserFactory()
    space = space_services.space_create(
        creator=organiser, name=fit(value, Space, "name"), kind=Space.Kind.LAB,
        join_policy=Space.JoinPolicy.OPEN,
    )  # fmt: skip
    series = event_services.series_create(
        space=space, name=fit(value, Series, "name"), slug=_slug("series"),
        summary=fit(value, Series, "summary"),
    )  # fmt: skip
    title = fit(value, Event, "title", prefix=f"{WORD} ")
    summary = fit(value, Event, "summary")
    venue = fit(value, Event, "venue_name")
    address = fit(value, Event, "venue_address")
    event = event_services.event_create(
        space=space, actor=organiser, title=title, slug=_slug("event"), summary=summary,
        description=value[:30_000], format=Event.Format.HYBRID, status=Event.Status.PUBLISHED,
        venue_name=venue, venue_address=address, series=series,
        online_url="https://meet.example.org/room",
    )  # fmt: skip
    track = event_services.track_create(event=event, name=fit(value, Track, "name"), capacity=1)
    day = timezone.localdate() + timedelta(days=10)
    event_services.session_create(
        track=track, day=day, start=dt.time(15), end=dt.time(17), time_zone="Europe/Paris"
    )
    event = Event.objects.get(pk=event.pk)
    question = Question.objects.create(event=event, label=fit(value, Question, "label"))
    confirmed, waiting = UserFactory(), UserFactory()
    for person in (confirmed, waiting):
        event_services.registration_create(
            track=track, user=person, answers={str(question.pk): value[:1000]}
        )
    return EventScene(
        event=event, series=series, track=track, title=title, summary=summary,
        place=f"{venue}, {address}", organiser=organiser, confirmed=confirmed, waiting=waiting,
    )  # fmt: skip


def event_mails(value: str) -> EventScene:
    """Every registration mail: confirmed and wait-listed (``event_scene``), a message to the
    registrants, a change, a reminder, a cancellation that promotes the person waiting (who then
    joins the space), and the end of access for a third person, registered for a second track,
    when the space becomes members-only."""
    scene = event_scene(value)
    event = scene.event
    second = event_services.track_create(event=event, name=fit(value, Track, "name", "2 "))
    day = timezone.localdate() + timedelta(days=10)
    event_services.session_create(
        track=second, day=day, start=dt.time(18), end=dt.time(19), time_zone="Europe/Paris"
    )
    outsider = UserFactory()
    event_services.registration_create(
        track=second, user=outsider, answers={str(event.questions.get().pk): "-"}
    )
    event_services.registrants_message(
        event=event, subject=value, body=value, actor=scene.organiser, include_waitlist=True
    )
    event = event_services.event_update(
        event=event, actor=scene.organiser,
        venue_name=fit(value, Event, "venue_name", prefix="New "),
    )  # fmt: skip
    first = Registration.objects.get(event=event, user=scene.confirmed)
    event_services.reminders_enqueue(now=event.starts_at - timedelta(minutes=30))
    event_services.registration_cancel(registration=first)  # the person waiting is promoted
    SpaceMembershipFactory(space=event.space, user=scene.waiting, role=Role.MEMBER)
    space_services.space_update(
        space=event.space, actor=scene.organiser, visibility=Space.Visibility.MEMBERS,
        join_policy=Space.JoinPolicy.REQUEST,
    )  # fmt: skip
    scene.event = Event.objects.get(pk=event.pk)
    return scene


# --- Plans, commons, pledges: search, CSV and JSON exports, their mails ------------------------


def plan_scene(value: str) -> dict[str, Any]:
    """A process collecting ideas: an idea and an action whose texts are the value; a follower of
    the process hears of the idea (an immediate notification mail, and one for the daily
    digest)."""
    process, organiser = process_in_phase("collect")
    immediate, daily = UserFactory(), UserFactory()
    participation.preference_update(user=daily, email=NotificationPreference.Email.DAILY)
    for person in (immediate, daily):
        SpaceMembershipFactory(space=process.space, user=person, role=Role.MEMBER)
        participation.follow_set(target=process, user=person, follow=True)
    title = fit(value, Idea, "title", prefix=f"{WORD} ")
    idea = plan_services.idea_create(process=process, author=UserFactory(), title=title, body=value)
    action = Action(
        process=process,
        title=fit(value, Action, "title", prefix=f"{WORD} "),
        description=value,
        deliverables=fit(value, Action, "deliverables"),
    )
    action = plan_services.action_save(action=action, actor=organiser)
    return {"process": process, "idea": idea, "action": action}


def commons_scene(value: str) -> dict[str, Any]:
    """A commons and a submitted pact whose texts are the value, taken up by an officer with the
    value as the reason (the decision mail), with its step overdue (the reminders)."""
    w = commons_scenario.world()
    commons = commons_services.commons_create(
        organisation=w.comune, name=fit(value, Commons, "name", prefix=f"{WORD} "),
        slug=_slug("commons"), kind=Commons.Kind.PLACE, territory=w.hood, actor=w.officer,
        description=value, department=fit(value, Commons, "department"),
        latitude=44.5, longitude=11.35,
    )  # fmt: skip
    title = fit(value, Pact, "title", prefix=f"{WORD} ")
    pact = commons_scenario.under_review(
        w, kind=Pact.Kind.COMPLEX, title=title, objectives=value, commons=commons
    )
    pact = commons_services.pact_transition(
        pact=pact, action="open_window", actor=w.officer, reason=value
    )
    return {"world": w, "commons": commons, "pact": pact, "title": title}


def commons_reminders(scene: dict[str, Any]) -> None:
    pact = scene["pact"]
    pact.history.update(due_on=timezone.localdate() - timedelta(days=1))
    commons_services.reminders_send()


def pledge_scene(value: str) -> Pledge:
    """A published pledge of an organisation named after the value, in a campaign named after
    it, with one measure whose description and department are the value."""
    organisation = OrganisationFactory(name=fit(value, Organisation, "name"), slug=_slug("org"))
    campaign = CampaignFactory(name=fit(value, Campaign, "name"))
    signed_on = dt.date(2024, 1, 15)
    pledge = pledge_services.pledge_create(
        campaign=campaign, organisation=organisation, title=fit(value, Pledge, "title"),
        principles=list(campaign.framework.items.filter(code="4")),
        signed_by=fit(value, Pledge, "signed_by"), signed_on=signed_on,
    )  # fmt: skip
    pledge_services.measure_add(
        pledge=pledge, description=fit(value, Measure, "description"), amount="1000",
        currency="EUR", starts_on=signed_on, ends_on=signed_on + timedelta(days=3 * 365),
        department=fit(value, Measure, "department"),
        indicators=[pledge_services.IndicatorInput("People helped", "0", "100", "people")],
    )  # fmt: skip
    pledge_services.pledge_publish(pledge=pledge)
    pledge.refresh_from_db()
    return pledge


def pledge_reminders(pledge: Pledge) -> None:
    OrganisationMembershipFactory(organisation=pledge.organisation, role=Role.EDITOR)
    assert pledge.report_due_on is not None
    pledge_services.reminders_send(today=pledge.report_due_on + timedelta(days=1))


def dataset_scene(value: str) -> Any:
    """An insights data set whose name, source, group label and neighbourhood names are the
    value."""
    city, hoods = grid_city(2, 1, code=f"FR-{secrets.token_hex(2).upper()}")
    for hood in hoods:
        hood.name = value[:200]
        hood.save()
    text = "code,a,b,total\n" + "".join(f"{hood.code},3,5,20\n" for hood in hoods)
    return insights_services.dataset_import(
        city=city, name=value[:200], source=value[:200], year=2020,
        groups=[{"column": "a", "label": value[:100]}, {"column": "b", "label": "B"}],
        total_column="total", id_column="code", csv_text=text,
    )  # fmt: skip


# --- Network: the membership mails -------------------------------------------------------------


def network_mails(value: str) -> None:
    """An invitation to a space whose name and summary are the value, by a person named after
    it; a request to join with the value as its message, accepted."""
    admin = UserFactory(display_name=value[:100])
    space = space_services.space_create(
        creator=admin, name=fit(value, Space, "name"), kind=Space.Kind.LAB,
        summary=fit(value, Space, "summary"), join_policy=Space.JoinPolicy.REQUEST,
    )  # fmt: skip
    space_services.invitation_create(space=space, email="guest@example.org", invited_by=admin)
    asker = UserFactory(display_name=value[:100])
    request = space_services.join_request_create(space=space, user=asker, message=value)
    space_services.join_request_decide(join_request=request, actor=admin, accept=True)
