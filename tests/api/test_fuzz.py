"""Every operation of the API fuzzed with schemathesis against the application (issue 21, "Bad
input"): generated requests, valid and invalid (hostile strings, huge numbers, wrong types,
unknown fields, invalid cursors), as a visitor, with a token of every scope and with a read-only
token, on a small seeded world (tests/api/world.py: a public and a members-only space with a few
objects of each kind). Each answer must be no 5xx, a status the schema documents, with the
documented media type (``application/problem+json`` for errors), a body and headers matching
the schema; invalid requests must be refused (4xx), valid ones accepted.

Each operation also gets the same generated query on real objects: its path parameters replaced
by those of the objects the lists show (a member's token sees the members-only ones, a visitor
gets their 404), so the endpoints answer real data under hostile filters.

Deterministic (a fixed seed, no example database) and bounded (``FUZZ_EXAMPLES`` generated
requests per operation, 25 unless set in the environment): the 59 operations in 46 s with two
workers on two cores, 11 s of it creating the test database (2026-12-08, load average 1.4).
"""

from __future__ import annotations

import itertools
import os
import re
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from schemathesis.config import SchemathesisConfig

from cocity.api.api import schema as api_schema

from .world import World, build_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 21,
        "generation": {
            "mode": "all",  # valid and invalid requests
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
            "no-shrink": True,  # a failure is reported as found: shrinking costs minutes
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},  # boundaries: empty, huge, wrong types, unknown fields
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {
            # A well-formed request may still name something that does not exist (404), carry
            # a cursor not made here (400), or be refused by the domain's rules (409, 422).
            "positive_data_acceptance": {
                "expected-statuses": ["2XX", "304", "400", "401", "403", "404", "409", "422"]
            },
        },
    }
)

schema = schemathesis.openapi.from_dict(api_schema(), config=CONFIG)
schema.app = WSGIHandler()

# Checks about the answer itself (a 5xx, an undocumented status, media type, body or header):
# they hold whatever was sent, so they also apply when the path was replaced by a real one.
ANSWER_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.specs.openapi.checks.status_code_conformance,
    schemathesis.specs.openapi.checks.content_type_conformance,
    schemathesis.specs.openapi.checks.response_schema_conformance,
    schemathesis.specs.openapi.checks.response_headers_conformance,
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Built once per module (and process) inside a transaction rolled back at the end; each
    test runs in a savepoint within it, so what the fuzzing writes is undone after each
    operation."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _one_connection_for_the_wsgi_calls(settings):  # type: ignore[no-untyped-def]
    """The WSGI handler closes "old" connections around each request: inside the test's
    transaction that would drop it. The test client does the same as this."""
    settings.COCITY_API_RATE = "100000/m"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_paths(world: World) -> dict[str, list[dict[str, Any]]]:
    """For each path template with parameters, the parameters of real objects: read from the
    lists above it (``/spaces`` gives ``/spaces/{slug}``, ``/spaces/{slug}/events`` gives
    ``/spaces/{slug}/events/{id}``...), as the member sees them (members-only included)."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens['member']}")
    found: dict[str, list[dict[str, Any]]] = {}
    paths = schema.raw_schema["paths"]
    for template in sorted(paths, key=lambda t: (t.count("{"), len(t))):
        names = re.findall(r"\{(\w+)\}", template)
        if not names:
            continue
        last = "{" + names[-1] + "}"
        head = template[: template.index(last) + len(last)]
        if head != template:  # a sub-resource (/spaces/{slug}/events): its object's values
            found[template] = list(found.get(head, []))
            continue
        list_template = template[: template.rindex("/{")]
        if "get" not in paths.get(list_template, {}):
            found[template] = []
            continue
        values: list[dict[str, Any]] = []
        for params in found.get(list_template, [{}])[:3] if "{" in list_template else [{}]:
            path = list_template
            for key, value in params.items():
                path = path.replace("{" + key + "}", str(value))
            response = client.get(path)
            if response.status_code != 200:
                continue
            body = response.json()
            items = body.get("items", []) if isinstance(body, dict) else body
            for item in items[:4]:
                if isinstance(item, dict) and item.get(names[-1]) is not None:
                    values.append({**params, names[-1]: item[names[-1]]})
        found[template] = values
    return found


@pytest.fixture(scope="module")
def real(world, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        return real_paths(world)


_turn = itertools.count()


@pytest.mark.django_db
@schema.parametrize()
def test_every_operation_holds_its_schema_under_fuzzing(case, world, real):  # type: ignore[no-untyped-def]
    # As generated: a visitor (or whatever Authorization the case carries).
    case.call_and_validate()
    # With a token of every scope (writes allowed), and with a read-only token: a write the
    # read-only token asks for is refused (403), or stopped before (401, 404, 422).
    writes = case.method.upper() == case.operation.method.upper() != "GET"
    for secret in (world.tokens["member"], world.read_only["outsider"]):
        headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
        response = case.call(headers=headers)
        case.validate_response(response, checks=ANSWER_CHECKS, headers=headers)
        if writes and secret == world.read_only["outsider"]:
            assert response.status_code in (400, 401, 403, 404, 422), response.text[:300]
    # A token that is not one (revoked, mistyped): 401, never read as a visitor.
    headers = {**(case.headers or {}), "Authorization": "Bearer cct_00000000_not-a-token"}
    response = case.call(headers=headers)
    case.validate_response(response, checks=ANSWER_CHECKS, headers=headers)
    if case.method.upper() == case.operation.method.upper():
        assert response.status_code in (400, 401, 404), response.text[:300]
    # On real objects: the generated query, the path of something that exists.
    candidates = real.get(case.path) or []
    if candidates and case.path_parameters is not None:
        choice = candidates[next(_turn) % len(candidates)]
        case.path_parameters = {**case.path_parameters, **choice}
        for secret in (None, world.tokens["member"]):
            headers = dict(case.headers or {})
            if secret:
                headers["Authorization"] = f"Bearer {secret}"
            else:
                headers.pop("Authorization", None)
            response = case.call(headers=headers)
            case.validate_response(response, checks=ANSWER_CHECKS, headers=headers)


@pytest.mark.django_db
def test_a_nul_in_a_json_body_or_a_header_is_a_400_on_every_database(world):  # type: ignore[no-untyped-def]
    """Found by the fuzzing on PostgreSQL (which refuses NUL in text: it was a 500 there)."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens['member']}")
    path = f"/api/v1/processes/{world['public_process'].slug}/ideas"
    sent = '{"title": "Shade", "body": "Trees.", "on_behalf_of": "\\u0000"}'
    for response in (
        client.post(path, sent, content_type="application/json"),
        client.post(
            path,
            '{"title": "Shade", "body": "Trees."}',
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="key\x00",
        ),
    ):
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
    assert not world["public_process"].ideas.filter(title="Shade").exists()
