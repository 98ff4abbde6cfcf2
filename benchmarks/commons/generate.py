# ruff: noqa: E501  (SQL and demo text read better on one line)
"""Commons at scale for the load benchmark: 50,000 commons in 40 neighbourhoods of one city and
200,000 pacts with 4 history entries each (800,000), written in PostgreSQL with
``INSERT ... SELECT generate_series`` (no Python loop over rows).

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE cocity_bench_commons'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_commons .venv/bin/cocity migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench_commons \\
        .venv/bin/python benchmarks/commons/generate.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time

STATES = [
    "submitted", "under_review", "public_window", "co_design", "signed", "active", "active",
    "reported", "reported", "renewed", "closed", "terminated", "rejected",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    sys.path.insert(0, "src")
    import django

    django.setup()
    from django.db import connection, transaction

    from cocity.network.models import Organisation, Territory

    commons = int(50_000 * args.scale)
    pacts = int(200_000 * args.scale)
    started = time.monotonic()
    with transaction.atomic():
        country, _ = Territory.objects.get_or_create(
            code="BX", defaults={"name": "Benchland", "kind": "country"}
        )
        city, _ = Territory.objects.get_or_create(
            code="BX-CITY", defaults={"name": "Bench City", "kind": "city", "parent": country}
        )
        district, _ = Territory.objects.get_or_create(
            code="BX-CITY-01", defaults={"name": "District", "kind": "district", "parent": city}
        )
        hoods = [
            Territory.objects.get_or_create(
                code=f"BX-CITY-01-{n}",
                defaults={"name": f"Hood {n}", "kind": "neighbourhood", "parent": district},
            )[0]
            for n in range(1, 41)
        ]
        org, _ = Organisation.objects.get_or_create(
            slug="bench-city", defaults={"name": "Bench City", "kind": "local_government"}
        )
        hood_ids = [h.pk for h in hoods]
        hood_paths = [h.path for h in hoods]
        with connection.cursor() as c:
            c.execute(
                "DELETE FROM commons_pacthistoryentry WHERE pact_id IN (SELECT p.id FROM commons_pact p JOIN commons_commons cc ON cc.id = p.commons_id WHERE cc.slug LIKE 'bench-commons-%%')"
            )
            c.execute(
                "DELETE FROM commons_pactparty WHERE pact_id IN (SELECT p.id FROM commons_pact p JOIN commons_commons cc ON cc.id = p.commons_id WHERE cc.slug LIKE 'bench-commons-%%')"
            )
            c.execute(
                "DELETE FROM commons_pact WHERE commons_id IN (SELECT id FROM commons_commons WHERE slug LIKE 'bench-commons-%%')"
            )
            c.execute("DELETE FROM commons_commons WHERE slug LIKE 'bench-commons-%%'")
            c.execute(
                """INSERT INTO accounts_user (password, email, display_name, bio, languages,
                time_zone, is_staff, is_active, is_superuser, date_joined)
                VALUES ('!', 'proponent@bench.cocity.localhost', 'Bench proponent', '', '["en"]',
                        'Europe/Rome', false, true, false, now())
                ON CONFLICT (email) DO NOTHING"""
            )
            c.execute(
                "SELECT id FROM accounts_user WHERE email = 'proponent@bench.cocity.localhost'"
            )
            user_id = c.fetchone()[0]
            c.execute(
                """INSERT INTO commons_commons (name, slug, kind, description, owner, owner_name,
                owner_consent, organisation_id, department, territory_id, territory_path,
                latitude, longitude, shape, condition, created_at, cover, cover_alt,
                cover_decorative, cover_variants)
                SELECT 'Bench commons ' || i, 'bench-commons-' || i,
                  (ARRAY['place','building','facility','service','place'])[1 + i %% 5], '',
                  'city', '', false, %s, 'Commons office',
                  (%s::int[])[1 + i %% 40], (%s::text[])[1 + i %% 40],
                  44.40 + random() * 0.2, 11.20 + random() * 0.3, NULL,
                  (ARRAY['good','fair','poor','derelict'])[1 + i %% 4], now(), '', '', false,
                  '[]'
                FROM generate_series(1, %s) i""",
                [org.pk, hood_ids, hood_paths, commons],
            )
            c.execute(
                "SELECT min(id), max(id) FROM commons_commons WHERE slug LIKE 'bench-commons-%%'"
            )
            low, high = c.fetchone()
            c.execute(
                """INSERT INTO commons_pact (title, kind, commons_id, state, state_since,
                step_due_on, objectives, level, resources_offered, resources_requested,
                responsibilities, starts_on, ends_on, renewal_terms, termination_terms,
                reporting_duties, indicators, shared_draft, created_by_id, created_at, cover,
                cover_alt, cover_decorative, cover_variants)
                SELECT 'Bench pact ' || i, (ARRAY['ordinary','ordinary','complex'])[1 + i %% 3],
                  %s + (i * 7919) %% (%s - %s + 1), (%s::text[])[1 + i %% 13], now(),
                  CASE WHEN i %% 13 < 3 THEN current_date + (i %% 90) - 30 END,
                  'Care for the commons together.', 'ongoing', '', '', '',
                  d::date, (d + interval '2 years')::date, '', '', '', 'Open days', '', %s, d,
                  '', '', false, '[]'
                FROM (SELECT i, now() - (i %% 2900) * interval '1 day' - (i %% 1440) * interval '1 minute' AS d
                      FROM generate_series(1, %s) i) g""",
                [low, high, low, STATES, user_id, pacts],
            )
            c.execute(
                """INSERT INTO commons_pacthistoryentry (pact_id, action, from_state, to_state, actor_id,
                reason, due_on, created_at)
                SELECT p.id, a.action, a.from_state, a.to_state, %s, a.reason, NULL,
                  p.created_at + a.n * interval '10 days'
                FROM commons_pact p
                JOIN commons_commons cc ON cc.id = p.commons_id AND cc.slug LIKE 'bench-commons-%%'
                CROSS JOIN (VALUES (0, 'create', '', 'draft', ''),
                                   (1, 'submit', 'draft', 'submitted', ''),
                                   (2, 'take_up', 'submitted', 'under_review', ''),
                                   (3, 'approve', 'under_review', 'approved', 'Fine.'))
                  AS a(n, action, from_state, to_state, reason)""",
                [user_id],
            )
        c = connection.cursor()
        c.execute("ANALYZE commons_commons; ANALYZE commons_pact; ANALYZE commons_pacthistoryentry")
    print(
        f"{commons} commons, {pacts} pacts, {pacts * 4} history entries in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
