"""In-process timing of the event pages on the generated data (one client, no network): the
p50/p95 of 30 requests each, and the query count. The 50-client figure uses the harness:
``benchmarks/run.py --reuse --database cocity_bench_events`` (see docs/events.md)."""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.test")
sys.path.insert(0, "src")
import django  # noqa: E402

django.setup()
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cocity.events.models import CalendarToken  # noqa: E402

token = CalendarToken.objects.get(user__email="feed-200@bench.cocity.localhost").token
client = Client(SERVER_NAME="127.0.0.1")
for name, url in [
    ("event list", "/events/"),
    ("event list, page 50", "/events/?page=50"),
    ("event page", "/events/bench-event-10001/"),
    ("personal feed (200 events)", f"/events/me/calendar/{token}.ics"),
]:
    client.get(url)
    times = []
    for _ in range(30):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as q:
        client.get(url)
    times.sort()
    print(
        f"{name}: p50 {statistics.median(times):.1f} ms, p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, "
        f"{len(q)} queries"
    )
