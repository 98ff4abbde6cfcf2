"""``cocity translate-content [--language fr ...] [--backend apertium] [--model app.Model ...]``:
machine-translate every text no person translated and no machine translation of its current
version covers (``cocity.core.translations.translate_everything``), many objects' texts per call
to the backend. Prints what it did (objects, texts, words of the originals, words per second);
exits with status 1 and says why when the backend is off or cannot translate now.

What the background task (``translate_object``) does one object at a time after each write, this
does for everything at once: after turning machine translation on, after adding a language, or to
catch up with a backend that was down."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from cocity.core.machine_translation import BACKEND_NAMES, TranslationUnavailable, get_backend
from cocity.core.translations import (
    Translatable,
    backend_label,
    offered_languages,
    translatable_models,
    translate_everything,
)


class Command(BaseCommand):
    help = (
        "Machine-translate every text of the site that no person translated and no machine "
        "translation of its current version covers, with the backend of "
        "COCITY_TRANSLATION_BACKEND (or --backend). People's translations are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            metavar="CODE",
            help="only into this language (repeat for several); default: every language the "
            "site offers (settings.LANGUAGES)",
        )
        parser.add_argument(
            "--backend",
            choices=BACKEND_NAMES,
            help="this backend instead of COCITY_TRANSLATION_BACKEND's (its other settings apply)",
        )
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            metavar="APP.MODEL",
            help="only this model's objects (repeat for several), e.g. network.Space",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=200,
            help="texts sent to the backend in one call (default 200)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        targets = self._languages(options["languages"])
        chosen = self._models(options["models"])
        if options["batch"] < 1:
            raise CommandError(_("--batch must be at least 1."))
        name = options["backend"]
        if name:
            with override_settings(COCITY_TRANSLATION_BACKEND=name):
                self._run(targets, chosen, options)
        else:
            self._run(targets, chosen, options)

    def _languages(self, asked: list[str] | None) -> list[str]:
        offered = offered_languages()
        if not asked:
            return offered
        refused = [code for code in asked if code not in offered]
        if refused:
            raise CommandError(
                _(
                    "This site does not offer %(refused)s: content is translated into the "
                    "languages it offers (settings.LANGUAGES): %(offered)s."
                )
                % {"refused": ", ".join(refused), "offered": ", ".join(offered)}
            )
        return list(dict.fromkeys(asked))

    def _models(self, asked: list[str] | None) -> list[type[Translatable]] | None:
        if not asked:
            return None
        known = {model._meta.label_lower: model for model in translatable_models()}
        chosen: list[type[Translatable]] = []
        for label in asked:
            model = known.get(label.lower())
            if model is None:
                raise CommandError(
                    _("%(label)s is not a translatable model. Translatable models: %(known)s.")
                    % {
                        "label": label,
                        "known": ", ".join(sorted(m._meta.label for m in known.values())),
                    }
                )
            if model not in chosen:
                chosen.append(model)
        return chosen

    def _run(
        self,
        targets: list[str],
        chosen: list[type[Translatable]] | None,
        options: dict[str, Any],
    ) -> None:
        try:
            backend = get_backend()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if backend is None:
            raise CommandError(
                _(
                    "Machine translation is off: COCITY_TRANSLATION_BACKEND is empty. Set it to "
                    "one of %(backends)s (docs/translations.md), or name one with --backend."
                )
                % {"backends": ", ".join(BACKEND_NAMES)}
            )
        label = backend_label(backend.name)
        verbosity = int(options["verbosity"])
        models = chosen if chosen is not None else translatable_models()
        try:
            self._say_unsupported(backend, label, models, targets, verbosity)
            started = time.perf_counter()

            def progress(texts: int, words: int) -> None:
                if verbosity >= 2:
                    seconds = time.perf_counter() - started
                    self.stdout.write(f"  {texts} texts, {words} words, {seconds:.1f} s")

            objects, texts, words = translate_everything(
                backend, targets, batch=options["batch"], models_=models, on_batch=progress
            )
        except TranslationUnavailable as error:
            raise CommandError(
                _(
                    "%(backend)s cannot translate now: %(reason)s Nothing more was translated "
                    "(what was translated before stays)."
                )
                % {"backend": label, "reason": error}
            ) from error
        seconds = time.perf_counter() - started
        rate = words / seconds if seconds > 0 else 0.0
        self.stdout.write(
            _(
                "%(backend)s into %(languages)s: objects read: %(objects)d, texts translated: "
                "%(texts)d, words of the originals: %(words)d, time: %(seconds).1f s, words per "
                "second: %(rate).0f."
            )
            % {
                "backend": label,
                "languages": ", ".join(targets),
                "objects": objects,
                "texts": texts,
                "words": words,
                "seconds": seconds,
                "rate": rate,
            }
        )

    def _say_unsupported(
        self,
        backend: Any,
        label: str,
        models: list[type[Translatable]],
        targets: list[str],
        verbosity: int,
    ) -> None:
        """Ask the backend for its pairs first (a backend that cannot run says so here, before
        anything is read), and name the pairs it does not translate (those texts stay as
        written)."""
        sources: set[str] = set()
        for model in models:
            sources.update(
                model._default_manager.exclude(original_language="")
                .values_list("original_language", flat=True)
                .distinct()
            )
        done: dict[str, list[str]] = {}
        missing: dict[str, list[str]] = {}
        for source in sorted(sources or {"en"}):
            for target in targets:
                if source == target:
                    continue
                route = backend.route(source, target)
                if route is None:
                    missing.setdefault(source, []).append(target)
                else:
                    via = f" (via {route.via})" if route.via else ""
                    done.setdefault(source, []).append(target + via)
        if verbosity < 1:
            return
        if done:
            self.stdout.write(
                _("%(backend)s translates %(pairs)s.") % {"backend": label, "pairs": _pairs(done)}
            )
        if missing:
            self.stdout.write(
                _("%(backend)s does not translate %(pairs)s: those texts stay as written.")
                % {"backend": label, "pairs": _pairs(missing)}
            )


def _pairs(by_source: dict[str, list[str]]) -> str:
    """{"en": ["es", "fr"], "fr": ["es"]} as "en → es, fr; fr → es"."""
    return "; ".join(f"{source} → {', '.join(targets)}" for source, targets in by_source.items())
