"""The events forms people type into, registered with the hostile-input corpus
(``tests/security/test_corpus.py`` posts every payload into every field listed here)."""

from __future__ import annotations

from typing import Any

from cocity.core.testing.files import png_upload
from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.events.models import Event, Material, Question, Registration, Session, Speaker, Track
from cocity.network.models import Role
from tests.factories import SpaceMembershipFactory, UserFactory, event_with_session


def _organiser() -> Scenario:
    event, track = event_with_session(capacity=10)
    user = UserFactory()
    SpaceMembershipFactory(space=event.space, user=user, role=Role.ADMIN)
    return Scenario(
        user=user,
        objects={
            "event": event,
            "track": track,
            "session": track.sessions.get(),
            "space": event.space,
        },
    )


QUESTION_ID = 990_001


def _registrant() -> Scenario:
    scenario = _organiser()
    event = scenario.objects["event"]
    # A fixed id, so that the answer's field name (``q<id>``) is known to the case.
    Question.objects.filter(pk=QUESTION_ID).delete()  # the setup may run twice in a test
    question = Question.objects.create(
        pk=QUESTION_ID, event=event, label="Your organisation", required=True
    )
    scenario.objects["question"] = question
    scenario.objects["organiser"] = scenario.user
    scenario.user = UserFactory()
    return scenario


def _messaging() -> Scenario:
    from cocity.events import services

    scenario = _organiser()
    services.registration_create(track=scenario.objects["track"], user=UserFactory())
    return scenario


def _latest(model: Any) -> Any:
    return model.objects.order_by("-pk").first()


EVENT_DATA = {
    "title": "A dialogue",
    "slug": "a-dialogue",
    "summary": "On co-production.",
    "description": "Bring questions.",
    "kind": "webinar",
    "format": "hybrid",
    "status": "published",
    "time_zone": "Europe/Paris",
    "extra_zones": "Europe/London",
    "venue_name": "Town hall",
    "venue_address": "1 Main Street",
    "languages": "en, fr",
    "interpretation": "fr>en",
    "registration_mode": "internal",
    "reminder_offsets": "1440, 60",
}
EVENT_FIELDS = ("title", "summary", "description", "venue_name", "venue_address")


def _event_value(scenario: Scenario, field: str) -> Any:
    return getattr(Event.objects.filter(space=scenario.objects["space"]).latest("pk"), field)


register_form(
    FormCase(
        name="event create",
        url_name="events:event_create",
        url_kwargs=lambda s: {"space_slug": s.objects["space"].slug},
        setup=_organiser,
        data=lambda s: {**EVENT_DATA, "cover": png_upload(), "cover_alt": "A full hall"},
        fields=(
            *EVENT_FIELDS,
            "cover_alt",
            "time_zone",
            "extra_zones",
            "languages",
            "interpretation",
            "online_url",
            "external_registration_url",
        ),
        stored=_event_value,
    )
)

register_form(
    FormCase(
        name="event edit",
        url_name="events:event_edit",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug},
        setup=_organiser,
        data=lambda s: {**EVENT_DATA, "slug": s.objects["event"].slug},
        fields=EVENT_FIELDS,
        stored=_event_value,
        rendered_at=lambda s: s.objects["event"].get_absolute_url(),
    )
)


def _manage(what: str, data: dict[str, Any]) -> Any:
    return lambda s: {"what": what, **{f"{what}-{k}": v for k, v in data.items()}}


register_form(
    FormCase(
        name="event track add",
        url_name="events:event_manage",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug},
        setup=_organiser,
        data=_manage("track", {"name": "Fridays", "description": "Eastern time zones"}),
        fields=("track-name", "track-description"),
        stored=lambda s, f: getattr(_latest(Track), f.split("-", 1)[1]),
        rendered_at=lambda s: s.objects["event"].get_absolute_url(),
    )
)

