"""The surfaces outside the HTML pages where text people write is read again, and the checks the
hostile-input corpus (``corpus.HOSTILE_INPUTS``) must pass on each.

A value a form stored (``storable`` says what a form keeps of a payload) comes back in search
results, Atom feeds, iCalendar files, CSV and JSON downloads, e-mails and, once it exists, the
API. Each reader below parses what a client would parse and fails on what would harm it:

* ``check_search_page``: the results page holds no executable markup, and a hit's extract holds
  no markup but the highlights' own balanced ``<mark>`` (a highlight never re-opens markup);
* ``check_atom``: well-formed XML, and every ``type="html"`` text is inert HTML;
* ``check_ical``: every unfolded line is a property cocity writes (no line injected through a
  CR or LF in a value), with the number of VEVENTs expected;
* ``csv_rows`` / ``assert_defused``: the spreadsheet-formula guard of ``cocity.core.csv``;
* ``json_body`` / ``json_strings``: valid JSON whose strings are the values, unescaped;
* ``check_mail``: headers without CR/LF injection, HTML parts inert, calendars as above.

Every surface is registered (``register_surface``) by the test that feeds it the corpus;
``machine_readable_endpoints`` walks the URL configuration for every view that answers CSV,
iCalendar, Atom, JSON, or belongs to the API app (``cocity.api``, kind ``"api"``), so a test
fails when a new one is not registered. An API registers its endpoints as surfaces of kind
``"api"`` (read with ``json_body``) the same way.
"""

# ruff: noqa: S101  (a test helper: its assertions are the point)
from __future__ import annotations

import csv
import email
import email.policy
import inspect
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.mail import EmailMessage
from django.core.validators import MaxLengthValidator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.html import escape
from icalendar import Calendar

from cocity.core.csv import FORMULA_STARTS, neutralise
from cocity.core.text import clean_plain_text

from .corpus import executable_markup

KINDS = ("search", "atom", "ical", "csv", "json", "mail", "api")


# --- What a form stores ------------------------------------------------------------------------


def storable(payload: str, limit: int | None = None) -> str:
    """What a form keeps of ``payload``: control characters removed and trimmed (the forms'
    ``PlainTextMixin``), cut to ``limit`` characters (a longer value is refused by the form; a
    person would shorten it)."""
    value = clean_plain_text(payload)
    return value[:limit].strip() if limit else value


def limit_of(model: Any, field_name: str) -> int | None:
    """The most characters ``model.field_name`` takes (``max_length`` or a length validator)."""
    model_field = model._meta.get_field(field_name)
    limits = [model_field.max_length] if model_field.max_length else []
    limits += [v.limit_value for v in model_field.validators if isinstance(v, MaxLengthValidator)]
    return min(limits) if limits else None


def as_shown(value: str, limit: int = 40) -> str:
    """The start of a value, as a message that cuts long values still shows it."""
    return value[:limit].strip()


# --- The registry of surfaces ------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    """Where stored text is read again, outside the pages, by one scene of the corpus tests:
    ``url_names``, the endpoints it reads (``"library:feed_space"``); ``templates``, the e-mails
    it sends (``"events/emails/confirmed"``, without ``_subject.txt``); ``providers``, the search
    providers whose results and extracts it reads (``"events.event"``); ``sections``, the
    sections of the personal data export it reads."""

    name: str
    kind: str
    url_names: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown surface kind {self.kind!r}; one of {KINDS}.")


_SURFACES: dict[str, Surface] = {}


def register_surface(surface: Surface) -> Surface:
    if surface.name in _SURFACES and _SURFACES[surface.name] != surface:
        raise ValueError(f"A surface named {surface.name!r} is registered already.")
    _SURFACES[surface.name] = surface
    return surface


def registered_surfaces() -> list[Surface]:
    return sorted(_SURFACES.values(), key=lambda surface: surface.name)


# --- Which endpoints answer something other than a page ----------------------------------------

_CONTENT_TYPE = re.compile(
    r"""content_type\s*=\s*(?P<literal>["'][^"']*["'])|content_type\s*=\s*(?P<name>[A-Za-z_]\w*)"""
)
_HELPERS = {"csv_response": "csv", "csv_streaming_response": "csv", "JsonResponse": "json"}


def _kind_of_content_type(content_type: str) -> str | None:
    content_type = content_type.lower()
    for marker, kind in (("csv", "csv"), ("calendar", "ical"), ("json", "json")):
        if marker in content_type:
            return kind
    if "atom" in content_type or "rss" in content_type or content_type.endswith("/xml"):
        return "atom"
    return None


def _source_kinds(function: Any, depth: int = 3) -> set[str]:
    """The kinds of body a view function answers with: the content types it names and the core
    helpers it calls, in its own source and in the module functions it calls (a few levels)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return set()
    names = getattr(function, "__globals__", {})
    kinds: set[str] = set()
    for match in _CONTENT_TYPE.finditer(source):
        literal = match.group("literal")
        value = literal[1:-1] if literal else names.get(match.group("name") or "")
        if isinstance(value, str) and (kind := _kind_of_content_type(value)):
            kinds.add(kind)
    for word in set(re.findall(r"\b[A-Za-z_]\w*\b", source)):
        if word in _HELPERS and word in names:
            kinds.add(_HELPERS[word])
        helper = names.get(word)
        if (
            depth
            and inspect.isfunction(helper)
            and helper is not function
            and helper.__module__ == function.__module__
        ):
            kinds |= _source_kinds(helper, depth - 1)
    return kinds


