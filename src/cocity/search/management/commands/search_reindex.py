from typing import Any

from django.core.management.base import BaseCommand

from cocity.search.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from every registered provider (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{reindex_all()} objects indexed")
