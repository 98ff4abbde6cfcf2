# ruff: noqa: E501  (benchmark script: long data rows)
"""Fill the benchmark database with co-production data at the issue's scale: 100,000 ideas (in
10 processes of one public space), 1,000,000 supports (unique per person and idea, skewed: a few
ideas get hundreds) and 500,000 comments (threads with replies), by PostgreSQL COPY. Prints a
JSON summary as its last line. Run by ``benchmarks/plans/run.py`` with DJANGO_SETTINGS_MODULE set.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from cocity.network.models import Space, Topic  # noqa: E402
from cocity.plans.models import Idea, Phase, Process  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    started = time.monotonic()
    rng = random.Random(42)
    n_ideas = int(100_000 * args.scale)
    n_supports = int(1_000_000 * args.scale)
    n_comments = int(500_000 * args.scale)
    n_people = max(2_000, int(20_000 * args.scale))
    n_processes = 10
    User = get_user_model()

    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY accounts_user (password, is_superuser, email, display_name, bio, languages, "
            "time_zone, is_staff, is_active, date_joined) FROM STDIN"
        ) as copy,
    ):
        now = timezone.now()
        for i in range(n_people):
            copy.write_row(
                ("!", False, f"bench{i}@example.org", f"Person {i}", "", "[]", "", False, True, now)
            )
    users = list(
        User.objects.filter(email__startswith="bench").order_by("id").values_list("id", flat=True)
    )
    space = Space.objects.create(
        name="Benchmark partnership", slug="bench-partnership", kind="partnership"
    )
    topics = [
        Topic.objects.get_or_create(slug=f"bench-topic-{i}", defaults={"name": f"Topic {i}"})[0].pk
        for i in range(12)
    ]
    today = timezone.localdate()
    processes = []
    for p in range(n_processes):
        process = Process.objects.create(
            space=space, title=f"Process {p}", slug=f"bench-process-{p}"
        )
        Phase.objects.create(
            process=process,
            kind="collect",
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=365),
        )
        processes.append(process.pk)
    # Supports per idea: a heavy tail (Pareto), scaled to the wanted total, at most n_people.
    weights = [rng.paretovariate(1.2) for _ in range(n_ideas)]
    total = sum(weights)
    support_counts = [min(n_people, int(w / total * n_supports)) for w in weights]
    missing = n_supports - sum(support_counts)
    i = 0
    while missing > 0:
        if support_counts[i % n_ideas] < n_people:
            support_counts[i % n_ideas] += 1
            missing -= 1
        i += 1
    comment_counts = [n_comments // n_ideas] * n_ideas
    for j in range(n_comments - sum(comment_counts)):
        comment_counts[j] += 1
    base = timezone.now() - datetime.timedelta(days=200)
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY plans_idea (process_id, title, body, topic_id, author_id, created_at, support_count, "
            "comment_count, answer, answer_reason, hidden_reason) FROM STDIN"
        ) as copy,
    ):
        words = [
            "data",
            "segregation",
            "housing",
            "peer",
            "exchange",
            "funding",
            "services",
            "inclusion",
            "school",
            "park",
            "youth",
            "library",
        ]
        for n in range(n_ideas):
            title = f"{rng.choice(words).title()} {rng.choice(words)} {rng.choice(words)} idea {n}"
            copy.write_row(
                (
                    processes[n % n_processes],
                    title,
                    "A benchmark idea with **Markdown** body. " * 5,
                    topics[n % len(topics)],
                    users[n % len(users)],
                    base + datetime.timedelta(seconds=n * 150),
                    support_counts[n],
                    comment_counts[n],
                    "",
                    "",
                    "",
                )
            )
    ideas = list(
        Idea.objects.filter(process_id__in=processes).order_by("id").values_list("id", flat=True)
    )
    ct = ContentType.objects.get_for_model(Idea).pk
    idea_process = {pk: processes[k % n_processes] for k, pk in enumerate(ideas)}
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY participation_support (content_type_id, object_id, user_id, scope_id, created_at) FROM STDIN"
        ) as copy,
    ):
        now = timezone.now()
        for k, pk in enumerate(ideas):
            start = rng.randrange(len(users))
            for s in range(support_counts[k]):
                copy.write_row((ct, pk, users[(start + s) % len(users)], idea_process[pk], now))
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY participation_comment (content_type_id, object_id, author_id, body, stance, created_at, hidden_reason) FROM STDIN"
        ) as copy,
    ):
        for k, pk in enumerate(ideas):
            for c in range(comment_counts[k]):
                copy.write_row(
                    (
                        ct,
                        pk,
                        users[(k + c) % len(users)],
                        f"Comment {c} on idea {pk}.",
                        ("for", "against", "neutral")[c % 3],
                        base + datetime.timedelta(seconds=k * 150 + c),
                        "",
                    )
                )
    # Every other comment replies to the first of its idea: threads with replies.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE participation_comment c SET parent_id = f.first_id
            FROM (SELECT object_id, MIN(id) AS first_id FROM participation_comment
                  WHERE content_type_id = %s GROUP BY object_id) f
            WHERE c.content_type_id = %s AND c.object_id = f.object_id AND c.id <> f.first_id AND c.id %% 2 = 0
            """,
            [ct, ct],
        )
        cursor.execute("VACUUM ANALYZE")  # visibility map set: index-only scans, as in production
    busiest = max(range(n_ideas), key=lambda k: support_counts[k])
    print(
        json.dumps(
            {
                "ideas": n_ideas,
                "supports": n_supports,
                "comments": n_comments,
                "people": n_people,
                "processes": n_processes,
                "sample_topic": topics[1],
                "sample_process": "bench-process-0",
                "busiest_idea": ideas[busiest],
                "busiest_process": f"bench-process-{busiest % n_processes}",
                "seconds": round(time.monotonic() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
