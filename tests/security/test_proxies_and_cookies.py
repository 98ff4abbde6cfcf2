"""Behind a proxy and in production: the client address comes from the header the proxy sets,
as the environment says; every cookie is Secure; a filemail:// path is absolute."""

import importlib
import json
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

READ_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, "
    "s.EMAIL_BACKEND, s.EMAIL_FILE_PATH]))"
)


def _settings_with(tmp_path, **environment):  # type: ignore[no-untyped-def]
    env = {
        "DJANGO_SETTINGS_MODULE": "cocity.settings.production",
        "SECRET_KEY": "b" * 60,
        "COCITY_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        **environment,
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", READ_SETTINGS],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_proxy_count_and_client_header_come_from_the_environment(tmp_path):
    assert _settings_with(tmp_path)[:2] == [0, None]
    count, header, _backend, _path = _settings_with(
        tmp_path, COCITY_TRUSTED_PROXY_COUNT="1", COCITY_CLIENT_IP_HEADER="X-Real-IP"
    )
    assert (count, header) == (1, "X-Real-IP")


def test_filemail_writes_to_the_absolute_path_it_names(tmp_path):
    *_, backend, path = _settings_with(tmp_path, EMAIL_URL="filemail:///var/spool/cocity-mail")
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == "/var/spool/cocity-mail"
    *_, relative = _settings_with(tmp_path, EMAIL_URL="filemail://mail")
    assert relative == str(tmp_path / "mail")  # two slashes: under COCITY_DATA_DIR


def test_visitors_behind_the_proxy_each_have_their_own_write_budget(settings):
    settings.COCITY_POST_RATE = "2/m"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    one = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    two = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    client = Client()
    url = reverse("set_timezone")
    assert [client.post(url, **one).status_code for _ in range(3)] == [302, 302, 429]
    assert client.post(url, **two).status_code == 302  # not the proxy's shared budget
    # a visitor cannot choose their own address: only the proxy's (last) entry is trusted
    forged = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}
    assert client.post(url, **forged).status_code == 429


def test_the_client_header_the_proxy_sets_is_used_when_named(settings):
    settings.COCITY_POST_RATE = "1/m"
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    client = Client()
    url = reverse("set_timezone")
    assert client.post(url, HTTP_X_REAL_IP="203.0.113.7").status_code == 302
    assert client.post(url, HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    assert client.post(url, HTTP_X_REAL_IP="203.0.113.9").status_code == 302


def _production_cookie_settings(monkeypatch) -> dict[str, object]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SECRET_KEY", "c" * 60)
    production = importlib.import_module("cocity.settings.production")
    names = [name for name in dir(production) if name.endswith("COOKIE_SECURE")]
    assert {"SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE"} <= set(names)
    return {name: getattr(production, name) for name in names}


def test_every_cookie_is_secure_with_the_production_settings(settings, monkeypatch, user):
    for name, value in _production_cookie_settings(monkeypatch).items():
        setattr(settings, name, value)
    client = Client()
    seen = {}
    responses = [
        client.get(reverse("account_login")),  # csrftoken
        client.post(reverse("set_timezone"), {"time_zone": "Europe/Paris"}),  # cocity_tz
        client.post(reverse("set_language"), {"language": "fr"}),  # cocity_language
    ]
    client.force_login(user)  # sessionid (the test client's own login sets it like Django does)
    responses.append(client.post(reverse("set_timezone"), {"time_zone": ""}))
    for response in responses:
        for name, morsel in response.cookies.items():
            seen[name] = bool(morsel["secure"])
    assert {"csrftoken", "cocity_tz", django_settings.LANGUAGE_COOKIE_NAME} <= set(seen)
    assert all(seen.values()), f"cookies without Secure: {[n for n, s in seen.items() if not s]}"
