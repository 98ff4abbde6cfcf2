# ruff: noqa: E501  (data tables: one idea or action a line)
"""Demo: the Cities of Equality partnership's process (shared/seeds/001): online brainstorming,
a preliminary list of actions due by the end of 2024, a draft action plan due in spring 2025,
then monitoring. Ideas on the seed's themes, comments and supports, merged into actions with
milestones and progress reports. Idempotent: keyed by the process slug and titles."""

from __future__ import annotations

import contextlib
import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from cocity.core.demo import DEMO_DOMAIN
from cocity.network.models import Organisation, Space, Topic
from cocity.participation import services as participation
from cocity.participation.models import Comment

from .models import Action, Idea, Phase, Process, ProgressUpdate

SLUG = "cities-of-equality-action-plan"

PHASES = [
    ("collect", "Online brainstorming", datetime.date(2024, 3, 1), datetime.date(2024, 6, 30)),
    (
        "refine",
        "Preliminary list of actions",
        datetime.date(2024, 7, 1),
        datetime.date(2024, 12, 31),
    ),
    ("plan", "Draft action plan", datetime.date(2025, 1, 1), datetime.date(2025, 5, 31)),
    ("monitor", "Monitoring", datetime.date(2025, 6, 1), datetime.date(2027, 12, 31)),
]

# title, body, topic slug, author, on behalf of
IDEAS = [
    (
        "Better data on spatial segregation at city level",
        "Cities lack comparable data: agree on a common set of **indicators** (income, origin, tenure) at city level.",
        "spatial-segregation",
        "claire",
        "anct",
    ),
    (
        "Neighbourhood-level segregation data",
        "City averages hide what happens in neighbourhoods: collect data at neighbourhood level, with residents.",
        "spatial-segregation",
        "sophie",
        None,
    ),
    (
        "Collect policy examples that counteract segregation",
        "A shared library of what worked (and what did not): housing allocation, school catchments, mixed-income developments.",
        "spatial-segregation",
        "pieter",
        "eukn",
    ),
    (
        "Peer exchanges with local authorities",
        "Peer-to-peer exchanges between local authorities, inside and outside the partnership.",
        "social-inclusion",
        "pieter",
        None,
    ),
    (
        "Advise the European Commission on access to funding",
        "Local authorities struggle to reach EU funds for equality work: advise the Commission on simpler access.",
        "social-inclusion",
        "claire",
        "anct",
    ),
    (
        "Citizen engagement and co-governance with vulnerable communities",
        "Gather and share practices of co-governance that really involve vulnerable communities, not only the usual voices.",
        "citizen-engagement",
        "sophie",
        None,
    ),
    (
        "Identify barriers to social inclusion",
        "Map the barriers people meet (language, digital, paperwork) before designing new services.",
        "social-inclusion",
        "claire",
        None,
    ),
    (
        "Equal access to services",
        "Look at who does not reach public services and why, starting with health and housing advice.",
        "social-inclusion",
        "sophie",
        None,
    ),
]

# title, description, topic, lead, partners, start, due, status, progress, idea indexes, updates
ACTIONS = [
    (
        "Common data framework on spatial segregation",
        "Indicators and methods to understand segregation at city and neighbourhood level.",
        "spatial-segregation",
        "anct",
        ["eukn"],
        datetime.date(2025, 1, 15),
        datetime.date(2026, 6, 30),
        "in_progress",
        35,
        [0, 1],
        [
            (
                datetime.date(2025, 6, 20),
                "Indicator set agreed by the partners at the Paris meeting.",
                20,
            ),
            (datetime.date(2025, 11, 10), "Pilot data collection started in three cities.", 35),
        ],
    ),
    (
        "Library of policy examples against segregation",
        "Collect and publish policy examples, with EUKN's case studies.",
        "spatial-segregation",
        "eukn",
        ["anct"],
        datetime.date(2025, 2, 1),
        datetime.date(2025, 12, 31),
        "in_progress",
        60,
        [2],
        [(datetime.date(2025, 9, 1), "Twelve examples documented.", 60)],
    ),
    (
        "Peer-to-peer exchange programme",
        "Exchanges between local authorities within and outside the partnership.",
        "social-inclusion",
        "anct",
        [],
        datetime.date(2025, 3, 1),
        datetime.date(2026, 3, 31),
        "planned",
        0,
        [3],
        [],
    ),
    (
        "Recommendations on access to EU funding",
        "Advice to the European Commission on how local authorities reach funding for equality.",
        "social-inclusion",
        "anct",
        ["eukn"],
        datetime.date(2025, 4, 1),
        datetime.date(2025, 10, 31),
        "delayed",
        15,
        [4],
        [
            (
                datetime.date(2025, 10, 1),
                "First draft delayed to include the new funding period.",
                15,
            )
        ],
    ),
    (
        "Co-governance with vulnerable communities",
        "Gather and share practices of citizen engagement and co-governance.",
        "citizen-engagement",
        None,
        [],
        None,
        None,
        "proposed",
        0,
        [5, 6, 7],
        [],
    ),
]

