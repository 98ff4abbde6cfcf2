"""Queries per page at benchmark scale, first page vs deepest page (printed as JSON)."""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(client: Client, path: str) -> int:
    client.get(path, HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


paths = json.loads(sys.argv[1])
client = Client()
print(json.dumps({path: count(client, path) for path in paths}))
