from typing import Any

from django.core.management.base import BaseCommand

from cocity.participation.services import digests_send


class Command(BaseCommand):
    help = (
        "Send the daily notification digests that are due (run from cron every hour; "
        "idempotent: nobody gets two digests within 23 hours or a notification twice)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send()
        self.stdout.write(f"{sent} digest(s) queued.")