COMMENTS = [
    (0, "sophie", "for", "Yes, and the data must be open so residents can use it too."),
    (0, "pieter", "neutral", "EUKN can share the method used in the Urban Agenda partnerships."),
    (3, "sophie", "for", "Marseille would host an exchange on housing allocation."),
    (5, "claire", "for", "Essential: the Paris meeting asked for this explicitly."),
]
SUPPORTS = {
    0: ["sophie", "pieter"],
    1: ["claire"],
    3: ["claire", "sophie"],
    4: ["pieter", "sophie"],
    5: ["claire", "pieter"],
}


def _user(local: str):
    return get_user_model().objects.get(email=f"{local}@{DEMO_DOMAIN}")


@transaction.atomic
def build() -> dict[str, int]:
    space = Space.objects.get(slug="cities-of-equality")
    process, _created = Process.objects.update_or_create(
        slug=SLUG,
        defaults={
            "space": space,
            "title": "Cities of Equality: from brainstorm to action plan",
            "description": "The partnership collected proposals in online brainstorming sessions, refined them into a preliminary list of actions (end of 2024) and a draft action plan (spring 2025), and now follows whether the actions happen.",
            "plan_title": "Cities of Equality draft action plan",
            "plan_state": Process.PlanState.DRAFT,
        },
    )
    for kind, name, phase_start, phase_end in PHASES:
        Phase.objects.update_or_create(
            process=process,
            kind=kind,
            defaults={"name": name, "starts_on": phase_start, "ends_on": phase_end},
        )
    topics = {t.slug: t for t in Topic.objects.all()}
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=["anct", "eukn"])}
    ideas: list[Idea] = []
    for title, body, topic, author, org in IDEAS:
        idea, _ = Idea.objects.update_or_create(
            process=process,
            title=title,
            defaults={
                "body": body,
                "topic": topics.get(topic),
                "author": _user(author),
                "on_behalf_of": orgs.get(org) if org else None,
            },
        )
        ideas.append(idea)
    for index, author, stance, body in COMMENTS:
        if not Comment.objects.filter(object_id=ideas[index].pk, body=body).exists():
            participation.comment_create(
                target=ideas[index], author=_user(author), body=body, stance=stance
            )
    for index, people in SUPPORTS.items():
        for person in people:
            with contextlib.suppress(ValidationError):  # already there on a second run
                participation.support_add(
                    target=ideas[index], user=_user(person), scope_id=process.pk
                )
    for (
        title,
        description,
        topic,
        lead,
        partners,
        start,
        due,
        status,
        progress,
        sources,
        updates,
    ) in ACTIONS:
        action, _ = Action.objects.update_or_create(
            process=process,
            title=title,
            defaults={
                "description": description,
                "topic": topics.get(topic),
                "lead_organisation": orgs.get(lead) if lead else None,
                "starts_on": start,
                "due_on": due,
                "status": status,
                "progress": progress,
            },
        )
        action.partners.set([orgs[p] for p in partners])
        Idea.objects.filter(pk__in=[ideas[i].pk for i in sources]).update(action=action)
        for on, text, percent in updates:
            ProgressUpdate.objects.get_or_create(
                action=action,
                on=on,
                defaults={
                    "text": text,
                    "progress": percent,
                    "status": status,
                    "author": _user("claire"),
                },
            )
    participation.follow_set(target=process, user=_user("sophie"), follow=True)
    return {"processes": 1, "ideas": len(ideas), "actions": len(ACTIONS)}
