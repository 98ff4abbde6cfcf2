# ruff: noqa: E402  (django.setup() first: the settings come from the temporary directory)
"""Machine translation of the whole demo into French with Apertium (issue 19), as
``cocity translate-content --backend apertium --language fr`` does it.

    .venv/bin/python benchmarks/translations/demo_apertium.py
    .venv/bin/python benchmarks/translations/demo_apertium.py --language fr --language es

A fresh SQLite database in a temporary directory (``COCITY_DATA_DIR``), the local settings with
machine translation off while ``cocity migrate`` and ``cocity demo-data`` run (the demo's people's
translations are written, nothing is machine-translated), then ``translate_everything`` (the
command's function) with the Apertium backend: every text of every translatable object that no
person translated, many objects' texts per Apertium run (``--batch`` texts). English goes to
French through Spanish (two Apertium runs per batch); French originals are not sent.

Three passes, each printing objects read, texts translated, words of the originals sent,
seconds (wall clock), words per second, how many Apertium runs it took and the CPU seconds
Apertium's processes used (the rest is Python and SQLite): the demo as built (what ``make demo``
runs in the background: the people's translations are kept, only the rest is sent); again
(nothing is missing: the cost of reading the demo to check); and every text of the demo, after
the temporary database's people's and machine translations are emptied (the whole demo's
throughput). Results in ``docs/benchmarks.md`` ("Machine translation").
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
TMP = Path(tempfile.mkdtemp(prefix="cocity-translate-demo-"))
os.environ.pop("DATABASE_URL", None)
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "cocity.settings.local",
        "COCITY_DATA_DIR": str(TMP),
        "COCITY_TRANSLATION_BACKEND": "",
        "COCITY_WARM_UP": "0",
    }
)

import django

django.setup()

from django.core.management import call_command
from django.test.utils import override_settings

from cocity.core.machine_translation import ApertiumBackend, get_backend
from cocity.core.translations import translatable_models, translate_everything


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", action="append", dest="languages")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    targets = args.languages or ["fr"]
    if shutil.which("apertium") is None:
        sys.exit("Apertium is not installed (Debian: apertium apertium-eng-spa apertium-fr-es)")
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("demo_data", verbosity=0, stdout=io.StringIO())
        built = time.perf_counter() - started
        objects = sum(m._default_manager.count() for m in translatable_models())
        print(f"demo built in {built:.0f} s ({objects} translatable objects), in {TMP}")

        runs = {"n": 0}
        real_run = ApertiumBackend._run

        def counted(self, args, data, deadline):  # type: ignore[no-untyped-def]
            runs["n"] += 1
            return real_run(self, args, data, deadline)

        ApertiumBackend._run = counted  # type: ignore[method-assign]
        with override_settings(
            COCITY_TRANSLATION_BACKEND="apertium", COCITY_TRANSLATION_TIMEOUT=600
        ):
            backend = get_backend()
            passes = [
                ("as built (people's translations kept)", False),
                ("again (nothing missing)", False),
                ("every text, as if nobody had translated", True),
            ]
            for name, forget in passes:
                if forget:  # the temporary database only: people's and machines' translations go
                    for model in translatable_models():
                        model._default_manager.update(translations={}, machine_translations={})
                runs["n"] = 0
                cpu = children_cpu()
                started = time.perf_counter()
                objects, texts, words = translate_everything(backend, targets, batch=args.batch)
                seconds = time.perf_counter() - started
                cpu = children_cpu() - cpu
                rate = words / seconds if seconds else 0.0
                print(
                    f"{name}: into {', '.join(targets)}: {objects} objects, {texts} texts, "
                    f"{words} words in {seconds:.1f} s = {rate:,.0f} words/s; "
                    f"{runs['n']} Apertium runs, {cpu:.1f} s of Apertium CPU"
                )
            print(f"load average (1 min) after: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    finally:
        if not args.keep:
            shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
