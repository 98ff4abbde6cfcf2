"""How fast the Apertium backend translates: words per second, English into Spanish (a direct
pair) and into French (through Spanish: two runs of Apertium per batch).

    .venv/bin/python benchmarks/translations/apertium_speed.py
    .venv/bin/python benchmarks/translations/apertium_speed.py --seeds DIR --words 5000 --batch 50

The corpus is the paragraphs of the source pages in ``--seeds`` (``/work/shared/seeds``: public
pages of the network cocity serves, English with Markdown), each paragraph one text as a field
of a space or an event would be, taken in order and again until there are ``--words`` words (a
rule-based translator keeps no memory, so a paragraph seen twice costs the same). The texts go
to ``ApertiumBackend.translate`` in batches of ``--batch`` (one Apertium run per batch and pair,
as the background task does), after one untimed warm-up batch (the first run reads the pair's
dictionaries from disk). Each direction is timed ``--repeat`` times; the best and the median
are printed, with the words per second of CPU time Apertium's processes used (steadier than the
wall clock on a busy machine). For comparison, the first 20 texts are also sent one per call.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.test")

import django

django.setup()

from cocity.core.machine_translation import ApertiumBackend  # noqa: E402


def corpus(seeds: Path, words: int) -> list[str]:
    paragraphs = []
    for path in sorted(seeds.glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            if block.strip():
                paragraphs.append(block.strip())
    if not paragraphs:
        sys.exit(f"No paragraphs in {seeds}/*.txt")
    texts: list[str] = []
    while sum(len(text.split()) for text in texts) < words:
        texts += paragraphs
    return texts


def timed(backend: ApertiumBackend, texts: list[str], target: str, batch: int) -> float:
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        out = backend.translate(texts[start : start + batch], "en", target)
        assert len(out) == len(texts[start : start + batch])
    return time.perf_counter() - started


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=Path("/work/shared/seeds"))
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    texts = corpus(args.seeds, args.words)
    words = sum(len(text.split()) for text in texts)
    backend = ApertiumBackend(timeout=600)
    print(
        f"{len(texts)} texts, {words} words, batches of {args.batch}, "
        f"best and median of {args.repeat}"
    )
    for target in ("es", "fr"):
        route = backend.route("en", target)
        assert route is not None, f"no en-{target} pair: apertium-eng-spa, apertium-fr-es?"
        backend.translate(texts[: args.batch], "en", target)  # warm-up: dictionaries read
        cpu = children_cpu()
        seconds = [timed(backend, texts, target, args.batch) for _ in range(args.repeat)]
        cpu = (children_cpu() - cpu) / args.repeat
        one_by_one = timed(backend, texts[:20], target, 1)
        one_words = sum(len(text.split()) for text in texts[:20])
        via = f" via {route.via}" if route.via else ""
        print(
            f"en -> {target}{via}: best {min(seconds):.2f} s = "
            f"{words / min(seconds):,.0f} words/s, "
            f"median {statistics.median(seconds):.2f} s = "
            f"{words / statistics.median(seconds):,.0f} words/s "
            f"({words / cpu:,.0f} words per CPU second); one text per call: "
            f"{one_words / one_by_one:,.0f} words/s"
        )


if __name__ == "__main__":
    main()
