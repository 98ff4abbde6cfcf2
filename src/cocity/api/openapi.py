"""What the schema says about errors, added to every operation from what it is, so that no
endpoint can forget them and the fuzzing (tests/api/test_fuzz.py) holds each answer to them.

Every error is ``application/problem+json`` (``Problem``), and each operation documents the ones
it can give:

- 401 (a wrong, revoked or malformed token) and 429 (the rate limit, with ``Retry-After``): every
  operation behind a token or visitor check;
- 403 (the token's scopes do not allow it): writes (``write_auth``);
- 400 (a cursor not made here, or an address or form that cannot be read: a NUL byte, an
  invalid encoding) and 404 (an unknown or hidden object, or the object a filter names): every
  operation;
- 422: operations with parameters or a body (invalid input), and writes with an
  ``Idempotency-Key`` (the key used for another request), with 409 (the same request at once);
- 304 with the ``ETag``: reads decorated with ``http.conditional`` (``If-None-Match``).

An endpoint that answers another error declares it in its responses with ``problems()``:
``@router.get("/x", response={200: XOut, **problems(409)})``; a 4xx declared any other way is
documented as ``Problem`` too. Reads accept a visitor: their security lists ``{}`` beside the
token (OpenAPI's "optional")."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ninja import Schema

if TYPE_CHECKING:
    from ninja import NinjaAPI
    from ninja.operation import Operation

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """An error (RFC 9457): what went wrong, and for invalid input which field and why."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """Responses to add to an endpoint's ``response={200: ..., **problems(404, 409)}``."""
    return dict.fromkeys(statuses, Problem)


def _problem_response(status: int, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
    }
    if headers:
        response["headers"] = headers
    return response


def _ref(status: int) -> dict[str, str]:
    """A reference to the shared response of this status (components/responses)."""
    return {"$ref": "#/components/responses/" + HTTPStatus(status).phrase.replace(" ", "")}


_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before asking again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    }
}
_WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": "How to authenticate: a bearer token.",
        "required": True,
        "schema": {"type": "string"},
    }
}
_HEADERS = {401: _WWW_AUTHENTICATE, 429: _RETRY_AFTER}
_ETAG = {
    "ETag": {
        "description": "The version of this answer, for If-None-Match.",
        "required": True,
        "schema": {"type": "string"},
    }
}


def _operations(api: NinjaAPI) -> dict[str, Operation]:
    found: dict[str, Operation] = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                op_id = operation.operation_id or api.get_openapi_operation_id(operation)
                found[op_id] = operation
    return found


def document_problems(api: NinjaAPI, spec: dict[str, Any]) -> dict[str, Any]:
    """Add the errors each operation can give to ``spec`` (in place) and return it."""
    from .auth import TokenOnly, TokenOrVisitor

    operations = _operations(api)
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["FieldError"] = FieldError.model_json_schema()
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    problem.pop("$defs", None)
    schemas["Problem"] = problem
    shared: dict[int, dict[str, Any]] = {}
    for methods in spec.get("paths", {}).values():
        for method, details in methods.items():
            operation = operations.get(details.get("operationId", ""))
            auths = list(getattr(operation, "auth_callbacks", None) or [])
            responses: dict[str, Any] = {str(k): v for k, v in details.get("responses", {}).items()}
            wanted: set[int] = set()
            parameters = details.get("parameters", [])
            names = {p.get("name", "").lower() for p in parameters}
            # Any address may be unknown or hidden (404: an object, or a filter's object), and
            # any may hold what cannot be read (400: a NUL byte, an invalid encoding).
            wanted |= {400, 404}
            if auths:
                wanted |= {401, 429}
            if any(isinstance(a, TokenOnly) for a in auths):
                wanted.add(403)
            elif any(isinstance(a, TokenOrVisitor) for a in auths):
                security = details.setdefault("security", [])
                if {} not in security:
                    security.append({})
            if parameters or "requestBody" in details:
                wanted.add(422)
            if "idempotency-key" in names:
                wanted |= {409, 422}
            # What the endpoint declared itself is a Problem too (problems(), or any 4xx).
            wanted |= {int(s) for s in responses if 400 <= int(s) < 500}
            for status in wanted:
                responses[str(status)] = _ref(status)
                shared[status] = _problem_response(status, _HEADERS.get(status))
            view = getattr(operation, "view_func", None)
            if method == "get" and getattr(view, "cocity_conditional", False):
                if "if-none-match" not in names:
                    parameters.append(
                        {
                            "in": "header",
                            "name": "If-None-Match",
                            "required": False,
                            "description": "The ETag of an answer you have: 304 if unchanged.",
                            "schema": {"type": "string"},
                        }
                    )
                    details["parameters"] = parameters
                responses.setdefault("304", {"description": "Not Modified", "headers": _ETAG})
                for code, response in responses.items():
                    if code.startswith("2"):
                        response.setdefault("headers", _ETAG)
            details["responses"] = dict(sorted(responses.items()))
    found = components.setdefault("responses", {})
    for status, response in sorted(shared.items()):
        found[_ref(status)["$ref"].rsplit("/", 1)[1]] = response
    return spec
