"""Cross-cutting request handling: unreadable input, the viewer's time zone and security
headers."""

import json
import zoneinfo
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone, translation
from django.utils.translation import gettext

from cocity.core.timezones import valid_zone

TIMEZONE_COOKIE = "cocity_tz"


def viewer_timezone_name(request: HttpRequest) -> str | None:
    """The person's profile zone when signed in, else the zone of the ``cocity_tz`` cookie
    (picked in the footer's form, or set by ``static/cocity/js/timezone.js`` from the
    browser's own zone). A name that is not a zone we know counts as none: the cookie comes
    from the browser, and any script may have written it."""
    user = getattr(request, "user", None)
    name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
    return valid_zone(name) or valid_zone(request.COOKIES.get(TIMEZONE_COOKIE))


FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def _unreadable(raw: bytes) -> bool:
    """True when percent-decoded ``raw`` holds a NUL or is not UTF-8."""
    decoded = unquote_to_bytes(raw)
    if b"\x00" in decoded:
        return True
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _wsgi_bytes(value: str) -> bytes:
    """A WSGI environ string holds the raw bytes as Latin-1; an ASGI one is already text."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape")


def unreadable_input(request: HttpRequest) -> bool:
    """Whether the path, the query, the cookies or the form fields (names and values) hold a
    NUL byte or a percent-escape that does not decode as UTF-8. PostgreSQL refuses NUL in text
    (a 500 where SQLite answered), and Django would silently turn bad bytes into U+FFFD."""
    # Django has already decoded the path (META["PATH_INFO"] included), putting the bytes that
    # are not UTF-8 back as percent-escapes: encode the text, not its Latin-1 reading (which
    # refused any "é" or "Å" of a valid address).
    if "\x00" in request.path_info or _unreadable(
        request.path_info.encode("utf-8", "surrogateescape")
    ):
        return True
    if _unreadable(_wsgi_bytes(request.META.get("QUERY_STRING", "")).replace(b"+", b" ")):
        return True
    if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.content_type == FORM_CONTENT_TYPE:
        return _unreadable(request.body.replace(b"+", b" "))
    if request.content_type == "multipart/form-data":
        # Parts are decoded with errors="replace" by Django; a NUL is what breaks the database.
        # (File names lose their unprintable characters in Django's parser already.)
        try:
            fields = list(request.POST.lists())
        except MultiPartParserError:  # no boundary, a broken part: nothing can be read
            return True
        for name, values in fields:
            if "\x00" in name or any("\x00" in value for value in values):
                return True
    return False


class BadInputMiddleware:
    """Answers 400, in plain text in the visitor's language, to a request whose address, cookies
    or form fields cannot be read (see ``unreadable_input``), before any view or query sees it.
    It runs before the language and session middleware, so it reads the language itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if unreadable_input(request):
            language = translation.get_language_from_request(request)
            with translation.override(language):
                message = gettext(
                    "Bad request: the address or the form holds characters that cannot be "
                    "read (a NUL byte or an invalid encoding)."
                )
            if request.path_info.startswith("/api/"):  # the API's errors are problem+json
                body = {"type": "about:blank", "title": message, "status": 400}
                return HttpResponseBadRequest(
                    json.dumps(body, ensure_ascii=False), content_type="application/problem+json"
                )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class TimezoneMiddleware:
    """Datetimes are stored in UTC and shown in the viewer's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = viewer_timezone_name(request)
        try:
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
            else:
                timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script), Permissions-Policy, and Vary for htmx."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.COCITY_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