register_form(
    FormCase(
        name="event session add",
        url_name="events:event_manage",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug},
        setup=_organiser,
        data=lambda s: _manage(
            "session",
            {
                "track": s.objects["track"].pk,
                "title": "Opening",
                "day": "2031-01-16",
                "start": "15:00",
                "end": "17:00",
                "time_zone": "Europe/Paris",
            },
        )(s),
        fields=("session-title", "session-time_zone"),
        stored=lambda s, f: getattr(_latest(Session), f.split("-", 1)[1]),
        rendered_at=lambda s: s.objects["event"].get_absolute_url(),
    )
)

register_form(
    FormCase(
        name="event speaker add",
        url_name="events:event_manage",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug},
        setup=_organiser,
        data=lambda s: _manage(
            "speaker",
            {
                "name": "Ana",
                "affiliation": "City",
                "role": "input",
                "bio": "Planner.",
                "portrait": png_upload(),
                "portrait_alt": "Ana, smiling",
            },
        )(s),
        fields=("speaker-name", "speaker-affiliation", "speaker-bio", "speaker-portrait_alt"),
        stored=lambda s, f: getattr(_latest(Speaker), f.split("-", 1)[1]),
        rendered_at=lambda s: s.objects["event"].get_absolute_url(),
    )
)

register_form(
    FormCase(
        name="event material add",
        url_name="events:event_manage",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug},
        setup=_organiser,
        data=_manage(
            "material",
            {"title": "Concept note", "kind": "concept_note", "url": "https://example.org/n"},
        ),
        fields=("material-title", "material-url"),
        stored=lambda s, f: getattr(_latest(Material), f.split("-", 1)[1]),
        rendered_at=lambda s: s.objects["event"].get_absolute_url(),
    )
)

register_form(
    FormCase(
        name="event question add",
        url_name="events:event_manage",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug},
        setup=_organiser,
        data=_manage("question", {"label": "Your role", "help_text": "As you like"}),
        fields=("question-label", "question-help_text"),
        stored=lambda s, f: getattr(_latest(Question), f.split("-", 1)[1]),
        rendered_at=lambda s: s.objects["event"].get_absolute_url(),
    )
)

register_form(
    FormCase(
        name="event track edit",
        url_name="events:track_edit",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug, "track_id": s.objects["track"].pk},
        setup=_organiser,
        data=lambda s: {"name": "Thursdays", "description": "Western", "capacity": "12"},
        fields=("name", "description"),
        stored=lambda s, f: getattr(Track.objects.get(pk=s.objects["track"].pk), f),
        rendered_at=lambda s: s.objects["event"].get_absolute_url(),
    )
)

register_form(
    FormCase(
        name="event session edit",
        url_name="events:session_edit",
        url_kwargs=lambda s: {
            "slug": s.objects["event"].slug,
            "session_id": s.objects["session"].pk,
        },
        setup=_organiser,
        data=lambda s: {
            "title": "Opening",
            "day": "2031-01-16",
            "start": "15:00",
            "end": "17:00",
            "time_zone": "Europe/Paris",
        },
        fields=("title", "time_zone"),
        stored=lambda s, f: getattr(Session.objects.get(pk=s.objects["session"].pk), f),
        rendered_at=lambda s: s.objects["event"].get_absolute_url(),
    )
)

register_form(
    FormCase(
        name="event registration",
        url_name="events:event_register",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug, "track_id": s.objects["track"].pk},
        setup=_registrant,
        data=lambda s: {f"q{QUESTION_ID}": "City of Lyon"},
        fields=(f"q{QUESTION_ID}",),
        stored=lambda s, f: " ".join(
            _latest(Registration).answers.values() if _latest(Registration) else []
        ),
        rendered_at=lambda s: f"/events/{s.objects['event'].slug}/registrants/",
        viewer=lambda s: s.objects["organiser"],
    )
)

register_form(
    FormCase(
        name="event message to registrants",
        url_name="events:registrants",
        url_kwargs=lambda s: {"slug": s.objects["event"].slug},
        setup=_messaging,
        data=lambda s: {"what": "message", "subject": "Room change", "body": "Room 2."},
        fields=("subject", "body"),
    )
)
