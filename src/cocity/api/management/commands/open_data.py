"""``cocity open-data``: publish the open-data packages (``cocity.api.opendata``).

- ``cocity open-data`` regenerates every space's and every city's package (and removes those of
  spaces that are no longer public); ``--space SLUG`` or ``--city CODE`` only that one;
  ``--background`` queues the work for the task worker.
- ``cocity open-data import URL_OR_PATH --space SLUG --by EMAIL [--publish]`` imports another
  instance's library items and events into a space (``cocity.api.opendata_import``): as drafts
  unless ``--publish``; again and again without duplicates.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cocity.api import opendata
from cocity.api.opendata_import import ImportRefused, import_package
from cocity.api.tasks import refresh_open_data
from cocity.network.models import Space


class Command(BaseCommand):
    help = "Publish the open-data packages, or import another instance's package into a space."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", choices=["publish", "import"], default="publish")
        parser.add_argument("source", nargs="?", help="import: the package's address or path")
        parser.add_argument("--space", help="a space's slug")
        parser.add_argument("--city", help="a city's code (publish)")
        parser.add_argument("--background", action="store_true", help="queue it for the worker")
        parser.add_argument("--by", help="import: e-mail of an editor of the space")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="import: publish what is imported (default: drafts for the editors to review)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
            return
        if options["background"]:
            refresh_open_data.enqueue(space=options["space"], city=options["city"])
            self.stdout.write("Queued.")
            return
        try:
            written = opendata.publish(space=options["space"], city=options["city"])
        except LookupError as error:
            raise CommandError(f"No public space or city {error.args[0]!r}.") from None
        for name in written:
            self.stdout.write(f"{name}: {opendata.data_dir() / name}")
        self.stdout.write(f"{len(written)} package(s) written.")

    def _import(self, options: dict[str, Any]) -> None:
        if not options["source"] or not options["space"] or not options["by"]:
            raise CommandError("Give the package, --space SLUG and --by EMAIL.")
        space = Space.objects.filter(slug=options["space"]).first()
        if space is None:
            raise CommandError(f"No space {options['space']!r}.")
        by = get_user_model().objects.filter(email__iexact=options["by"]).first()
        if by is None:
            raise CommandError(f"No one with the address {options['by']!r}.")
        try:
            result = import_package(
                options["source"], space=space, by=by, publish=options["publish"]
            )
        except ImportRefused as error:
            raise CommandError(f"Nothing imported: {error}") from None
        self.stdout.write(
            f"From {result.source_title}: {result.created} created, {result.updated} updated."
        )
