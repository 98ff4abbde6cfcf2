"""Remind officers of pact steps due within three days or overdue, once per step. Run it from
cron (every hour is plenty): ``cocity commons_reminders``."""

from typing import Any

from django.core.management.base import BaseCommand

from cocity.commons.services import reminders_send


class Command(BaseCommand):
    help = "E-mail the officers of pacts whose current step is due soon or overdue (once per step)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send()
        self.stdout.write(f"{count} reminder(s) queued.")
