from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cocity.core.http import safe_next
from cocity.core.middleware import TIMEZONE_COOKIE
from cocity.core.timezones import valid_zone


@require_POST
def set_timezone(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors choose the zone times are shown in; people set it in their profile."""
    name = request.POST.get("time_zone", "").strip()
    response = HttpResponseRedirect(safe_next(request))
    if name and valid_zone(name) is None:
        messages.error(
            request,
            _("“%(zone)s” is not a time zone name such as Europe/Paris.") % {"zone": name[:64]},
        )
        return response
    # Secure (HTTPS only) in production, like the session cookie; empty: forget the zone.
    response.set_cookie(
        TIMEZONE_COOKIE,
        name,
        max_age=365 * 24 * 3600 if name else 0,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The signed-in person's start page: what is next for them, one section per app that has
    something to say (cocity.core.start). Personal, so never cached."""
    from cocity.core.access import login_or_forbidden
    from cocity.core.start import gather

    if not request.user.is_authenticated:
        return login_or_forbidden(request)
    sections = gather(request.user)
    response = render(
        request,
        "core/start.html",
        {"sections": sections, "nothing_yet": not any(part.has_items for part in sections)},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


# What a served file may do in a browser: nothing (no script, no style, no frame, no form).
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@require_GET
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded file, to whom may read the page it belongs to (cocity.core.media)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import FileResponse, Http404
    from django.utils.http import content_disposition_header

    from cocity.core import media as media_files
    from cocity.core import uploads

    found = media_files.find(path)
    if found is None:
        raise Http404
    owner, row = found
    if not owner.can_read(request.user, row):
        raise Http404
    stored = media_files.field_file(owner, row, path)
    stored_name = stored.name or ""
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    head = handle.read(1024)
    handle.seek(0)
    served = uploads.served_type(stored_name, head)
    is_image = served is not None and served.kind == uploads.IMAGE
    content_type = served.mimetype if served is not None else "application/octet-stream"
    name = owner.download_name(row) if owner.download_name else ""
    if name and served is not None and not name.lower().endswith(f".{served.extension}"):
        name = f"{name}.{served.extension}"
    name = name or stored_name.rsplit("/", 1)[-1]
    accel = settings.COCITY_MEDIA_ACCEL_REDIRECT
    if accel:  # nginx sends the bytes from its internal location (docs/deployment.md)
        handle.close()
        response: HttpResponse | FileResponse = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + stored_name
    else:
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not is_image, name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    # A visitor has just been asked; only a signed-in reader needs the visitor's answer too.
    public = not request.user.is_authenticated or owner.can_read(AnonymousUser(), row)
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
