"""The counter events keeps (cocity.core.counters; ``cocity check-counters``): each track's
confirmed seats, moved under the track's lock by the registration services."""

from cocity.core.counters import count_of_rows, register

from .models import Registration, Track

register(
    count_of_rows(
        key="events.Track.confirmed_count",
        model=Track,
        field="confirmed_count",
        rows=lambda: Registration.objects.filter(status=Registration.Status.CONFIRMED),
        by="track_id",
    )
)
