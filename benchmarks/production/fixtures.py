"""The rows the production-like run writes against, made through the ORM and the services in the
database of ``DATABASE_URL`` (run by ``benchmarks/production/run.py`` with the server's
environment): people with a signed-in session each (in the server's own session store), an event
with 10 seats and a required question for the registration rush, a process in its "collect"
phase with an idea for the support rush, and, for the writes under ``kill -9``: four events (one
in a members-only space), five ideas and eight organisations with a published pledge each in the
demo's campaign. Prints a JSON description (addresses, ids, session keys) as its last line.

    .venv/bin/python benchmarks/production/fixtures.py --people 500
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
PREFIX = "bench-production"
DOMAIN = "bench.cocity.localhost"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--kill-people", type=int, default=200, help="of --people, the writers")
    parser.add_argument("--seats", type=int, default=10)
    parser.add_argument(
        "--sessions-for",
        default="",
        help="only sign these people in (comma-separated e-mail addresses); print their sessions",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.production")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
        load_backend,
    )
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from cocity.events.models import Event, Question, Session, Track
    from cocity.network.models import (
        Organisation,
        OrganisationMembership,
        Role,
        Space,
        SpaceMembership,
    )
    from cocity.plans.models import Idea, Phase, Process
    from cocity.pledges import services as pledges
    from cocity.pledges.models import Campaign

    User = get_user_model()
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )

    def session_of(person: Any) -> str:
        """A signed-in session in the server's own store (Redis), as logging in makes."""
        store = store_class()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.save()
        return str(store.session_key)

    if args.sessions_for:
        emails = [e.strip() for e in args.sessions_for.split(",") if e.strip()]
        found = {u.email: u for u in User.objects.filter(email__in=emails)}
        missing = [e for e in emails if e not in found]
        if missing:
            raise SystemExit(f"No such person: {', '.join(missing)}")
        print(json.dumps({e: session_of(found[e]) for e in emails}))
        return

    unusable = make_password(None)  # nobody logs in with a password: sessions are made here
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        if Space.objects.filter(slug=PREFIX).exists():
            raise SystemExit(f"{PREFIX} rows exist already: run on a fresh copy of the seed.")
        User.objects.bulk_create(
            [
                User(email=f"load-{i}@{DOMAIN}", display_name=f"Load {i}", password=unusable)
                for i in range(args.people)
            ]
        )
        people = list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("pk"))
        people = [p for p in people if p.email.startswith("load-")][: args.people]
        writers = people[-args.kill_people :]
        space = Space.objects.create(
            slug=PREFIX, name="Production-like run", kind=Space.Kind.PROGRAMME, join_policy="open"
        )
        closed = Space.objects.create(
            slug=f"{PREFIX}-members",
            name="Production-like run, members only",
            kind=Space.Kind.WORKING_GROUP,
            visibility=Space.Visibility.MEMBERS,
        )
        SpaceMembership.objects.bulk_create(
            [SpaceMembership(space=closed, user=p, role=Role.MEMBER) for p in writers]
        )

        def event(slug: str, seats: int, where: Space) -> dict[str, object]:
            start = (now + datetime.timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
            made = Event.objects.create(
                space=where,
                slug=slug,
                title=f"Production-like run: {slug}",
                status=Event.Status.PUBLISHED,
                registration_mode=Event.Registration.INTERNAL,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
            )
            track = Track.objects.create(event=made, name="Main", capacity=seats)
            Session.objects.create(
                track=track,
                start=start,
                end=start + datetime.timedelta(hours=2),
                time_zone=made.time_zone,
            )
            question = Question.objects.create(
                event=made, label="Your neighbourhood", required=True
            )
            return {
                "slug": slug,
                "id": made.pk,
                "track": track.pk,
                "question": question.pk,
                "seats": seats,
            }

        rush_event = event(f"{PREFIX}-rush", args.seats, space)
        kill_events = [
            event(f"{PREFIX}-kill-{n}", 15, closed if n == 0 else space) for n in range(4)
        ]
        process = Process.objects.create(space=space, slug=PREFIX, title="Production-like run")
        Phase.objects.create(
            process=process,
            kind="collect",
            starts_on=today - datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=10),
        )
        ideas = [
            Idea.objects.create(
                process=process, title=f"Idea {n}", body="Supported at once.", author=people[0]
            )
            for n in range(6)
        ]

    # Pledges through the services (the campaign's summary is theirs to keep).
    campaign = Campaign.objects.order_by("pk").first()
    if campaign is None:
        raise SystemExit("No pledge campaign: the seed needs `cocity demo-data`.")
    pledge_rows = []
    for n, owner in enumerate(writers[:8]):
        organisation = Organisation.objects.create(
            slug=f"{PREFIX}-org-{n}", name=f"Production-like organisation {n}", kind="other"
        )
        OrganisationMembership.objects.create(
            organisation=organisation, user=owner, role=Role.EDITOR
        )
        pledge = pledges.pledge_create(
            campaign=campaign,
            organisation=organisation,
            title=f"Production-like pledge {n}",
            signed_by="The board",
            signed_on=today,
        )
        pledges.measure_add(
            pledge=pledge,
            description="First measure",
            amount="1000",
            currency="EUR",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=365),
        )
        pledges.pledge_publish(pledge=pledge)
        pledge_rows.append({"id": pledge.pk, "owner": people.index(owner)})

    sessions = [session_of(person) for person in people]
    print(
        json.dumps(
            {
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "people": [
                    {"id": p.pk, "session": s} for p, s in zip(people, sessions, strict=True)
                ],
                "writers_from": len(people) - len(writers),
                "rush_event": rush_event,
                "kill_events": kill_events,
                "process": process.slug,
                "rush_idea": ideas[0].pk,
                "kill_ideas": [idea.pk for idea in ideas[1:]],
                "campaign": campaign.pk,
                "pledges": pledge_rows,
            }
        )
    )


if __name__ == "__main__":
    main()
