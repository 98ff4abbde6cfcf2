"""Remind pledge owners of due progress reports. Run it from cron (daily is plenty); it is
idempotent: one reminder per pledge and due date, recorded in ReportReminder."""

import os

from django.core.management.base import BaseCommand

from cocity.pledges.services import reminders_send


class Command(BaseCommand):
    help = "Queue a reminder e-mail to the owners of every pledge whose progress report is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=os.environ.get("COCITY_SITE_URL", "http://localhost:8000"),
            help="Address of the site, for the link in the e-mail (default: $COCITY_SITE_URL).",
        )

    def handle(self, *args, **options) -> None:
        count = reminders_send(site_url=options["site_url"])
        self.stdout.write(f"{count} pledge reminder(s) queued.")
