"""Rows for the API benchmark (issue 21): 100,000 ideas in one process, 100,000 upcoming events
in one space and 100,000 published pledges in one campaign (``--scale`` multiplies), written
with the ORM's bulk_create in batches (the models' defaults, no signal per row), and a personal
access token with the ``read`` scope for the "with a token" rows. Prints a JSON summary as its
last line (the token's secret included: a throwaway benchmark database).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_api \\
      .venv/bin/cocity migrate && .venv/bin/python benchmarks/api/generate.py --scale 1.0
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time

BATCH = 5_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.production")
    sys.path.insert(0, "src")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from cocity.api.services import token_create
    from cocity.core.cache import cached_models, rows_changed
    from cocity.events.models import Event
    from cocity.network.models import Organisation, Space
    from cocity.plans.models import Idea, Phase, Process
    from cocity.pledges.models import Campaign, Framework, Pledge

    rows = int(100_000 * args.scale)
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate()
    User = get_user_model()
    with transaction.atomic():
        author, _ = User.objects.get_or_create(
            email="api-bench@bench.cocity.localhost", defaults={"display_name": "API bench"}
        )
        space, _ = Space.objects.get_or_create(
            slug="api-bench", defaults={"name": "API benchmark", "summary": "Generated rows."}
        )
        # Events: upcoming, one every ten minutes from tomorrow on.
        Event.objects.bulk_create(
            (
                Event(
                    space=space,
                    slug=f"api-bench-event-{n}",
                    title=f"Dialogue {n}",
                    summary="A generated dialogue.",
                    status=Event.Status.PUBLISHED,
                    time_zone="Europe/Paris",
                    starts_at=now + datetime.timedelta(days=1, minutes=10 * n),
                    ends_at=now + datetime.timedelta(days=1, minutes=10 * n + 90),
                )
                for n in range(rows)
            ),
            batch_size=BATCH,
        )
        # Ideas: one process in its collect phase.
        process, _ = Process.objects.get_or_create(
            slug="api-bench-process", defaults={"space": space, "title": "API benchmark"}
        )
        Phase.objects.get_or_create(
            process=process,
            kind="collect",
            defaults={
                "starts_on": today - datetime.timedelta(days=30),
                "ends_on": today + datetime.timedelta(days=300),
            },
        )
        Idea.objects.bulk_create(
            (
                Idea(process=process, title=f"Idea {n}", body="Generated.", author=author)
                for n in range(rows)
            ),
            batch_size=BATCH,
        )
        # Pledges: one campaign, one organisation per pledge.
        framework = Framework.objects.order_by("pk").first()
        owner, _ = Organisation.objects.get_or_create(
            slug="api-bench-network", defaults={"name": "API bench network"}
        )
        campaign, _ = Campaign.objects.get_or_create(
            slug="api-bench-campaign",
            defaults={"organisation": owner, "framework": framework, "name": "API benchmark"},
        )
        organisations = Organisation.objects.bulk_create(
            (Organisation(slug=f"api-bench-org-{n}", name=f"City {n}") for n in range(rows)),
            batch_size=BATCH,
        )
        Pledge.objects.bulk_create(
            (
                Pledge(
                    campaign=campaign,
                    organisation=organisation,
                    title=f"Pledge of City {n}",
                    signed_by="The mayor",
                    signed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 700),
                    state=Pledge.State.PUBLISHED,
                    published_at=now,
                )
                for n, organisation in enumerate(organisations)
            ),
            batch_size=BATCH,
        )
        _token, secret = token_create(user=author, name="benchmark", scopes=["read"])
    rows_changed(*cached_models())
    # Fresh planner statistics: without them PostgreSQL picked a plan that read every event of
    # the space for a page of 50 (162 s; 17 ms after ANALYZE).
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "events": rows,
                "ideas": rows,
                "pledges": rows,
                "space": space.slug,
                "process": process.slug,
                "campaign": campaign.slug,
                "token": secret,
                "generate_seconds": round(time.monotonic() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
