"""``cocity api-schema``: write the API's OpenAPI schema to ``docs/api/openapi.json`` (committed);
``--check`` fails when the committed file differs from what the code generates (the tests run
the same comparison, so the schema cannot drift from the code)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cocity.api.api import schema

DEFAULT = Path(__file__).resolve().parents[5] / "docs" / "api" / "openapi.json"


def rendered() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write (or --check) the committed OpenAPI schema of the API."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--output", default=str(DEFAULT))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        text = rendered()
        if options["check"]:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is not the schema of the code: run cocity api-schema")
            self.stdout.write("the committed schema is the code's")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
