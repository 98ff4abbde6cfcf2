"""Content translations: what people wrote, in the viewer's language (decision 0012).

Every model people write in inherits :class:`Translatable` and names its ``translatable_fields``.
Its row carries the language of the original and two JSON columns:

- ``translations`` — written by people: ``{"fr": {"title": "…", "summary": "…"}}``;
- ``machine_translations`` — written only by the background task (:func:`translate_object`):
  ``{"fr": {"title": {"text": "…", "hash": "<source hash>", "backend": "apertium", "via": "es"}}}``.

A page shows, field by field, the person's translation into the viewer's language, else a machine
translation made from the original as it is now (its source hash matches) when the viewer has not
switched machine translation off, else the original. Nothing is read from another table: a list
of fifty events costs the query it cost before.

A person's translation always wins; the task never writes ``translations`` and never a field a
person translated. An ordinary ``save()`` of the object never writes ``machine_translations``
back from a stale copy (:meth:`Translatable.save`), so an editor saving the form while the task
writes loses nothing. The task runs after the write's transaction commits (``core.queue``), on
the ``translations`` task backend when one is configured (so a demo running its other tasks in
the request still never waits for a translation), retries with back-off when the backend is
down, and never makes a page slower: until it has written, the original is shown.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import timedelta
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import JSONField, Value
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from cocity.core.languages import LANGUAGE_NAMES, SPOKEN_LANGUAGES

log = logging.getLogger(__name__)

# Sent after a person's or the machine's translations of ``instance`` changed (search reindexes).
translations_changed = Signal()

# How many times the task tries a backend that fails, and the first wait (doubled each time).
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)


# The columns a list read with ``.only()`` adds so that its rows show translated:
# ``.only("title", *translation_columns())`` or ``*translation_columns("topic")``.
TRANSLATION_COLUMNS = ("original_language", "translations", "machine_translations")


def translation_columns(*relations: str) -> tuple[str, ...]:
    if not relations:
        return TRANSLATION_COLUMNS
    return tuple(f"{rel}__{name}" for rel in relations for name in TRANSLATION_COLUMNS)


def translation_values(field: str, prefix: str = "") -> tuple[str, ...]:
    """The names a ``.values()`` read adds to show ``field`` translated with
    :func:`translated_value`: ``.values("slug", *translation_values("name", "territory__"))``."""
    return tuple(f"{prefix}{name}" for name in (field, *TRANSLATION_COLUMNS))


def translated_value(
    model: type[Translatable], row: Any, field: str = "name", prefix: str = ""
) -> str:
    """``field`` of a ``.values()`` row in the viewer's language (see ``translation_values``)."""
    obj = model(**{name: row[f"{prefix}{name}"] for name in (field, *TRANSLATION_COLUMNS)})
    return shown(obj, field).text


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def offered_languages() -> list[str]:
    """The interface languages: the languages content is translated into."""
    return [code for code, _name in settings.LANGUAGES]


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


class Translatable(models.Model):
    """A model whose ``translatable_fields`` people and machines translate."""

    original_language = models.CharField(
        _("language of the original"),
        max_length=12,
        choices=SPOKEN_LANGUAGES,
        blank=True,
        # Both: the Python default keeps an unsaved row's value a string that save() can
        # recognise (with db_default alone it is a DatabaseDefault until the insert).
        default="",
        db_default="",
        help_text=_("The language this was written in. Left empty, cocity recognises it."),
    )
    # Database defaults too: rows written by raw SQL (bulk loaders, the benchmarks' generators)
    # or by code older than these columns are valid, with nothing translated.
    translations = models.JSONField(
        _("translations"), default=dict, db_default=Value({}, JSONField()), blank=True
    )
    machine_translations = models.JSONField(
        _("machine translations"),
        default=dict,
        db_default=Value({}, JSONField()),
        blank=True,
        editable=False,
    )

    translatable_fields: ClassVar[tuple[str, ...]] = ()
    # The permission (``rules``) that lets a person translate an object; None: machine only.
    # Empty string: ``<app>.change_<model>``.
    translation_permission: ClassVar[str | None] = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.original_language:
            self.original_language = guess_language(self)
        if not self._state.adding and kwargs.get("update_fields") is None and self.pk is not None:
            # The background task writes machine translations with update_fields; an object
            # loaded before it wrote must not put the old ones back.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name != "machine_translations"
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        validate_translations(self.translations, self.translatable_fields)

    def translation_owner(self) -> tuple[str, object]:
        """The permission that lets a person translate this, and the object it is checked on
        (a track is translated by whoever may change its event)."""
        return translation_permission(type(self)) or "", self

    def original_texts(self) -> dict[str, str]:
        return {name: str(getattr(self, name) or "") for name in self.translatable_fields}


