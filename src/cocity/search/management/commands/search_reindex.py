"""``cocity search-reindex``: rebuild the search index from scratch.

By default it writes every document again from the objects, builds the chosen backend's index
beside the one in use and switches to it (``indexer.rebuild``), printing its progress.
``--background`` queues the same work for the task worker and returns at once; ``--status``
shows the last rebuilds with their progress; ``--index-only`` skips the documents (after a
change of backend or analysis); ``--backend`` names another backend than the configured one.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cocity.search.backends import BACKENDS, get_backend
from cocity.search.indexer import rebuild, start_rebuild
from cocity.search.models import Reindex


class Command(BaseCommand):
    help = "Rebuild the search index from every registered provider and switch to it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--backend", choices=sorted(BACKENDS), help="default: the setting")
        parser.add_argument("--background", action="store_true", help="queue it for the worker")
        parser.add_argument("--status", action="store_true", help="show the last rebuilds")
        parser.add_argument(
            "--index-only", action="store_true", help="keep the documents, rebuild the index"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["status"]:
            for run in Reindex.objects.all()[:10]:
                self.stdout.write(
                    f"#{run.pk} {run.backend} {run.state} {run.phase or '-'} "
                    f"{run.done}/{run.total} ({run.percent}%) "
                    f"created {run.created_at:%Y-%m-%d %H:%M}"
                    + (f" finished {run.finished_at:%H:%M:%S}" if run.finished_at else "")
                )
            return
        try:
            backend = get_backend(options["backend"])
        except Exception as error:  # a backend not configured (OpenSearch without its URL...)
            raise CommandError(f"search backend: {error}") from error
        from_objects = not options["index_only"]
        if options["background"]:
            with transaction.atomic():
                run = start_rebuild(backend.name, from_objects=from_objects)
            self.stdout.write(
                f"rebuild #{run.pk} queued; follow it with: cocity search-reindex --status"
            )
            return
        run = Reindex.objects.create(backend=backend.name, from_objects=from_objects)
        rebuild(run)
        run.refresh_from_db()
        if run.state != Reindex.State.DONE:
            raise CommandError(f"rebuild #{run.pk} failed:\n{run.error}")
        self.stdout.write(f"{run.total} documents indexed ({backend.name})")
