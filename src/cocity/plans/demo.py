# ruff: noqa: E501  (data tables: one idea or action a line)
"""Demo: the Cities of Equality partnership's processes (shared/seeds/001), dated from the day the
demo is built (``cocity.core.demo``).

* An older process, two and a half years back: online brainstorming, a preliminary list of
  actions, a draft then adopted action plan, now monitored: ideas merged into actions with
  progress reports (one action delayed past its due date, one planned to start soon).
* The current brainstorm, open for ideas for six more weeks: ideas (those of the French-speaking
  members in French), supports and comments; Claire Dubois (ANCT) facilitates.

Idempotent: keyed by the process slugs and titles; every date is re-anchored on each run."""

from __future__ import annotations

import contextlib
import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocity.core.demo import DEMO_DOMAIN, at
from cocity.network.models import Organisation, Space, Topic
from cocity.participation import services as participation
from cocity.participation.models import Comment, Support

from .models import Action, Idea, Phase, Process, ProgressUpdate

SLUG = "cities-of-equality-action-plan"
BRAINSTORM_SLUG = "cities-of-equality-brainstorm"
D = datetime.timedelta

# title, body, topic slug, author, on behalf of
IDEAS = [
    ("Better data on spatial segregation at city level", "Cities lack comparable data: agree on a common set of **indicators** (income, origin, tenure) at city level.", "spatial-segregation", "claire", "anct"),
    ("Neighbourhood-level segregation data", "City averages hide what happens in neighbourhoods: collect data at neighbourhood level, with residents.", "spatial-segregation", "sophie", None),
    ("Collect policy examples that counteract segregation", "A shared library of what worked (and what did not): housing allocation, school catchments, mixed-income developments.", "spatial-segregation", "pieter", "eukn"),
    ("Peer exchanges with local authorities", "Peer-to-peer exchanges between local authorities, inside and outside the partnership.", "social-inclusion", "pieter", None),
    ("Advise the European Commission on access to funding", "Local authorities struggle to reach EU funds for equality work: advise the Commission on simpler access.", "social-inclusion", "claire", "anct"),
    ("Citizen engagement and co-governance with vulnerable communities", "Gather and share practices of co-governance that really involve vulnerable communities, not only the usual voices.", "citizen-engagement", "sophie", None),
    ("Identify barriers to social inclusion", "Map the barriers people meet (language, digital, paperwork) before designing new services.", "social-inclusion", "claire", None),
    ("Equal access to services", "Look at who does not reach public services and why, starting with health and housing advice.", "social-inclusion", "sophie", None),
]  # fmt: skip

# The open brainstorm: French-speaking members write in French.
NEW_IDEAS = [
    ("Des permanences logement dans les centres sociaux", "À Marseille, les habitants de la Belle de Mai ne savent pas où demander de l'aide contre le logement indigne. Une permanence chaque semaine dans les centres sociaux, avec un juriste et un interprète.", "housing", "sophie", None),
    ("Des écoles ouvertes le samedi pour tout le quartier", "Ouvrir les cours d'école le samedi aux familles du quartier : jeux, aide aux devoirs, rencontres entre parents de toutes origines.", "education", "pieter", None),
    ("Share data on who moves out of renovated neighbourhoods", "After a renovation, who stays and who leaves? Cities should follow the residents, not only the buildings.", "spatial-segregation", "claire", "anct"),
    ("Translate every call for participation", "Calls for participation only in the national language leave many residents out: translate them, at least the summary.", "citizen-engagement", "pieter", "eukn"),
    ("Un budget participatif réservé aux quartiers prioritaires", "Une part du budget participatif de chaque ville réservée aux projets portés par les habitants des quartiers prioritaires.", "social-inclusion", "sophie", None),
]  # fmt: skip

NEW_COMMENTS = [
    (0, "claire", "for", "Très bonne idée : la permanence pourrait aussi accueillir les associations de locataires."),
    (2, "pieter", "for", "EUKN can share how Vienna and Rotterdam follow residents after renovation."),
    (3, "sophie", "for", "Oui, et avec des interprètes lors des réunions publiques."),
]  # fmt: skip
NEW_SUPPORTS = {0: ["claire", "pieter"], 1: ["sophie"], 2: ["sophie", "pieter"], 3: ["claire"]}

