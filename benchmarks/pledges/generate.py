"""Pledges at scale: one campaign (European Pillar of Social Rights) with 5,000 published
pledges by 1,000 organisations, 50,000 measures (10 a pledge, in EUR, GBP or SEK), 50,000
indicators and 500,000 progress reports (10 a measure), written in PostgreSQL with
``INSERT ... SELECT generate_series`` (no Python loop over rows). Then the campaign's summary is
computed once, through the service (the same code every write runs), and timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_pledges \\
      .venv/bin/cocity migrate && .venv/bin/python benchmarks/pledges/generate.py --scale 1.0

Prints a JSON summary on its last line (``sample_campaign``, counts, seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.production")
    sys.path.insert(0, "src")
    import django

    django.setup()
    from datetime import date
    from decimal import Decimal

    from django.db import connection, transaction

    from cocity.network.models import Organisation
    from cocity.pledges import services
    from cocity.pledges.models import Campaign, Framework

    pledges = int(5_000 * args.scale)
    orgs = max(pledges // 5, 1)
    started = time.monotonic()
    with transaction.atomic():
        eurocities, _ = Organisation.objects.get_or_create(
            slug="bench-network", defaults={"name": "Bench network", "kind": "network"}
        )
        framework = Framework.objects.get(slug="european-pillar-of-social-rights")
        Campaign.objects.filter(slug="bench-campaign").delete()
        campaign = Campaign.objects.create(
            slug="bench-campaign",
            name="Bench campaign",
            organisation=eurocities,
            framework=framework,
            currency="EUR",
            starts_on=date(2019, 2, 19),
        )
        for quote, rate in (("GBP", "0.88"), ("SEK", "10.5")):
            services.exchange_rate_set(
                base="EUR", quote=quote, rate=Decimal(rate), valid_on=date(2019, 1, 1)
            )
        items = list(
            framework.items.exclude(kind="chapter")
            .order_by("position")
            .values_list("id", flat=True)
        )
        with connection.cursor() as c:
            c.execute(
                """INSERT INTO network_organisation (name, slug, kind, website, description, logo,
                logo_alt, created_at)
                SELECT 'Bench city ' || i, 'bench-city-' || i, 'local_government', '', '', '', '',
                       now()
                FROM generate_series(1, %s) i ON CONFLICT (slug) DO NOTHING""",
                [orgs],
            )
            c.execute(
                """INSERT INTO pledges_pledge (campaign_id, organisation_id, title, statement,
                signed_by, signed_on, state, status, published_at, report_due_on, created_at)
                SELECT %s, o.id, 'Bench pledge ' || i, 'We commit.', 'Mayor',
                       date '2019-01-01' + (i %% 700), 'published', 'on_track', now(),
                       date '2026-01-01' + (i %% 600), now()
                FROM generate_series(1, %s) i
                JOIN network_organisation o ON o.slug = 'bench-city-' || (1 + i %% %s)""",
                [campaign.pk, pledges, orgs],
            )
            c.execute(
                """INSERT INTO pledges_pledge_principles (pledge_id, frameworkitem_id)
                SELECT p.id, (%s::bigint[])[1 + (p.id + k) %% %s]
                FROM pledges_pledge p, generate_series(0, 1) k WHERE p.campaign_id = %s""",
                [items, len(items), campaign.pk],
            )
            c.execute(
                """INSERT INTO pledges_measure (pledge_id, position, description, amount, currency,
                starts_on, ends_on, department, status, spent, last_reported_on)
                SELECT p.id, k, 'Measure ' || k || ' of pledge ' || p.id,
                       (100000 + (p.id * 7919 + k * 104729) %% 900000)::numeric(18, 2),
                       CASE WHEN p.id %% 50 = 0 THEN 'GBP' WHEN p.id %% 77 = 0 THEN 'SEK'
                            ELSE 'EUR' END,
                       p.signed_on, p.signed_on + 1800, 'Social affairs', 'on_track',
                       (1000 + (p.id * 31 + k) %% 50000)::numeric(18, 2), date '2025-06-30'
                FROM pledges_pledge p, generate_series(0, 9) k WHERE p.campaign_id = %s""",
                [campaign.pk],
            )
            c.execute(
                """INSERT INTO pledges_indicator (measure_id, name, unit, baseline, target, current)
                SELECT m.id, 'People helped', 'people', 0, 1000, (m.id %% 1000)
                FROM pledges_measure m JOIN pledges_pledge p ON p.id = m.pledge_id
                WHERE p.campaign_id = %s""",
                [campaign.pk],
            )
            c.execute(
                """INSERT INTO pledges_progressreport (measure_id, reported_on, spent, status,
                narrative, evidence_url, evidence_file, created_at)
                SELECT m.id, m.starts_on + 30 * r, (r * 100)::numeric(18, 2), 'on_track',
                       'Report ' || r, '', '', now()
                FROM pledges_measure m JOIN pledges_pledge p ON p.id = m.pledge_id,
                     generate_series(1, 10) r
                WHERE p.campaign_id = %s""",
                [campaign.pk],
            )
            c.execute("ANALYZE")
    generated = time.monotonic() - started
    t = time.monotonic()
    with transaction.atomic():
        services.summary_recompute(campaign=campaign)
    recompute = time.monotonic() - t
    with connection.cursor() as c:
        counts = {}
        for table in ("pledge", "measure", "progressreport"):
            c.execute(f"SELECT count(*) FROM pledges_{table}")  # noqa: S608 - fixed names
            counts[table] = c.fetchone()[0]
    print(
        json.dumps(
            {
                "sample_campaign": campaign.slug,
                "pledges": counts["pledge"],
                "measures": counts["measure"],
                "progress_reports": counts["progressreport"],
                "generate_seconds": round(generated, 1),
                "summary_recompute_seconds": round(recompute, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