def validate_translations(value: Any, fields: Iterable[str]) -> None:
    """``{"fr": {"name": "…"}}``: languages this site offers, fields of the object, texts."""
    fields = set(fields)
    ok = isinstance(value, dict) and all(
        isinstance(language, str)
        and isinstance(entry, dict)
        and all(k in fields and isinstance(v, str) for k, v in entry.items())
        for language, entry in value.items()
    )
    if not ok:
        raise ValidationError(
            {
                "translations": _(
                    'Give {"language": {"field": "text"}} with the fields %(fields)s.'
                )
                % {"fields": ", ".join(sorted(fields))}
            },
            code="invalid_translations",
        )


def normalise_translations(value: Any, field: str) -> Any:
    """``{"fr": "Logement"}`` (one field's names, as topics were given) as
    ``{"fr": {"name": "Logement"}}``; anything else as it is (``validate_translations`` judges)."""
    if isinstance(value, dict):
        return {k: {field: v} if isinstance(v, str) else v for k, v in value.items()}
    return value


def guess_language(obj: Translatable) -> str:
    """The language of ``obj``'s text, recognised (py3langid), else the language being used."""
    from cocity.core.machine_translation import detect_language

    text = "\n".join(t for t in obj.original_texts().values() if t)
    found = detect_language(text) if text.strip() else None
    return found or current_language()


def keep_recognised_language(obj: Translatable) -> None:
    """A row written before languages were kept: recognise its language once, and keep it
    (without a save: nothing else of the row is written)."""
    if not obj.original_language:
        obj.original_language = guess_language(obj)
        type(obj)._default_manager.filter(pk=obj.pk).update(original_language=obj.original_language)


def translatable_models() -> list[type[Translatable]]:
    return [model for model in apps.get_models() if issubclass(model, Translatable)]


