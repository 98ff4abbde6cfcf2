"""Errors as ``application/problem+json`` (RFC 9457): ``type``, ``title``, ``status``,
``detail``, and for invalid input the ``errors`` by field. Every error of the API has this shape,
including the ones ninja raises itself (validation, authentication)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

PROBLEM = "application/problem+json"


class ApiError(Exception):
    """An error with its status, title and detail (and headers, e.g. ``Retry-After``)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}
        self.errors = errors


def problem(
    status: int,
    title: str,
    detail: str = "",
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    import json

    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return problem(exc.status, exc.title, exc.detail, headers=exc.headers, errors=exc.errors)

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ())[1:]) or "body",
                "message": str(e.get("msg", "")),
            }
            for e in exc.errors
        ]
        return problem(422, _("The request is not valid."), errors=errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            401,
            _("A valid access token is needed."),
            _("Send it as: Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": 'Bearer realm="cocity"'},
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, _("Not found."))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem(403, _("This is not allowed."))

    @api.exception_handler(DjangoValidationError)
    def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        # A service's rule (the same as the page's form would show): 422, by field.
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": field, "message": str(message)}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "body", "message": str(m)} for m in exc.messages]
        return problem(422, _("The request is not valid."), errors=errors)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, str(exc))