# title, description, topic, lead, partners, starts (days from today, or the plan phase start
# when "plan+N"), due (days from today), status, progress, idea indexes, updates (days ago, text, %)
ACTIONS = [
    ("Common data framework on spatial segregation", "Indicators and methods to understand segregation at city and neighbourhood level.", "spatial-segregation", "anct", ["eukn"], "plan+14", 200, "in_progress", 35, [0, 1], [(300, "Indicator set agreed by the partners at the Paris meeting.", 20), (60, "Pilot data collection started in three cities.", 35)]),
    ("Library of policy examples against segregation", "Collect and publish policy examples, with EUKN's case studies.", "spatial-segregation", "eukn", ["anct"], "plan+30", 60, "in_progress", 60, [2], [(100, "Twelve examples documented.", 60)]),
    ("Peer-to-peer exchange programme", "Exchanges between local authorities within and outside the partnership.", "social-inclusion", "anct", [], 45, 400, "planned", 0, [3], []),
    ("Recommendations on access to EU funding", "Advice to the European Commission on how local authorities reach funding for equality.", "social-inclusion", "anct", ["eukn"], "plan+60", -30, "delayed", 15, [4], [(45, "First draft delayed to include the new funding period.", 15)]),
    ("Inventory of segregation data in partner cities", "Which data each partner city holds on segregation, at which scale, and who may use it.", "spatial-segregation", "eukn", ["anct"], "plan+7", -200, "done", 100, [], [(330, "Inventory started with the first seven cities.", 40), (210, "Inventory published: 14 cities, 37 data sources.", 100)]),
    ("Co-governance with vulnerable communities", "Gather and share practices of citizen engagement and co-governance.", "citizen-engagement", None, [], None, None, "proposed", 0, [5, 6, 7], []),
]  # fmt: skip

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


def _phases(process: Process, phases: list[tuple[str, str, datetime.date, datetime.date]]) -> None:
    for kind, name, starts_on, ends_on in phases:
        Phase.objects.update_or_create(
            process=process,
            kind=kind,
            defaults={"name": name, "starts_on": starts_on, "ends_on": ends_on},
        )


def _ideas(process: Process, rows: list, opened: datetime.date, spacing: int) -> list[Idea]:
    """The ideas, posted one every ``spacing`` days from ``opened`` (never after now)."""
    topics = {t.slug: t for t in Topic.objects.all()}
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=["anct", "eukn"])}
    now = timezone.now()
    ideas: list[Idea] = []
    for n, (title, body, topic, author, org) in enumerate(rows):
        posted = min(now - D(hours=2 * (len(rows) - n)), at(opened + D(days=1 + spacing * n), 10))
        idea, _ = Idea.objects.update_or_create(
            process=process,
            title=title,
            defaults={
                "body": body,
                "topic": topics.get(topic),
                "author": _user(author),
                "on_behalf_of": orgs.get(org) if org else None,
                "created_at": posted,
            },
        )
        ideas.append(idea)
    return ideas


def _talk(process: Process, ideas: list[Idea], comments: list, supports: dict, until) -> None:
    """Comments and supports through the services (counters move with them), then dated a few
    hours to days after their idea and never after ``until`` (the end of the phase that allowed
    them) nor now."""
    for index, author, stance, body in comments:
        if not Comment.objects.filter(object_id=ideas[index].pk, body=body).exists():
            participation.comment_create(
                target=ideas[index], author=_user(author), body=body, stance=stance
            )
    for index, people in supports.items():
        for person in people:
            with contextlib.suppress(ValidationError):  # already there on a second run
                participation.support_add(
                    target=ideas[index], user=_user(person), scope_id=process.pk
                )
    now = timezone.now()
    for idea in ideas:
        span = max(min(until, now) - idea.created_at, D(0))
        for model in (Comment, Support):
            rows = model.objects.filter(object_id=idea.pk, content_type__model="idea")
            pks = list(rows.order_by("id").values_list("pk", flat=True))
            for n, pk in enumerate(pks, start=1):  # spread evenly, in the order they were given
                when = idea.created_at + span * n / (len(pks) + 1)
                model.objects.filter(pk=pk).update(created_at=when)


