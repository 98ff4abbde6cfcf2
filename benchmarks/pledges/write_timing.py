"""Time one write at benchmark scale: a progress report on a measure of the bench campaign (the
campaign row is locked and its summary recomputed in the same transaction). Rolled back."""

import json
import os
import statistics
import sys
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.production")
sys.path.insert(0, "src")
import django

django.setup()
from django.db import transaction  # noqa: E402

from cocity.pledges import services  # noqa: E402
from cocity.pledges.models import Measure  # noqa: E402


class Rollback(Exception):
    pass


times = []
measure = (
    Measure.objects.filter(pledge__campaign__slug="bench-campaign").select_related("pledge").first()
)
for _ in range(5):
    started = time.perf_counter()
    try:
        with transaction.atomic():
            services.report_file(
                measure=measure, reported_on=date(2025, 7, 1), spent="5000", status="on_track"
            )
            times.append((time.perf_counter() - started) * 1000)
            raise Rollback
    except Rollback:
        pass
print(json.dumps({"report_file_ms": round(statistics.median(times), 1), "runs": len(times)}))
