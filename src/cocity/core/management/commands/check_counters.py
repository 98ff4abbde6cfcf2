"""``cocity check-counters [--fix] [counter ...]``: recount every kept counter
(cocity.core.counters) and report drift; exit status 1 when drift is found and not repaired."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocity.core import counters

SHOWN = 20  # drifts listed per counter; the rest are counted


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Command(BaseCommand):
    help = (
        "Recount every kept counter (ideas' supports and comments, actions' comments, tracks' "
        "confirmed seats, campaign totals, ...) from the rows it counts and report any drift; "
        "--fix writes the recount. Exits with status 1 when drift is found without --fix."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="write the recounted values")
        parser.add_argument(
            "counters", nargs="*", help="only these counters (e.g. plans.Idea.support_count)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = [c.key for c in counters.registered()]
        unknown = [key for key in options["counters"] if key not in known]
        if unknown:
            raise CommandError(
                f"Unknown counter(s): {', '.join(unknown)}. Known: {', '.join(known)}."
            )
        fix = options["fix"]
        drifts = counters.check(fix=fix, keys=options["counters"] or None)
        by_key: dict[str, list[counters.Drift]] = {}
        for drift in drifts:
            by_key.setdefault(drift.key, []).append(drift)
        checked = options["counters"] or known
        for key in checked:
            found = by_key.get(key, [])
            if not found:
                self.stdout.write(f"{key}: ok")
                continue
            verb = "repaired" if fix else "drift"
            self.stdout.write(f"{key}: {len(found)} {verb}")
            for drift in found[:SHOWN]:
                self.stdout.write(
                    f"  #{drift.pk}: stored {_short(drift.stored)}, counted {_short(drift.actual)}"
                )
            if len(found) > SHOWN:
                self.stdout.write(f"  ... and {len(found) - SHOWN} more")
        if drifts and not fix:
            self.stderr.write(
                f"{len(drifts)} counter(s) drifted; run `cocity check-counters --fix` to repair."
            )
            raise SystemExit(1)
        self.stdout.write(
            f"{len(drifts)} repaired." if drifts else "Every counter matches its rows."
        )
