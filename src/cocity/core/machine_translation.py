"""Machine translation of content: pluggable backends chosen in settings (docs/translations.md).

``get_backend()`` returns the backend named by ``COCITY_TRANSLATION_BACKEND`` (``None`` when
machine translation is off, the default). Every backend says which pairs it translates
(``route()``, a pair through a pivot language is labelled with it) and translates a batch of
texts in one call (``translate()``): one subprocess or one HTTP request per batch, never one per
text, and never longer than ``COCITY_TRANSLATION_TIMEOUT``. A backend that is down, too slow,
refuses or answers garbage raises ``TranslationUnavailable``, whose message (in the active
language) says which. ``detect_language()`` guesses the language of a text with py3langid's
bundled model, offline.

Django-light: only settings, ``ImproperlyConfigured`` and gettext; the HTTP backends use the
standard library's ``http.client`` (no new dependency), with one deadline for the whole exchange.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import re
import shlex
import signal
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cocity.core.languages import LANGUAGE_NAMES, SPOKEN_LANGUAGES

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

BACKEND_NAMES = ("echo", "apertium", "libretranslate", "deepl")
# Pair lists (``apertium -l``, LibreTranslate's /languages, DeepL's /v2/languages) are asked
# once an hour per process; a failed answer is not kept.
PAIRS_TTL = 3600.0
# The language Apertium pivots through when it has no direct pair (en -> fr is en -> es -> fr).
APERTIUM_PIVOT = "es"
# The most an HTTP backend may answer: more is garbage, not a translation of a batch.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# DeepL takes at most 50 texts per request.
DEEPL_MAX_TEXTS = 50


class TranslationUnavailable(Exception):
    """The backend could not translate now: down, timed out, refused, or answered garbage.

    ``str()`` gives the reason in the active language (the message is translated when read, not
    when raised, so a background task's failure reads in the language of whoever sees it)."""

    def __init__(self, message: str | Promise, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class Route:
    """How a backend translates ``source`` into ``target``; ``via`` is the pivot language when it
    has no direct pair (Apertium's en -> fr goes through Spanish), empty when direct."""

    source: str
    target: str
    via: str = ""


class Backend(Protocol):
    name: str  # stored with each machine translation ("apertium")
    label: str  # shown to people ("Apertium")

    def route(self, source: str, target: str) -> Route | None:
        """How ``source`` is translated into ``target``; ``None`` when the pair is not supported.
        May raise ``TranslationUnavailable`` when the backend cannot be asked for its pairs."""
        ...

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """The translations of ``texts``, same length and order (blank texts come back as they
        are, unsent); raises ``TranslationUnavailable``."""
        ...


def _language(code: str) -> str | Promise:
    return LANGUAGE_NAMES.get(code, code)


def _unsupported(backend: str, source: str, target: str) -> TranslationUnavailable:
    return TranslationUnavailable(
        _("%(backend)s does not translate from %(source)s into %(target)s."),
        backend=backend,
        source=_language(source),
        target=_language(target),
    )


def _unexpected(backend: str, detail: str) -> TranslationUnavailable:
    return TranslationUnavailable(
        _("%(backend)s answered in an unexpected form: %(detail)s"),
        backend=backend,
        detail=detail,
    )


def _wrong_count(backend: str, got: int, sent: int) -> TranslationUnavailable:
    return TranslationUnavailable(
        _(
            "%(backend)s answered a different number of translations (%(got)s) than "
            "texts sent (%(sent)s)."
        ),
        backend=backend,
        got=got,
        sent=sent,
    )


def _timed_out(backend: str, seconds: float) -> TranslationUnavailable:
    return TranslationUnavailable(
        _("%(backend)s did not answer within %(seconds)s seconds."),
        backend=backend,
        seconds=f"{seconds:g}",
    )


class _Pairs:
    """A pair list asked for at most once per ``PAIRS_TTL`` (one asker at a time)."""

    def __init__(self, fetch: Callable[[], Any]) -> None:
        self._fetch = fetch
        self._lock = threading.Lock()
        self._value: Any = None
        self._expires = 0.0

    def get(self) -> Any:
        with self._lock:
            if self._value is None or time.monotonic() >= self._expires:
                self._value = self._fetch()  # raises: nothing kept, asked again next time
                self._expires = time.monotonic() + PAIRS_TTL
            return self._value


class _BaseBackend:
    """What every backend shares: blank texts are not sent, an unsupported pair is refused
    before anything is sent, and the answer has exactly one translation per text sent."""

    name = ""
    label = ""

    def route(self, source: str, target: str) -> Route | None:
        raise NotImplementedError

    def _translate(self, texts: list[str], route: Route) -> list[str]:
        raise NotImplementedError

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        if not texts:
            return []
        route = self.route(source, target)
        if route is None:
            raise _unsupported(self.label, source, target)
        sent = [i for i, text in enumerate(texts) if text.strip()]
        if not sent:
            return list(texts)
        answers = self._translate([texts[i] for i in sent], route)
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise _unexpected(self.label, "not a list of texts")
        if len(answers) != len(sent):
            raise _wrong_count(self.label, len(answers), len(sent))
        result = list(texts)
        for i, answer in zip(sent, answers, strict=True):
            result[i] = answer
        return result


class EchoBackend(_BaseBackend):
    """For tests: each text prefixed with its target language ("[fr] Hello"); every pair of two
    distinct languages of ``SPOKEN_LANGUAGES``."""

    name = "echo"
    label = "Echo"

    def route(self, source: str, target: str) -> Route | None:
        if source == target or source not in LANGUAGE_NAMES or target not in LANGUAGE_NAMES:
            return None
        return Route(source, target)

    def _translate(self, texts: list[str], route: Route) -> list[str]:
        return [f"[{route.target}] {text}" for text in texts]


# ---------------------------------------------------------------------------------------------
# Apertium: rule-based, offline, one subprocess per (pair, batch).

# Apertium's modes name languages by ISO 639-3 codes ("eng-spa") or 639-1 ("es-fr").
_ISO3 = {
    "ara": "ar",
    "deu": "de",
    "ell": "el",
    "eng": "en",
    "spa": "es",
    "fra": "fr",
    "ita": "it",
    "kor": "ko",
    "nld": "nl",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "tur": "tr",
    "ukr": "uk",
    "wol": "wo",
}
# What leads a Markdown line and is kept as it is: indentation, list markers, headings, quotes.
_LINE_LEAD = re.compile(r"^(\s*(?:(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t]+)*)")
_BLOCK = re.compile(r'<p id="(\d+)-(\d+)">(.*?)</p>', re.DOTALL)
# Apertium marks a word it could not generate with "#" and a transfer fault with "@".
_FAULT_MARK = re.compile(r"[#@](?=\w)")


def _apertium_code(code: str) -> str | None:
    code = _ISO3.get(code, code)
    return code if code in LANGUAGE_NAMES else None


def parse_apertium_modes(listing: str) -> dict[tuple[str, str], str]:
    """The pairs of ``apertium -l``'s listing, as {(source, target): mode}. Variants ("spa-eng_US")
    and special modes ("eco-es-fr") are left out."""
    modes: dict[tuple[str, str], str] = {}
    for line in listing.splitlines():
        mode = line.strip()
        parts = mode.split("-")
        if len(parts) != 2 or "_" in mode:
            continue
        source, target = (_apertium_code(part) for part in parts)
        if source and target and source != target:
            modes.setdefault((source, target), mode)
    return modes


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _split_line(line: str) -> tuple[str, str, str]:
    """A line as (what leads it, the words to translate, trailing blanks)."""
    lead = _LINE_LEAD.match(line)
    start = lead.end() if lead else 0
    words = line[start:].rstrip()
    return line[:start], words, line[start + len(words) :]


class ApertiumBackend(_BaseBackend):
    """Apertium (Debian's ``apertium`` with ``apertium-eng-spa`` and ``apertium-fr-es``): its
    direct pairs, else through Spanish. A batch is one HTML document, one ``<p>`` per line of each
    text (so texts and lines stay apart and Markdown's list markers, headings and quotes are
    kept as they are), through one ``apertium -u -f html`` run per pair."""

    name = "apertium"
    label = "Apertium"

    def __init__(self, command: str = "apertium", timeout: float = 20.0) -> None:
        self.command = shlex.split(command)
        self.timeout = timeout
        self._modes = _Pairs(self._list_modes)

    def _run(self, args: list[str], data: str, deadline: float) -> str:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(self.label, self.timeout)
        try:
            # A session of its own: on a timeout the whole pipeline (a shell script and its
            # lt-proc, cg-proc, ... children) is killed, not only the script.
            process = subprocess.Popen(  # noqa: S603 (the command is the operator's setting)
                [*self.command, *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as error:
            raise TranslationUnavailable(
                _("Apertium cannot be run here (%(command)s: %(error)s)."),
                command=" ".join(self.command),
                error=error.strerror or str(error),
            ) from error
        try:
            out, err = process.communicate(data.encode(), timeout=remaining)
        except subprocess.TimeoutExpired as error:
            _kill_group(process)
            process.communicate()
            raise _timed_out(self.label, self.timeout) from error
        finally:
            if process.poll() is None:  # interrupted: leave nothing running
                _kill_group(process)
                process.wait()
        if process.returncode != 0:
            lines = err.decode(errors="replace").strip().splitlines()
            raise TranslationUnavailable(
                _("Apertium stopped with an error: %(detail)s"),
                detail=(lines[-1] if lines else f"exit status {process.returncode}")[:300],
            )
        return out.decode(errors="replace")

    def _list_modes(self) -> dict[tuple[str, str], str]:
        return parse_apertium_modes(self._run(["-l"], "", time.monotonic() + self.timeout))

    def route(self, source: str, target: str) -> Route | None:
        if source == target:
            return None
        modes = self._modes.get()
        if (source, target) in modes:
            return Route(source, target)
        pivot = APERTIUM_PIVOT
        if pivot not in (source, target) and (source, pivot) in modes and (pivot, target) in modes:
            return Route(source, target, via=pivot)
        return None

    def _translate(self, texts: list[str], route: Route) -> list[str]:
        lines = [text.split("\n") for text in texts]
        parts = [[_split_line(line) for line in text_lines] for text_lines in lines]
        document = "\n".join(
            f'<p id="{i}-{j}">{html.escape(words, quote=False)}</p>'
            for i, text_parts in enumerate(parts)
            for j, (_lead, words, _trail) in enumerate(text_parts)
            if words
        )
        modes = self._modes.get()
        if route.via:
            steps = [(route.source, route.via), (route.via, route.target)]
        else:
            steps = [(route.source, route.target)]
        deadline = time.monotonic() + self.timeout  # one deadline for both steps of a pivot
        for step in steps:
            document = self._run(["-u", "-f", "html", modes[step]], document, deadline)
        translated = {
            (int(i), int(j)): html.unescape(block) for i, j, block in _BLOCK.findall(document)
        }
        expected = {(i, j) for i, p in enumerate(parts) for j, (_, w, _) in enumerate(p) if w}
        if set(translated) != expected:
            raise _unexpected(self.label, "the lines of the batch came back changed")
        results = []
        for i, text_parts in enumerate(parts):
            out_lines = []
            for j, (lead, words, trail) in enumerate(text_parts):
                if not words:
                    out_lines.append(lead + trail)
                    continue
                line = translated[i, j].strip()
                if "  " not in words:  # Apertium's sentence ends leave double spaces
                    line = re.sub(r" {2,}", " ", line)
                if "#" not in words and "@" not in words:
                    line = _FAULT_MARK.sub("", line)
                if words[0].islower() and line[:1].isupper():  # a block's start is capitalised
                    line = line[0].lower() + line[1:]
                out_lines.append(lead + line + trail)
            results.append("\n".join(out_lines))
        return results


# ---------------------------------------------------------------------------------------------
# HTTP backends: http.client with one deadline for connecting, sending and reading the answer.


class _HttpBackend(_BaseBackend):
    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        self.scheme = parts.scheme
        self.host = parts.hostname or ""
        self.port = parts.port
        self.base_path = parts.path.rstrip("/")
        self.timeout = timeout

    def _headers(self) -> dict[str, str]:
        return {}

    def _error_detail(self, payload: Any) -> str:
        return ""

    def request(
        self, method: str, path: str, query: dict[str, str] | None = None, body: object = None
    ) -> Any:
        """The JSON answer to one request; ``TranslationUnavailable`` for anything else."""
        deadline = time.monotonic() + self.timeout

        def remaining() -> float:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            return left

        target = self.base_path + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        headers = {"Accept": "application/json", "User-Agent": "cocity", **self._headers()}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection_class = (
            http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, target, body=data, headers=headers)
            sock = connection.sock  # kept: http.client forgets it when the answer closes
            if sock is not None:
                sock.settimeout(remaining())
            response = connection.getresponse()
            chunks, size = [], 0
            while True:
                if sock is not None:
                    sock.settimeout(remaining())
                chunk = response.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise _unexpected(self.label, f"more than {MAX_RESPONSE_BYTES} bytes")
                chunks.append(chunk)
        except TimeoutError as error:
            raise _timed_out(self.label, self.timeout) from error
        except (OSError, http.client.HTTPException) as error:
            raise TranslationUnavailable(
                _("%(backend)s cannot be reached (%(error)s)."),
                backend=self.label,
                error=getattr(error, "strerror", None) or str(error) or type(error).__name__,
            ) from error
        finally:
            connection.close()
        raw = b"".join(chunks)
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
            if response.status < 300:
                raise TranslationUnavailable(
                    _("%(backend)s answered something that is not JSON."), backend=self.label
                ) from None
        if response.status >= 300:
            raise self._http_error(response.status, payload, raw)
        return payload

    def _http_error(self, status: int, payload: Any, raw: bytes) -> TranslationUnavailable:
        if status in (401, 403):
            return TranslationUnavailable(
                _("%(backend)s refused the API key (HTTP %(status)s)."),
                backend=self.label,
                status=status,
            )
        if status in (429, 456):
            return TranslationUnavailable(
                _(
                    "%(backend)s takes no more requests for now (HTTP %(status)s: too many "
                    "requests, or the quota is used up)."
                ),
                backend=self.label,
                status=status,
            )
        detail = self._error_detail(payload) or raw.decode(errors="replace").strip()
        return TranslationUnavailable(
            _("%(backend)s answered with an error (HTTP %(status)s): %(detail)s"),
            backend=self.label,
            status=status,
            detail=detail[:300] or http.client.responses.get(status, ""),
        )


def _texts(backend: str, items: Iterable[Any]) -> list[str]:
    texts = list(items)
    if not all(isinstance(text, str) for text in texts):
        raise _unexpected(backend, "a translation that is not a text")
    return texts


class LibreTranslateBackend(_HttpBackend):
    """LibreTranslate's HTTP API: ``GET /languages`` for the pairs, ``POST /translate`` with the
    batch as ``q`` (a list), ``format`` "text" and the ``api_key`` when one is set."""

    name = "libretranslate"
    label = "LibreTranslate"

    def __init__(self, url: str, api_key: str = "", timeout: float = 20.0) -> None:
        super().__init__(url, timeout)
        self.api_key = api_key
        self._pairs = _Pairs(self._list_pairs)

    def _error_detail(self, payload: Any) -> str:
        error = payload.get("error") if isinstance(payload, dict) else None
        return error if isinstance(error, str) else ""

    def _list_pairs(self) -> set[tuple[str, str]]:
        payload = self.request("GET", "/languages")
        if not isinstance(payload, list):
            raise _unexpected(self.label, "the language list is not a list")
        pairs: set[tuple[str, str]] = set()
        for language in payload:
            if not isinstance(language, dict) or not isinstance(language.get("code"), str):
                raise _unexpected(self.label, "a language without a code")
            targets = language.get("targets", [])
            if not isinstance(targets, list):
                raise _unexpected(self.label, "targets that are not a list")
            pairs.update(
                (language["code"], target) for target in targets if isinstance(target, str)
            )
        return pairs

    def route(self, source: str, target: str) -> Route | None:
        if source == target or (source, target) not in self._pairs.get():
            return None
        return Route(source, target)

    def _translate(self, texts: list[str], route: Route) -> list[str]:
        body: dict[str, object] = {
            "q": texts,
            "source": route.source,
            "target": route.target,
            "format": "text",
        }
        if self.api_key:
            body["api_key"] = self.api_key
        payload = self.request("POST", "/translate", body=body)
        translated = payload.get("translatedText") if isinstance(payload, dict) else None
        if not isinstance(translated, list):
            raise _unexpected(self.label, "no translatedText list")
        return _texts(self.label, translated)


class DeepLBackend(_HttpBackend):
    """DeepL's API v2: ``GET /v2/languages`` (``type`` source and target) for the pairs, ``POST
    /v2/translate`` with the batch as ``text``, at most 50 texts a request; the key in the
    ``Authorization: DeepL-Auth-Key`` header. English is written as British English and
    Portuguese as European Portuguese (DeepL's targets EN-GB, PT-PT) when DeepL has them."""

    name = "deepl"
    label = "DeepL"
    # The regional target DeepL needs for our plain code, when it has no plain one.
    PREFERRED_TARGETS = {"en": "EN-GB", "pt": "PT-PT"}

    def __init__(self, url: str, api_key: str, timeout: float = 20.0) -> None:
        super().__init__(url, timeout)
        self.api_key = api_key
        self._codes = _Pairs(self._list_codes)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"DeepL-Auth-Key {self.api_key}"}

    def _error_detail(self, payload: Any) -> str:
        message = payload.get("message") if isinstance(payload, dict) else None
        return message if isinstance(message, str) else ""

    def _languages(self, kind: str) -> list[str]:
        payload = self.request("GET", "/v2/languages", query={"type": kind})
        if not isinstance(payload, list) or not all(
            isinstance(item, dict) and isinstance(item.get("language"), str) for item in payload
        ):
            raise _unexpected(self.label, f"the {kind} language list is not a list of languages")
        return [item["language"].upper() for item in payload]

    def _list_codes(self) -> tuple[dict[str, str], dict[str, str]]:
        """DeepL's source and target codes for each of our languages it has."""
        sources, targets = self._languages("source"), self._languages("target")
        source_codes, target_codes = {}, {}
        for code in LANGUAGE_NAMES:
            upper = code.upper()
            if upper in sources:
                source_codes[code] = upper
            regional = [t for t in targets if t.startswith(f"{upper}-")]
            preferred = self.PREFERRED_TARGETS.get(code)
            if upper in targets:
                target_codes[code] = upper
            elif preferred in targets:
                target_codes[code] = preferred
            elif regional:
                target_codes[code] = regional[0]
        return source_codes, target_codes

    def route(self, source: str, target: str) -> Route | None:
        source_codes, target_codes = self._codes.get()
        if source == target or source not in source_codes or target not in target_codes:
            return None
        return Route(source, target)

    def _translate(self, texts: list[str], route: Route) -> list[str]:
        source_codes, target_codes = self._codes.get()
        results: list[str] = []
        for start in range(0, len(texts), DEEPL_MAX_TEXTS):
            batch = texts[start : start + DEEPL_MAX_TEXTS]
            payload = self.request(
                "POST",
                "/v2/translate",
                body={
                    "text": batch,
                    "source_lang": source_codes[route.source],
                    "target_lang": target_codes[route.target],
                },
            )
            translations = payload.get("translations") if isinstance(payload, dict) else None
            if not isinstance(translations, list) or not all(
                isinstance(item, dict) for item in translations
            ):
                raise _unexpected(self.label, "no translations list")
            if len(translations) != len(batch):
                raise _wrong_count(self.label, len(translations), len(batch))
            results += _texts(self.label, (item.get("text") for item in translations))
        return results


# ---------------------------------------------------------------------------------------------
# The backend of the settings.

_current: tuple[tuple[object, ...], Backend] | None = None
_current_lock = threading.Lock()


def _http_url(setting: str, url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"{setting} must be an http:// or https:// address (it is {url!r})."
        )
    try:
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as error:
        raise ImproperlyConfigured(f"{setting} has a port that is not a number: {url!r}") from error
    return url


def _build_backend(name: str, timeout: float) -> Backend:
    if name == "echo":
        return EchoBackend()
    if name == "apertium":
        command = settings.COCITY_APERTIUM_COMMAND
        if not command.strip():
            raise ImproperlyConfigured("COCITY_APERTIUM_COMMAND is empty: set it to 'apertium'.")
        return ApertiumBackend(command, timeout)
    if name == "libretranslate":
        url = settings.COCITY_LIBRETRANSLATE_URL
        if not url:
            raise ImproperlyConfigured(
                "COCITY_TRANSLATION_BACKEND is 'libretranslate': set COCITY_LIBRETRANSLATE_URL "
                "to the address of the LibreTranslate server (and COCITY_LIBRETRANSLATE_API_KEY "
                "if it asks for a key)."
            )
        url = _http_url("COCITY_LIBRETRANSLATE_URL", url)
        return LibreTranslateBackend(url, settings.COCITY_LIBRETRANSLATE_API_KEY, timeout)
    if name == "deepl":
        if not settings.COCITY_DEEPL_API_KEY:
            raise ImproperlyConfigured(
                "COCITY_TRANSLATION_BACKEND is 'deepl': set COCITY_DEEPL_API_KEY to your DeepL "
                "API key (and COCITY_DEEPL_URL to https://api.deepl.com for a paid plan)."
            )
        url = _http_url("COCITY_DEEPL_URL", settings.COCITY_DEEPL_URL)
        return DeepLBackend(url, settings.COCITY_DEEPL_API_KEY, timeout)
    raise ImproperlyConfigured(
        f"COCITY_TRANSLATION_BACKEND is {name!r}, which is not a machine translation backend: "
        f"use one of {', '.join(BACKEND_NAMES)}, or leave it empty for none."
    )


def get_backend() -> Backend | None:
    """The backend of ``COCITY_TRANSLATION_BACKEND``, ``None`` when it is empty (machine
    translation off). Raises ``ImproperlyConfigured`` for an unknown name, a missing address or
    key. The same backend (and its cached pair list) while the settings stay the same."""
    global _current
    name = getattr(settings, "COCITY_TRANSLATION_BACKEND", "").strip().lower()
    if not name:
        return None
    timeout = settings.COCITY_TRANSLATION_TIMEOUT
    if not isinstance(timeout, int | float) or not timeout > 0:
        raise ImproperlyConfigured(
            f"COCITY_TRANSLATION_TIMEOUT must be a number of seconds above 0 (it is {timeout!r})."
        )
    key = (
        name,
        float(timeout),
        settings.COCITY_APERTIUM_COMMAND,
        settings.COCITY_LIBRETRANSLATE_URL,
        settings.COCITY_LIBRETRANSLATE_API_KEY,
        settings.COCITY_DEEPL_URL,
        settings.COCITY_DEEPL_API_KEY,
    )
    with _current_lock:
        if _current is None or _current[0] != key:
            _current = (key, _build_backend(name, float(timeout)))
        return _current[1]


# ---------------------------------------------------------------------------------------------
# Language detection: py3langid's bundled model, restricted to the languages cocity knows.

# Fewer letters than this say too little; a guess less sure than this is no answer.
DETECT_MIN_LETTERS = 4
DETECT_MIN_CONFIDENCE = 0.8
_NOT_WORDS = re.compile(r"https?://\S+|\S+@\S+\.\S+|\]\([^)]*\)")


@cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(identifier.nb_classes)
    identifier.set_languages([code for code, _name in SPOKEN_LANGUAGES if code in known])
    return identifier


def detect_language(text: str) -> str | None:
    """The language of ``text`` among ``SPOKEN_LANGUAGES`` (those py3langid knows: not Romani
    or Wolof), or ``None`` when the text is too short or the guess unsure. Addresses and link
    targets are left out of the guess."""
    text = _NOT_WORDS.sub(" ", text[:20000])
    if sum(character.isalpha() for character in text) < DETECT_MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(text)
    return code if confidence >= DETECT_MIN_CONFIDENCE else None
