"""CSRF with the real middleware on, and the headers production sends (HSTS)."""

import json
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_login", {"login": "someone@example.org", "password": "x"}),
        (
            "account_signup",
            {
                "email": "new@example.org",
                "password1": "p4ssw0rd-long",
                "password2": "p4ssw0rd-long",
            },
        ),
        ("set_language", {"language": "fr"}),
    ],
)
def test_anonymous_posts_without_a_token_are_refused(url_name, data) -> None:
    response = _strict_client().post(reverse(url_name), data)
    assert response.status_code == 403


def test_a_space_form_without_a_token_is_refused_and_nothing_is_written(user_factory) -> None:
    from cocity.network.models import Space

    client = _strict_client()
    client.force_login(user_factory())
    data = {"name": "Forged", "kind": "lab", "visibility": "public", "join_policy": "open"}
    response = client.post(reverse("network:space_create"), data)
    assert response.status_code == 403
    assert not Space.objects.filter(name="Forged").exists()
    # The same post with the page's token goes through (the refusal was the missing token).
    client.get(reverse("network:space_create"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("network:space_create"), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Space.objects.filter(name="Forged").exists()


def test_a_wrong_token_is_refused(user_factory) -> None:
    client = _strict_client()
    client.force_login(user_factory())
    client.get(reverse("accounts:me"))
    response = client.post(
        reverse("accounts:me"), {"display_name": "X", "csrfmiddlewaretoken": "x" * 64}
    )
    assert response.status_code == 403


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
client = Client()
secure = client.get("/healthz", secure=True, HTTP_HOST="cocity.example.org")
plain = client.get("/healthz", HTTP_HOST="cocity.example.org")
print(json.dumps({
    "status": secure.status_code,
    "hsts": secure.headers.get("Strict-Transport-Security", ""),
    "nosniff": secure.headers.get("X-Content-Type-Options", ""),
    "referrer": secure.headers.get("Referrer-Policy", ""),
    "csp": secure.headers.get("Content-Security-Policy", ""),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
}))
"""


def test_production_sends_hsts_and_redirects_to_https(tmp_path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "cocity.settings.production",
        "SECRET_KEY": "b" * 20 + "-long-random-value-for-the-header-check-0123456789",
        "ALLOWED_HOSTS": "cocity.example.org",
        "COCITY_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert "max-age=31536000" in seen["hsts"]
    assert "includeSubDomains" in seen["hsts"]
    assert seen["nosniff"] == "nosniff"
    assert seen["referrer"] == "strict-origin-when-cross-origin"
    assert "unsafe-inline" not in seen["csp"].split("script-src")[1].split(";")[0]
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://cocity.example.org/")