def field_max_length(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


# Viewing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewing:
    """What this request shows: translations (the default), people's only, or the originals."""

    request: HttpRequest | None = None
    original: bool = False
    # Whose choice of machine translations applies when there is no request (a mail's recipient).
    person: Any = None
    # The backends of the machine translations this request has shown (the page's footnote).
    machine_shown: set[str] = dataclass_field(default_factory=set, compare=False, hash=False)

    @property
    def machine(self) -> bool:
        user = self.person
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is None or not getattr(user, "is_authenticated", False):
            return True
        return bool(getattr(user, "machine_translation", True))

    def key(self) -> str:
        """Part of the cache keys of what is rendered for this viewer (cocity.core.cache)."""
        if self.original:
            return "original"
        return "" if self.machine else "human"


_viewing: contextvars.ContextVar[Viewing] = contextvars.ContextVar(
    "viewing",
    default=Viewing(),  # noqa: B039 - a frozen dataclass
)


def viewing() -> Viewing:
    return _viewing.get()


@contextmanager
def showing(view: Viewing) -> Iterator[None]:
    token = _viewing.set(view)
    try:
        yield
    finally:
        _viewing.reset(token)


class TranslationViewMiddleware:
    """``?original=1`` shows what people wrote as they wrote it; a person's own setting switches
    machine translations off (read only when a page has one to show)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with showing(Viewing(request=request, original=request.GET.get("original") == "1")):
            return self.get_response(request)


# Reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    text: str
    language: str  # the language of ``text``
    kind: str  # "original", "human" or "machine"
    backend: str = ""
    via: str = ""


def shown(obj: Any, field: str, language: str | None = None) -> Shown:
    """``obj.field`` as the viewer reads it in ``language`` (the current one by default)."""
    if not isinstance(obj, Translatable):
        return Shown(_plain(obj, field), "", "original")
    original = str(getattr(obj, field, "") or "")
    loaded = obj.__dict__
    if not all(name in loaded for name in TRANSLATION_COLUMNS):
        # Read with .only() without them: shown as written, never a query per object.
        return Shown(original, str(loaded.get("original_language") or ""), "original")
    source = obj.original_language or ""
    if not original:
        return Shown(original, source, "original")
    language = language or current_language()
    view = viewing()
    if view.original or language == source:
        return Shown(original, source, "original")
    human = ((obj.translations or {}).get(language) or {}).get(field)
    if isinstance(human, str) and human:
        return Shown(human, language, "human")
    machine = ((obj.machine_translations or {}).get(language) or {}).get(field)
    if (
        isinstance(machine, dict)
        and machine.get("text")
        and machine.get("hash") == source_hash(original)
        and view.machine
    ):
        if view.request is not None:
            view.machine_shown.add(str(machine.get("backend", "")))
        return Shown(
            str(machine["text"]), language, "machine", str(machine.get("backend", "")),
            str(machine.get("via", "")),
        )  # fmt: skip
    return Shown(original, source, "original")


def lookup(obj: Any, field: str) -> Any:
    """What ``{{ obj.field }}`` would give for an object that is not translatable (a dict, a
    form, a row of a report), so that ``|tr`` can stand wherever the lookup stood."""
    if obj is None:
        return ""
    try:
        value = obj[field]
    except (TypeError, KeyError, IndexError, AttributeError, ValueError):
        value = getattr(obj, field, "")
    if callable(value) and not getattr(value, "do_not_call_in_templates", False):
        value = value()
    return "" if value is None else value


def _plain(obj: Any, field: str) -> str:
    return str(lookup(obj, field))


def translated(obj: Any, field: str) -> str:
    return shown(obj, field).text


@dataclass(frozen=True)
class Notice:
    """What the page says about the object's text: translated from which language, by whom."""

    source: str
    source_name: str
    kind: str  # "human", "machine", "original" (shown as written while translations exist)
    backends: tuple[str, ...] = ()
    via: tuple[str, ...] = ()


def notice(obj: Any) -> Notice | None:
    """None when the viewer reads the original and there is nothing else to read."""
    if not isinstance(obj, Translatable) or not obj.original_language:
        return None
    language = current_language()
    source = obj.original_language
    if language == source:
        return None
    kinds = [shown(obj, name) for name in obj.translatable_fields if getattr(obj, name, "")]
    source_name = language_in_sentence(source)
    if viewing().original:
        with showing(Viewing(request=viewing().request)):
            again = [shown(obj, name) for name in obj.translatable_fields if getattr(obj, name, "")]
        if any(s.kind != "original" for s in again):
            return Notice(source, source_name, "original")
        return None
    machines = [s for s in kinds if s.kind == "machine"]
    if machines:
        return Notice(
            source,
            source_name,
            "machine",
            tuple(sorted({backend_label(s.backend) for s in machines})),
            tuple(sorted({language_in_sentence(s.via) for s in machines if s.via})),
        )
    if any(s.kind == "human" for s in kinds):
        return Notice(source, source_name, "human")
    return None


def language_in_sentence(code: str) -> str:
    """A language's name as written inside a sentence of the current language ("anglais",
    "Englisch", "الإنجليزية"): CLDR's names through Babel, else the interface's label."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(current_language()).languages.get(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return str(name or LANGUAGE_NAMES.get(code, code))


def machine_note(*quoted: tuple[Any, Iterable[str]]) -> str:
    """What a plain-text mail says right after texts it quotes, ``(object, fields)`` each, when
    what it shows of them is a machine translation: "(Machine-translated from English by
    Apertium.)", one sentence per language of the originals; "" when every text is shown as a
    person wrote or translated it (an original in another language than the mail's included)."""
    by_source: dict[str, list[Shown]] = {}
    for obj, fields in quoted:
        if not isinstance(obj, Translatable) or not obj.original_language:
            continue
        for name in list(fields) or obj.translatable_fields:
            found = shown(obj, name)
            if found.kind == "machine":
                by_source.setdefault(obj.original_language, []).append(found)
    sentences = []
    for source, machines in by_source.items():
        values = {
            "language": language_in_sentence(source),
            "backend": ", ".join(sorted({backend_label(s.backend) for s in machines})),
            "via": ", ".join(sorted({language_in_sentence(s.via) for s in machines if s.via})),
        }
        if values["via"]:
            text = gettext("Machine-translated from %(language)s by %(backend)s, through %(via)s.")
        else:
            text = gettext("Machine-translated from %(language)s by %(backend)s.")
        sentences.append(text % values)
    return f"({' '.join(sentences)})" if sentences else ""


# The names machine translations are stored with, as people know them.
BACKEND_LABELS = {
    "echo": "Echo",
    "apertium": "Apertium",
    "libretranslate": "LibreTranslate",
    "deepl": "DeepL",
}


def backend_label(name: str) -> str:
    return BACKEND_LABELS.get(name, name)


def words_of(obj: Translatable) -> list[str]:
    """Every translation's text (for the search index: an object is found in every language)."""
    words: list[str] = []
    for values in (obj.translations or {}).values():
        if isinstance(values, dict):
            words += [str(v) for v in values.values() if isinstance(v, str) and v]
    originals = {name: source_hash(text) for name, text in obj.original_texts().items()}
    for values in (obj.machine_translations or {}).values():
        if isinstance(values, dict):
            for name, entry in values.items():
                if isinstance(entry, dict) and entry.get("hash") == originals.get(name):
                    words.append(str(entry.get("text", "")))
    return [w for w in words if w]


# People's translations -------------------------------------------------------------------------


def clean_translation(obj: Translatable, language: str, values: dict[str, str]) -> dict[str, str]:
    """The translation as it will be kept, or ValidationError saying what is wrong with it."""
    errors: dict[str, list[Any]] = {}
    if language not in offered_languages():
        raise ValidationError(
            _("Translations are kept in the languages this site offers: %(languages)s."),
            code="language_not_offered",
            params={"languages": ", ".join(offered_languages())},
        )
    if language == obj.original_language:
        raise ValidationError(
            _("This is the language of the original: edit the original instead."),
            code="original_language",
        )
    cleaned: dict[str, str] = {}
    for name in obj.translatable_fields:
        value = str(values.get(name, "") or "").replace("\r\n", "\n").strip()
        limit = field_max_length(type(obj), name)
        if limit and len(value) > limit:
            errors[name] = [
                ValidationError(
                    _("At most %(limit)d characters (this has %(length)d)."),
                    code="max_length",
                    params={"limit": limit, "length": len(value)},
                )
            ]
        if value:
            cleaned[name] = value
    first = obj.translatable_fields[0]
    if first not in cleaned and first not in errors:
        errors[first] = [
            ValidationError(
                _("Write at least this part of the translation."), code="empty_translation"
            )
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def save_translation(obj: Translatable, language: str, values: dict[str, str]) -> Translatable:
    """Keep a person's translation of ``obj`` into ``language`` (replacing theirs, if any)."""
    cleaned = clean_translation(obj, language, values)
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    kept = dict(locked.translations or {})
    kept[language] = cleaned
    locked.translations = kept
    locked.save(update_fields=["translations"])
    transaction.on_commit(lambda: translations_changed.send(type(locked), instance=locked))
    return locked


@transaction.atomic
def delete_translation(obj: Translatable, language: str) -> Translatable:
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    kept = dict(locked.translations or {})
    kept.pop(language, None)
    locked.translations = kept
    locked.save(update_fields=["translations"])
    transaction.on_commit(lambda: translations_changed.send(type(locked), instance=locked))
    queue_machine_translation(locked)
    return locked


# Machine translations --------------------------------------------------------------------------


def missing_machine_translations(
    obj: Translatable, targets: Iterable[str] | None = None
) -> dict[str, dict[str, str]]:
    """{language: {field: original text}} that no person translated and no machine translation
    of the current text covers."""
    originals = {k: v for k, v in obj.original_texts().items() if v.strip()}
    wanted: dict[str, dict[str, str]] = {}
    for language in targets if targets is not None else offered_languages():
        if language == obj.original_language:
            continue
        human = (obj.translations or {}).get(language) or {}
        machine = (obj.machine_translations or {}).get(language) or {}
        for name, text in originals.items():
            if human.get(name):
                continue
            entry = machine.get(name)
            if isinstance(entry, dict) and entry.get("hash") == source_hash(text):
                continue
            wanted.setdefault(language, {})[name] = text
    return wanted


def machine_translate(obj: Translatable, backend: Any, targets: Iterable[str] | None = None) -> int:
    """Translate what is missing of ``obj`` with ``backend``; returns the number of texts
    written. Raises the backend's TranslationUnavailable (nothing written for that language)."""
    keep_recognised_language(obj)
    wanted = missing_machine_translations(obj, targets)
    written = 0
    for language, texts in wanted.items():
        route = backend.route(obj.original_language, language)
        if route is None:
            continue
        names = list(texts)
        results = backend.translate([texts[n] for n in names], obj.original_language, language)
        entries = {
            name: {
                "text": result,
                "hash": source_hash(texts[name]),
                "backend": backend.name,
                "via": route.via,
            }
            for name, result in zip(names, results, strict=True)
        }
        written += store_machine_translations(obj, language, entries)
    return written


@transaction.atomic
def store_machine_translations(
    obj: Translatable, language: str, entries: dict[str, dict[str, str]]
) -> int:
    """Write machine translations under the row's lock, from the row as it is now: a field a
    person translated meanwhile, or whose original changed meanwhile, is left alone."""
    model = type(obj)
    locked = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if locked is None:
        return 0
    current = {name: source_hash(text) for name, text in locked.original_texts().items()}
    human = (locked.translations or {}).get(language) or {}
    keep = {
        name: entry
        for name, entry in entries.items()
        if not human.get(name) and current.get(name) == entry["hash"]
    }
    if not keep:
        return 0
    machine = dict(locked.machine_translations or {})
    machine[language] = {**(machine.get(language) or {}), **keep}
    locked.machine_translations = machine
    locked.save(update_fields=["machine_translations"])
    obj.machine_translations = machine
    transaction.on_commit(lambda: translations_changed.send(model, instance=locked))
    return len(keep)


def _task_backend() -> str:
    return "translations" if "translations" in settings.TASKS else "default"


def queue_machine_translation(obj: Translatable, attempt: int = 0) -> None:
    """After the current transaction commits, translate what is missing of ``obj``."""
    from cocity.core.machine_translation import get_backend
    from cocity.core.queue import enqueue_with_writes

    if get_backend() is None or obj.pk is None:
        return
    if not missing_machine_translations(obj):
        return
    enqueue_with_writes(
        translate_object.using(backend=_task_backend()), obj._meta.label, obj.pk, attempt
    )


@task()
def translate_object(label: str, pk: int, attempt: int = 0) -> int:
    """The background task: translate what is missing of one object. When the backend is down,
    try again later (1, 2, 4… minutes, ``MAX_ATTEMPTS`` times); the original is shown meanwhile."""
    from cocity.core.machine_translation import TranslationUnavailable, get_backend

    backend = get_backend()
    model = apps.get_model(label)
    obj = model._default_manager.filter(pk=pk).first()
    if backend is None or obj is None:
        return 0
    try:
        return machine_translate(obj, backend)
    except TranslationUnavailable as error:
        log.warning(
            "machine translation of %s %s failed (attempt %d): %s", label, pk, attempt + 1, error
        )
        retry(label, pk, attempt + 1)
        return 0


def retry(label: str, pk: int, attempt: int) -> None:
    if attempt >= MAX_ATTEMPTS:
        log.error("machine translation of %s %s given up after %d attempts", label, pk, attempt)
        return
    queued = translate_object.using(backend=_task_backend())
    if not queued.get_backend().supports_defer:
        return  # a queue that runs tasks at once cannot wait: the next write tries again
    later = timezone.now() + FIRST_RETRY * (2 ** (attempt - 1))
    queued.using(run_after=later).enqueue(label, pk, attempt)


def _saved(sender: type[models.Model], instance: Any, update_fields: Any = None, **kw: Any) -> None:
    if kw.get("raw"):
        return
    if update_fields and set(update_fields) <= {"translations", "machine_translations"}:
        return
    queue_machine_translation(instance)


def connect_signals() -> None:
    for model in translatable_models():
        models.signals.post_save.connect(
            _saved, sender=model, dispatch_uid=f"translate:{model._meta.label}"
        )


def translate_everything(
    backend: Any,
    targets: Iterable[str],
    *,
    batch: int = 200,
    models_: Iterable[type[Translatable]] | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> tuple[int, int, int]:
    """Translate what is missing of every object of every translatable model (the command,
    the demo): texts of many objects go to the backend together, ``batch`` at a time (Apertium
    costs about 0.3 s a run whatever its length). Returns (objects, texts written, words of
    the originals sent)."""
    targets = list(targets)
    routes: dict[tuple[str, str], Any] = {}
    pending: list[tuple[Translatable, str, dict[str, str]]] = []
    totals = {"objects": 0, "texts": 0, "words": 0}

    def route(source: str, target: str) -> Any:
        if (source, target) not in routes:
            routes[source, target] = backend.route(source, target)
        return routes[source, target]

    def flush() -> None:
        groups: dict[tuple[str, str], list[tuple[Translatable, str, dict[str, str]]]] = {}
        for obj, language, texts in pending:
            groups.setdefault((obj.original_language, language), []).append((obj, language, texts))
        pending.clear()
        for (source, language), items in groups.items():
            flat = [(obj, name, text) for obj, _l, texts in items for name, text in texts.items()]
            results = backend.translate([text for _o, _n, text in flat], source, language)
            via = route(source, language).via
            by_object: dict[int, tuple[Translatable, dict[str, dict[str, str]]]] = {}
            for (obj, name, text), result in zip(flat, results, strict=True):
                entry = {"text": result, "hash": source_hash(text), "backend": backend.name}
                by_object.setdefault(id(obj), (obj, {}))[1][name] = {**entry, "via": via}
            for obj, entries in by_object.values():
                totals["texts"] += store_machine_translations(obj, language, entries)
            totals["words"] += sum(len(text.split()) for _o, _n, text in flat)
            if on_batch is not None:
                on_batch(totals["texts"], totals["words"])

    for model in models_ if models_ is not None else translatable_models():
        for obj in model._default_manager.order_by("pk").iterator(chunk_size=500):
            totals["objects"] += 1
            keep_recognised_language(obj)
            for language, texts in missing_machine_translations(obj, targets).items():
                if route(obj.original_language, language) is not None:
                    pending.append((obj, language, texts))
            if sum(len(texts) for _o, _l, texts in pending) >= batch:
                flush()
    flush()
    return totals["objects"], totals["texts"], totals["words"]


# Who translates ----------------------------------------------------------------------------------


def translation_permission(model: type[models.Model]) -> str | None:
    perm = getattr(model, "translation_permission", None)
    if perm is None:
        return None
    return perm or f"{model._meta.app_label}.change_{model._meta.model_name}"


def may_translate(user: Any, obj: Any) -> bool:
    if not isinstance(obj, Translatable) or not getattr(user, "is_authenticated", False):
        return False
    if translation_permission(type(obj)) is None:
        return False
    perm, target = obj.translation_owner()
    return bool(perm) and bool(user.has_perm(perm, target))
