from django.core.management.base import BaseCommand

from cocity.events.services import reminders_enqueue


class Command(BaseCommand):
    help = (
        "Enqueue the event reminders that are due (by default 24 h and 1 h before each session). "
        "Run it from cron every few minutes; each reminder is recorded and sent once only."
    )

    def handle(self, *args, **options) -> None:
        count = reminders_enqueue()
        self.stdout.write(f"{count} reminder(s) queued.")