@transaction.atomic
def build() -> dict[str, int]:
    today = timezone.localdate()
    space = Space.objects.get(slug="cities-of-equality")
    topics = {t.slug: t for t in Topic.objects.all()}
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=["anct", "eukn"])}

    # 1. The older process, already an action plan that is being monitored.
    collect_on = today - D(days=900)
    refine_on = collect_on + D(days=122)
    plan_on = refine_on + D(days=184)
    monitor_on = plan_on + D(days=151)
    process, _created = Process.objects.update_or_create(
        slug=SLUG,
        defaults={
            "space": space,
            "title": "Cities of Equality: from brainstorm to action plan",
            "description": "The partnership collected proposals in online brainstorming sessions, refined them into a preliminary list of actions and a draft action plan, adopted the plan, and now follows whether the actions happen.",
            "plan_title": "Cities of Equality action plan",
            "plan_state": Process.PlanState.ADOPTED,
            "plan_adopted_on": monitor_on - D(days=1),
            "manual_phase": None,
        },
    )
    Process.objects.filter(pk=process.pk).update(created_at=at(collect_on - D(days=14), 9))
    _phases(
        process,
        [
            ("collect", "Online brainstorming", collect_on, refine_on - D(days=1)),
            ("refine", "Preliminary list of actions", refine_on, plan_on - D(days=1)),
            ("plan", "Draft action plan", plan_on, monitor_on - D(days=1)),
            ("monitor", "Monitoring", monitor_on, today + D(days=730)),
        ],
    )
    ideas = _ideas(process, IDEAS, collect_on, 9)
    _talk(process, ideas, COMMENTS, SUPPORTS, at(refine_on, 0))
    for (title, description, topic, lead, partners, starts, due, status, progress, sources,
         updates) in ACTIONS:  # fmt: skip
        starts_on: datetime.date | None = None
        if isinstance(starts, str):
            starts_on = plan_on + D(days=int(starts.split("+")[1]))
        elif isinstance(starts, int):
            starts_on = today + D(days=starts)
        action, _ = Action.objects.update_or_create(
            process=process,
            title=title,
            defaults={
                "description": description,
                "topic": topics.get(topic),
                "lead_organisation": orgs.get(lead) if lead else None,
                "starts_on": starts_on,
                "due_on": today + D(days=due) if isinstance(due, int) else None,
                "status": status,
                "progress": progress,
            },
        )
        Action.objects.filter(pk=action.pk).update(created_at=at(plan_on, 11))
        action.partners.set([orgs[p] for p in partners])
        Idea.objects.filter(pk__in=[ideas[i].pk for i in sources]).update(action=action)
        for days_ago, text, percent in updates:
            on = today - D(days=days_ago)
            ProgressUpdate.objects.update_or_create(
                action=action,
                text=text,
                defaults={
                    "on": on,
                    "progress": percent,
                    "status": status,
                    "author": _user("claire"),
                    "created_at": at(on, 16),
                },
            )

    # 2. The current brainstorm: open for ideas until six weeks from today.
    opened = today - D(days=12)
    brainstorm, _created = Process.objects.update_or_create(
        slug=BRAINSTORM_SLUG,
        defaults={
            "space": space,
            "title": "Cities of Equality: ideas for inclusive neighbourhoods",
            "description": "What should the partnership's next round of actions be? Post your ideas on housing, schools, public services and participation in the neighbourhoods that are left out; support and comment on others'. The partners will prioritise them together, then draft the actions.",
            "plan_title": "Cities of Equality: next round of actions",
            "plan_state": Process.PlanState.DRAFT,
            "plan_adopted_on": None,
            "manual_phase": None,
        },
    )
    Process.objects.filter(pk=brainstorm.pk).update(created_at=at(opened - D(days=7), 9))
    closes = today + D(days=42)
    _phases(
        brainstorm,
        [
            ("collect", "Online brainstorming", opened, closes),
            # Five weeks, so that the partners' online workshop (events/demo.py: a week after
            # the brainstorm closes, or after the new year's holidays) falls inside it.
            ("prioritise", "Prioritising together", closes + D(days=1), closes + D(days=35)),
            ("plan", "Drafting the actions", closes + D(days=36), closes + D(days=134)),
        ],
    )
    new_ideas = _ideas(brainstorm, NEW_IDEAS, opened, 2)
    _talk(brainstorm, new_ideas, NEW_COMMENTS, NEW_SUPPORTS, timezone.now())
    for person in ("sophie", "pieter"):
        participation.follow_set(target=brainstorm, user=_user(person), follow=True)
    participation.follow_set(target=process, user=_user("sophie"), follow=True)
    return {
        "processes": 2,
        "ideas": len(ideas) + len(new_ideas),
        "actions": len(ACTIONS),
    }
