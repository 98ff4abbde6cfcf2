import subprocess
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_security_headers_on_every_page(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_settings_pass_the_deploy_check(tmp_path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "cocity.settings.production",
        "SECRET_KEY": "a" * 20 + "-long-random-value-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "cocity.example.org",
        "COCITY_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "cocity", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "cocity.settings.production",
        "COCITY_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "cocity", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