def _patterns(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern.callback


def named_views() -> dict[str, Any]:
    """Every named URL of cocity (not the admin's or allauth's) and its view."""
    found: dict[str, Any] = {}
    for name, callback in _patterns(get_resolver().url_patterns):
        module = getattr(inspect.unwrap(callback), "__module__", "") or type(callback).__module__
        if module.startswith("cocity.") and not name.startswith("admin:"):
            found.setdefault(name, callback)
    return found


def endpoint_kinds(callback: Any) -> set[str]:
    """What one URL's view answers besides pages (empty for a page)."""
    if isinstance(callback, Feed):  # Atom (or RSS): a feed either way
        return {"atom"}
    view = inspect.unwrap(callback)
    module = getattr(view, "__module__", "") or ""
    kinds = _source_kinds(view)
    if module == "cocity.api" or module.startswith("cocity.api."):
        kinds.add("api")
    return kinds


def machine_readable_endpoints() -> dict[str, set[str]]:
    """Every named URL of cocity (not the admin's or allauth's) whose view answers CSV, iCalendar,
    Atom or JSON, or is part of the API, with what it answers."""
    found: dict[str, set[str]] = {}
    for name, callback in named_views().items():
        kinds = endpoint_kinds(callback)
        if kinds:
            found[name] = kinds
    return found


# --- Search results ----------------------------------------------------------------------------


@dataclass
class SearchHit:
    title: str = ""
    extract: str = ""
    extract_tags: list[str] = field(default_factory=list)  # every tag inside the extract


class _Hits(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hits: list[SearchHit] = []
        self.in_list = 0
        self.where = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "ol" and "search-hits" in (values.get("class") or ""):
            self.in_list += 1
            return
        if not self.in_list:
            return
        if tag == "li" and not self.where:
            self.hits.append(SearchHit())
        elif tag == "h3":
            self.where = "title"
        elif tag == "p" and not values.get("class") and self.where != "extract":
            self.where = "extract"
        elif self.where == "extract":
            self.hits[-1].extract_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.in_list:
            return
        if tag == "ol":
            self.in_list -= 1
        elif (tag, self.where) in (("h3", "title"), ("p", "extract")):
            self.where = ""
        elif self.where == "extract":
            self.hits[-1].extract_tags.append("/" + tag)

    def handle_data(self, data: str) -> None:
        if self.in_list and self.hits and self.where == "title":
            self.hits[-1].title += data
        elif self.in_list and self.hits and self.where == "extract":
            self.hits[-1].extract += data


def check_search_page(html: str) -> list[SearchHit]:
    """The hits of a search results page; fails on executable markup anywhere in the page, and
    on any markup in an extract but balanced ``<mark>`` highlights."""
    problems = executable_markup(html, settings.STATIC_URL)
    assert not problems, f"search results: executable markup: {problems}"
    parser = _Hits()
    parser.feed(html)
    parser.close()
    for hit in parser.hits:
        stray = [tag for tag in hit.extract_tags if tag not in ("mark", "/mark")]
        assert not stray, f"search extract of {hit.title[:40]!r}: markup {stray} in the extract"
        depth = 0
        for tag in hit.extract_tags:
            depth += 1 if tag == "mark" else -1
            assert depth in (0, 1), f"search extract of {hit.title[:40]!r}: highlights nested"
        assert depth == 0, f"search extract of {hit.title[:40]!r}: a highlight left open"
    return parser.hits


def squashed(text: str) -> str:
    return " ".join(text.split())


# --- Atom --------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_xml(body: bytes) -> Any:
    """The element tree of a document (defusedxml when installed: no entity expansion)."""
    try:
        from defusedxml.ElementTree import fromstring
    except ImportError:  # the standard parser: what it reads here is our own server's answer
        from xml.etree.ElementTree import fromstring
    try:
        return fromstring(body)  # noqa: S314
    except Exception as error:  # xml.etree.ElementTree.ParseError, or defusedxml's refusals
        raise AssertionError(f"not well-formed XML: {error}") from error


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    """What a reader shows of an HTML fragment: its text, entities decoded."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


@dataclass
class AtomEntry:
    texts: dict[str, str]  # title, summary, content: as a reader shows them


def check_atom(body: bytes) -> tuple[dict[str, str], list[AtomEntry]]:
    """An Atom feed's own texts and its entries' (as a feed reader shows them); fails when it is
    not well-formed Atom or an HTML text construct holds executable markup."""
    root = parse_xml(body)
    assert root.tag == f"{ATOM}feed", f"not an Atom feed: <{root.tag}>"

    def texts(element: Any, where: str) -> dict[str, str]:
        found = {}
        for name in ("title", "subtitle", "summary", "content", "rights"):
            node = element.find(f"{ATOM}{name}")
            if node is None:
                continue
            kind = node.get("type", "text")
            raw = node.text or ""
            assert kind in ("text", "html"), f"{where} <{name} type={kind}>: unexpected type"
            if kind == "html":
                problems = executable_markup(raw, settings.STATIC_URL)
                assert not problems, f"{where} <{name} type=html>: executable markup {problems}"
                found[name] = html_text(raw)
            else:
                found[name] = raw
        return found

    entries = [
        AtomEntry(texts=texts(entry, f"entry {n}"))
        for n, entry in enumerate(root.findall(f"{ATOM}entry"))
    ]
    return texts(root, "feed"), entries


# --- iCalendar ---------------------------------------------------------------------------------

# Every property (and component boundary) cocity writes; any other line was injected.
ICAL_NAMES = frozenset(
    {
        "BEGIN", "END", "PRODID", "VERSION", "CALSCALE", "METHOD", "X-WR-CALNAME", "UID",
        "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "DESCRIPTION", "URL", "LOCATION",
        "STATUS", "X-COCITY-TZID", "ORGANIZER", "ATTENDEE",
    }
)  # fmt: skip


# Properties a VEVENT has at most once (RFC 5545); a second one was injected.
ICAL_ONCE = (
    "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "DESCRIPTION", "URL",
    "LOCATION", "STATUS", "ORGANIZER",
)  # fmt: skip


def check_ical(body: bytes | str, *, events: int | None = None) -> list[Any]:
    """The VEVENTs of an iCalendar file (parsed back with the ``icalendar`` library); fails when a
    line is not one cocity writes or a property comes twice in a VEVENT (a CR or LF in a value
    started a new line), or the number of VEVENTs is not ``events``."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    lines = unfolded.split("\r\n")
    assert lines[-1] == "", "an iCalendar file ends with CRLF"
    vevent_lines = 0
    for line in lines[:-1]:
        assert "\r" not in line and "\n" not in line, f"a bare CR or LF in {line[:60]!r}"
        name = re.match(r"[A-Za-z0-9-]*", line).group().upper()  # type: ignore[union-attr]
        assert name in ICAL_NAMES, f"a line cocity does not write: {line[:80]!r}"
        vevent_lines += line.upper() == "BEGIN:VEVENT"
    calendar = Calendar.from_ical(text)
    vevents = list(calendar.walk("VEVENT"))
    assert len(vevents) == vevent_lines
    for vevent in vevents:
        for name in ICAL_ONCE:  # the library reads a property given twice as a list
            assert not isinstance(vevent.get(name), list), f"{name} twice in a VEVENT"
    if events is not None:
        assert len(vevents) == events, f"{len(vevents)} VEVENTs, expected {events}"
    return vevents


def ical_text(vevent: Any, name: str) -> str:
    value = vevent.get(name)
    return "" if value is None else str(value)


# --- CSV ---------------------------------------------------------------------------------------


def csv_rows(response: Any) -> list[list[str]]:
    """A CSV download's rows, as a spreadsheet reads them."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    return list(csv.reader(io.StringIO(body)))


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_defused(rows: list[list[str]], *planted: str) -> None:
    """Each planted text is in a cell exactly as the guard writes it (``'`` before a formula);
    no cell starts a formula (numbers aside), and no empty cell became a lone ``'``."""
    cells = [cell for row in rows for cell in row]
    for text in planted:
        assert neutralise(text) in cells, f"{text[:60]!r} is not a cell"
        if text.startswith(FORMULA_STARTS):
            assert text not in cells, f"{text[:60]!r} is a cell: a formula"
    for cell in cells:
        assert cell != "'", "an empty cell must stay empty"
        if cell.startswith(FORMULA_STARTS):
            assert _number(cell), f"a formula in a cell: {cell[:60]!r}"


# --- JSON --------------------------------------------------------------------------------------


def json_body(response: Any) -> Any:
    """A JSON (or GeoJSON) answer, parsed: UTF-8, valid JSON, a JSON content type."""
    assert response.status_code == 200, response.status_code
    assert "json" in response["Content-Type"], response["Content-Type"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError as error:
        raise AssertionError(f"not valid JSON: {error}") from error


def json_strings(data: Any) -> Iterator[str]:
    """Every string of a JSON document (keys and values)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)


# --- E-mail ------------------------------------------------------------------------------------

MAIL_HEADERS = frozenset(
    {
        "content-type", "mime-version", "content-transfer-encoding", "subject", "from", "to",
        "reply-to", "date", "message-id", "cc", "content-disposition",
    }
)  # fmt: skip


@dataclass
class MailText:
    subject: str
    body: str  # the plain-text parts
    html: list[str]  # the HTML parts, as a mail program shows their text
    calendars: list[list[Any]]  # the VEVENTs of each calendar attached


def check_mail(message: EmailMessage) -> MailText:
    """What a mail program shows of a message; fails when a header carries a CR or LF (or the
    message has a header cocity does not write), an HTML part holds executable markup, or an
    attached calendar fails ``check_ical``."""
    assert "\r" not in message.subject and "\n" not in message.subject, message.subject[:80]
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    html: list[str] = []
    plain: list[str] = []
    calendars: list[list[Any]] = []
    for part in parsed.walk():
        for name, value in part.items():
            assert name.lower() in MAIL_HEADERS, f"a header cocity does not write: {name}"
            assert "\r" not in str(value) and "\n" not in str(value), f"{name}: CR/LF"
        kind = part.get_content_type()
        if part.is_multipart():
            continue
        content = part.get_content()
        if kind == "text/html":
            problems = executable_markup(content, settings.STATIC_URL)
            assert not problems, f"mail {message.subject[:40]!r}: HTML part: {problems}"
            html.append(html_text(content))
        elif kind == "text/plain" and part.get_content_disposition() != "attachment":
            plain.append(content)
    for attachment in message.attachments:  # as cocity wrote them, before MIME's line endings
        name, content, mimetype = attachment
        if str(mimetype).startswith("text/calendar"):
            calendars.append(check_ical(content))
    return MailText(
        subject=str(parsed["subject"]), body="\n".join(plain), html=html, calendars=calendars
    )


def assert_mail_shows(text: MailText, value: str, where: str) -> None:
    """The value (its start, when a message cuts it) is shown as written: in the plain text, in
    the subject (whitespace collapsed), or both; never HTML-escaped in a plain-text part."""
    shown = as_shown(value)
    assert shown in text.body or squashed(shown) in text.subject, (
        f"{where}: {shown!r} is not in the mail {text.subject[:60]!r}"
    )
    escaped = escape(shown)
    if escaped != shown:
        assert escaped not in text.body, f"{where}: HTML-escaped in the plain text"
        assert squashed(escaped) not in text.subject, f"{where}: HTML-escaped in the subject"


def mail_templates() -> set[str]:
    """Every e-mail cocity can send: each ``<name>_subject.txt`` in a template directory of an
    app of cocity or of the project (``"events/emails/confirmed"``)."""
    from django.apps import apps

    engines: list[dict[str, Any]] = settings.TEMPLATES
    roots = [Path(directory) for engine in engines for directory in engine.get("DIRS", [])]
    roots += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if config.name.startswith("cocity.")
    ]
    return {
        str(path.relative_to(root)).removesuffix("_subject.txt")
        for root in roots
        if root.is_dir()
        for path in root.rglob("*_subject.txt")
    }


def recording_renders(record: list[str], render: Callable[..., str]) -> Callable[..., str]:
    """A ``render_plain_text`` (``cocity.core.mail``) that writes down each mail template it
    renders (without ``_subject.txt``), for checking which e-mails a scenario sent."""

    def wrapper(template_name: Any, *args: Any, **kwargs: Any) -> str:
        name = str(template_name)
        if name.endswith("_subject.txt"):
            record.append(name.removesuffix("_subject.txt"))
        return render(template_name, *args, **kwargs)

    return wrapper
