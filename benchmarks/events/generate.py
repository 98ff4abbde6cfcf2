"""Events at scale for the load benchmark: 20,000 events (one track, one session each) and
1,000,000 registrations in PostgreSQL, written with ``INSERT ... SELECT generate_series`` (no
Python loop over rows). One person ("feed-200@bench.cocity.localhost") is registered for 200
events, for the personal calendar figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocity_bench \\
      .venv/bin/cocity migrate && .venv/bin/python benchmarks/events/generate.py --scale 1.0

Then measure with the harness (``benchmarks/run.py --reuse``) on ``/events/``,
``/events/bench-event-1/`` and ``/events/me/calendar/<token>.ics`` (the token is printed).
"""

from __future__ import annotations

import argparse
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
    from django.db import connection, transaction

    from cocity.events.models import CalendarToken
    from cocity.network.models import Space

    events = int(20_000 * args.scale)
    people = max(int(20_000 * args.scale), 250)
    per_event = 50  # 20,000 x 50 = 1,000,000 registrations
    started = time.monotonic()
    with transaction.atomic():
        space, _ = Space.objects.get_or_create(
            slug="bench-events", defaults={"name": "Bench events", "kind": "series"}
        )
        with connection.cursor() as c:
            c.execute("DELETE FROM events_event WHERE slug LIKE 'bench-event-%%'")
            c.execute(
                """INSERT INTO accounts_user (password, email, display_name, bio, languages,
                time_zone, is_staff, is_active, is_superuser, date_joined)
                SELECT '!', 'bench-' || i || '@bench.cocity.localhost', 'Bench ' || i, '',
                       '["en"]', 'Europe/Paris', false, true, false, now()
                FROM generate_series(1, %s) i ON CONFLICT (email) DO NOTHING""",
                [people],
            )
            c.execute(
                """INSERT INTO events_event (space_id, slug, title, summary, description, kind,
                format, status, time_zone, extra_zones, venue_name, venue_address, languages,
                interpretation, online_url, registration_mode, external_registration_url,
                reminder_offsets, starts_at, ends_at, sequence, created_at, updated_at, cover,
                cover_alt, cover_decorative, cover_variants)
                SELECT %s, 'bench-event-' || i, 'Bench dialogue ' || i, 'A generated event.', '',
                  (ARRAY['webinar','workshop','presentation','study_visit'])[1 + i %% 4],
                  (ARRAY['online','in_person','hybrid'])[1 + i %% 3], 'published',
                  'Europe/Paris', '["Europe/London"]', '', '', '["en","fr"]', '["fr>en"]',
                  'https://zoom.example.org/j/bench-' || i, 'internal', '', '[1440, 60]',
                  now() + (i - %s / 2) * interval '3 hours',
                  now() + (i - %s / 2) * interval '3 hours' + interval '2 hours', 0, now(), now(),
                  '', '', false, '[]'
                FROM generate_series(1, %s) i""",
                [space.pk, events, events, events],
            )
            c.execute(
                """INSERT INTO events_track (event_id, name, description, capacity,
                confirmed_count, position)
                SELECT id, 'Main', '', 100, %s, 0 FROM events_event
                WHERE slug LIKE 'bench-event-%%'""",
                [per_event],
            )
            c.execute(
                """INSERT INTO events_session (track_id, title, start, "end", time_zone)
                SELECT t.id, '', e.starts_at, e.ends_at, 'Europe/Paris'
                FROM events_track t JOIN events_event e ON e.id = t.event_id
                WHERE e.slug LIKE 'bench-event-%%'"""
            )
            c.execute(
                """WITH ev AS (SELECT e.id AS event_id, t.id AS track_id,
                                      row_number() OVER (ORDER BY e.id) AS n
                               FROM events_event e JOIN events_track t ON t.event_id = e.id
                               WHERE e.slug LIKE 'bench-event-%%'),
                     us AS (SELECT id AS user_id, row_number() OVER (ORDER BY id) AS m
                            FROM accounts_user WHERE email LIKE 'bench-%%')
                INSERT INTO events_registration (event_id, track_id, user_id, status, answers,
                                                 attended, created_at)
                SELECT ev.event_id, ev.track_id, us.user_id, 'confirmed', '{}', NULL, now()
                FROM ev CROSS JOIN generate_series(0, %s - 1) k
                JOIN us ON us.m = 1 + ((ev.n * %s + k) %% (SELECT count(*) FROM us))""",
                [per_event, per_event],
            )
            c.execute(
                """INSERT INTO accounts_user (password, email, display_name, bio, languages,
                time_zone, is_staff, is_active, is_superuser, date_joined)
                VALUES ('!', 'feed-200@bench.cocity.localhost', 'Feed 200', '', '["en"]',
                        'Europe/Paris', false, true, false, now())
                ON CONFLICT (email) DO NOTHING"""
            )
            c.execute(
                """INSERT INTO events_registration (event_id, track_id, user_id, status, answers,
                                                    created_at)
                SELECT e.id, t.id, (SELECT id FROM accounts_user
                                    WHERE email = 'feed-200@bench.cocity.localhost'),
                       'confirmed', '{}', now()
                FROM events_event e JOIN events_track t ON t.event_id = e.id
                WHERE e.slug LIKE 'bench-event-%%' ORDER BY e.id LIMIT 200"""
            )
            # Their seats are kept counts too (`cocity check-counters`): one more on each track.
            c.execute(
                """UPDATE events_track SET confirmed_count = confirmed_count + 1
                WHERE id IN (SELECT r.track_id FROM events_registration r JOIN accounts_user u
                             ON u.id = r.user_id
                             WHERE u.email = 'feed-200@bench.cocity.localhost')"""
            )
            c.execute("ANALYZE")
        from django.contrib.auth import get_user_model

        feeder = get_user_model().objects.get(email="feed-200@bench.cocity.localhost")
        token, _ = CalendarToken.objects.get_or_create(user=feeder)
    print(
        f"{events} events, {events * per_event + 200} registrations in "
        f"{time.monotonic() - started:.1f} s; feed token {token.token}"
    )


if __name__ == "__main__":
    main()
