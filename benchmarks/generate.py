"""Fill a database with a network of realistic size, fast (bulk_create in batches).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench \\
        .venv/bin/python benchmarks/generate.py --scale 1.0

At scale 1: 100,000 people, 5,000 organisations, 2,000 spaces, about 5,200 territories (20
countries > 200 cities > 1,000 districts > 4,000 neighbourhoods), 60 topics, memberships of
spaces and organisations, join requests. ``--scale`` multiplies the counts. The database must be
migrated and empty (the benchmark runner creates a fresh one). Prints a JSON summary last.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

BATCH = 5_000
FIRST = [
    "Amina",
    "Jonas",
    "Sofia",
    "Mehmet",
    "Léa",
    "Kwame",
    "Ioana",
    "Pedro",
    "Nour",
    "Ana",
    "Yusuf",
    "Elena",
    "Mateo",
    "Fatou",
    "Lukas",
    "Chloé",
    "Omar",
    "Giulia",
    "Hana",
    "Piotr",
]
LAST = [
    "Diallo",
    "Peeters",
    "Rossi",
    "Yilmaz",
    "Martin",
    "Mensah",
    "Popescu",
    "Silva",
    "Haddad",
    "Nowak",
    "Garcia",
    "Schmidt",
    "Dubois",
    "Kowalski",
    "Ndiaye",
    "Costa",
    "Janssens",
]
WORDS = [
    "Garden",
    "Housing",
    "Mobility",
    "Energy",
    "Care",
    "Food",
    "Culture",
    "Youth",
    "Climate",
    "Water",
    "Repair",
    "Library",
    "Market",
    "Commons",
    "Health",
    "Play",
    "Bike",
    "Heat",
]
SPACE_WORDS = ["partnership", "working group", "lab", "programme", "series", "circle", "table"]
LANGS = ["en", "fr", "nl", "de", "es", "it", "pt", "ar", "tr", "pl", "ro", "el"]
ZONES = ["Europe/Brussels", "Europe/Paris", "Europe/Athens", "Africa/Dakar", "America/Sao_Paulo"]


def batched(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(model: Any, rows: Iterable[Any]) -> int:
    count = 0
    for batch in batched(rows):
        model.objects.bulk_create(batch, batch_size=BATCH)
        count += len(batch)
    return count


def generate(scale: float, seed: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from cocity.network.models import (
        JoinRequest,
        Organisation,
        OrganisationMembership,
        Role,
        Space,
        SpaceMembership,
        Territory,
        Topic,
    )

    User = get_user_model()
    if User.objects.exists() or Space.objects.exists():
        raise SystemExit("The database is not empty: generate into a fresh, migrated database.")
    rng = random.Random(seed)
    now = timezone.now()
    n_people = max(10, int(100_000 * scale))
    n_orgs = max(5, int(5_000 * scale))
    n_spaces = max(5, int(2_000 * scale))
    n_countries = max(2, int(20 * min(scale, 1.0) ** 0.5))
    timings: dict[str, float] = {}
    started = time.monotonic()

    def lap(name: str) -> None:
        timings[name] = round(time.monotonic() - started - sum(timings.values()), 2)

    with transaction.atomic():
        # Territories: country > city > district > neighbourhood, paths computed here
        # (bulk_create does not call save()).
        countries = [
            Territory(
                name=f"Country {c}",
                code=f"K{c:02d}",
                kind=Territory.Kind.COUNTRY,
                path=f"K{c:02d}/",
                depth=0,
            )
            for c in range(n_countries)
        ]
        Territory.objects.bulk_create(countries)
        cities = [
            Territory(
                name=f"{rng.choice(WORDS)}ville {c.code}-{i}",
                code=f"{c.code}-C{i}",
                kind=Territory.Kind.CITY,
                parent=c,
                path=f"{c.path}{c.code}-C{i}/",
                depth=1,
            )
            for c in countries
            for i in range(10)
        ]
        Territory.objects.bulk_create(cities)
        districts = [
            Territory(
                name=f"District {i} of {city.name}",
                code=f"{city.code}-D{i}",
                kind=Territory.Kind.DISTRICT,
                parent=city,
                path=f"{city.path}{city.code}-D{i}/",
                depth=2,
            )
            for city in cities
            for i in range(5)
        ]
        Territory.objects.bulk_create(districts, batch_size=BATCH)
        hoods = [
            Territory(
                name=f"{rng.choice(WORDS)} quarter {d.code}-{i}",
                code=f"{d.code}-N{i}",
                kind=Territory.Kind.NEIGHBOURHOOD,
                parent=d,
                path=f"{d.path}{d.code}-N{i}/",
                depth=3,
            )
            for d in districts
            for i in range(4)
        ]
        bulk(Territory, hoods)
        lap("territories")

        topics = [
            Topic(
                name=f"{word} {i}" if i else word,
                slug=f"{word.lower()}-{i}",
                translations={"fr": f"{word} (fr) {i}"},
            )
            for i in range(4)
            for word in WORDS[:15]
        ]
        Topic.objects.bulk_create(topics)
        lap("topics")

        password = make_password("cocity-bench")
        city_by_code = {city.code: city for city in cities}

        def people() -> Iterator[Any]:
            for i in range(n_people):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                hood = rng.choice(hoods) if rng.random() < 0.6 else None
                city = city_by_code[hood.code.split("-D")[0]] if hood else None
                yield User(
                    email=f"person{i}@bench.cocity.localhost",
                    display_name=f"{first} {last}",
                    password=password,
                    languages=rng.sample(LANGS, rng.randint(1, 3)),
                    time_zone=rng.choice(ZONES),
                    home_city=city,
                    home_neighbourhood=hood,
                    date_joined=now - timedelta(days=rng.randint(0, 1500)),
                )

        bulk(User, people())
        user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
        lap("people")

        def organisations() -> Iterator[Organisation]:
            kinds = [k for k, _ in Organisation.Kind.choices]
            for i in range(n_orgs):
                word = rng.choice(WORDS)
                suffix = rng.choice(["Collective", "Union", "Network", "Lab", "City"])
                yield Organisation(
                    name=f"{word} {suffix} {i}",
                    slug=f"{word.lower()}-{i}",
                    kind=rng.choice(kinds),
                    home_territory=rng.choice(cities if rng.random() < 0.5 else hoods),
                    website=f"https://org{i}.example.org",
                    description=f"We work on **{word.lower()}** in our city. " * 5,
                    created_at=now - timedelta(days=rng.randint(0, 2000)),
                )

        bulk(Organisation, organisations())
        org_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))

        def org_memberships() -> Iterator[OrganisationMembership]:
            for org_id in org_ids:
                members = rng.sample(user_ids, rng.randint(1, 6))
                for j, user_id in enumerate(members):
                    role = Role.ADMIN if j == 0 else rng.choice([Role.MEMBER, Role.EDITOR])
                    yield OrganisationMembership(organisation_id=org_id, user_id=user_id, role=role)

        n_org_members = bulk(OrganisationMembership, org_memberships())
        lap("organisations")

        def spaces() -> Iterator[Space]:
            kinds = [k for k, _ in Space.Kind.choices]
            for i in range(n_spaces):
                visibility = (
                    Space.Visibility.MEMBERS if rng.random() < 0.15 else Space.Visibility.PUBLIC
                )
                policy = (
                    rng.choice([Space.JoinPolicy.REQUEST, Space.JoinPolicy.INVITATION])
                    if visibility == Space.Visibility.MEMBERS
                    else rng.choice(list(Space.JoinPolicy))
                )
                word = rng.choice(WORDS)
                yield Space(
                    name=f"{word} {rng.choice(SPACE_WORDS)} {i}",
                    slug=f"{word.lower()}-space-{i}",
                    kind=rng.choice(kinds),
                    visibility=visibility,
                    join_policy=policy,
                    summary=f"People working together on {word.lower()}.",
                    description=f"## About\n\nWe meet monthly about **{word.lower()}**.\n" * 3,
                    territory=rng.choice(cities + districts),
                    created_by_id=rng.choice(user_ids),
                    created_at=now - timedelta(days=rng.randint(0, 1500)),
                )

        bulk(Space, spaces())
        space_ids = list(Space.objects.order_by("pk").values_list("pk", flat=True))
        topic_ids = [t.pk for t in Topic.objects.all()]
        SpaceTopic = Space.topics.through
        SpaceOrg = Space.organisations.through
        bulk(
            SpaceTopic,
            (
                SpaceTopic(space_id=s, topic_id=t)
                for s in space_ids
                for t in rng.sample(topic_ids, rng.randint(1, 4))
            ),
        )
        bulk(
            SpaceOrg,
            (
                SpaceOrg(space_id=s, organisation_id=o)
                for s in space_ids
                for o in rng.sample(org_ids, rng.randint(1, 2))
            ),
        )

        def space_memberships() -> Iterator[SpaceMembership]:
            for space_id in space_ids:
                size = min(len(user_ids), int(rng.paretovariate(1.2) * 8))
                for j, user_id in enumerate(rng.sample(user_ids, max(1, size))):
                    role = Role.ADMIN if j == 0 else (Role.EDITOR if j < 3 else Role.MEMBER)
                    yield SpaceMembership(space_id=space_id, user_id=user_id, role=role)

        n_space_members = bulk(SpaceMembership, space_memberships())
        member_pairs = set(SpaceMembership.objects.values_list("space_id", "user_id"))

        def join_requests() -> Iterator[JoinRequest]:
            for space_id in rng.sample(space_ids, len(space_ids) // 3):
                for user_id in rng.sample(user_ids, 3):
                    if (space_id, user_id) not in member_pairs:
                        yield JoinRequest(space_id=space_id, user_id=user_id, message="May I join?")

        n_requests = bulk(JoinRequest, join_requests())
        lap("spaces")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    lap("analyze")
    busiest = (
        Space.objects.filter(visibility=Space.Visibility.PUBLIC)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    return {
        "scale": scale,
        "people": n_people,
        "organisations": n_orgs,
        "organisation_memberships": n_org_members,
        "spaces": n_spaces,
        "space_memberships": n_space_members,
        "join_requests": n_requests,
        "territories": Territory.objects.count(),
        "topics": len(topics),
        "sample_space": busiest,
        "sample_organisation": Organisation.objects.order_by("pk").values_list("slug", flat=True)[
            0
        ],
        "sample_territory": cities[0].code,
        "seconds": timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.base")
    import django

    django.setup()
    summary = generate(args.scale, args.seed)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
