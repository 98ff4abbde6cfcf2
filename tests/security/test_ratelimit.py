"""Rate limits: allauth's on sign-in and sign-up, cocity's own on every write."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cocity.core.ratelimit import Rate, hit, parse_rate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60/m", Rate(60, 60)),
        ("10/5m", Rate(10, 300)),
        ("1000/h", Rate(1000, 3600)),
        ("3/s", Rate(3, 1)),
        ("", None),
        ("0/m", None),
    ],
)
def test_parse_rate(text, expected) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["sixty", "60/w", "60/", "/m"])
def test_parse_rate_refuses_nonsense(text) -> None:
    with pytest.raises(ValueError, match="COCITY_POST_RATE"):
        parse_rate(text)


def test_fixed_window_counts_and_resets() -> None:
    rate = Rate(2, 60)
    assert hit("user:1", rate, now=120.0) == (True, 60)
    assert hit("user:1", rate, now=130.0) == (True, 50)
    assert hit("user:1", rate, now=150.0) == (False, 30)
    assert hit("user:2", rate, now=150.0)[0] is True  # someone else has their own budget
    assert hit("user:1", rate, now=180.0)[0] is True  # a new window


def _post_language(client: Client) -> int:
    return client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code


def test_posting_too_fast_gets_a_friendly_429_per_person(settings, user_factory) -> None:
    settings.COCITY_POST_RATE = "3/m"
    alice, bob = Client(), Client()
    alice.force_login(user_factory())
    bob.force_login(user_factory())
    assert [_post_language(alice) for _ in range(3)] == [302, 302, 302]
    response = alice.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Slow down, please" in response.content.decode()
    assert response.headers["Content-Security-Policy"]  # the usual headers still apply
    assert _post_language(bob) == 302  # the limit is per person, not global
    assert alice.get("/").status_code == 200  # reading is never limited


def test_visitors_are_limited_per_ip_address(settings) -> None:
    settings.COCITY_POST_RATE = "2/m"
    first, second = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.7")
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert _post_language(first) == 302
    assert _post_language(second) == 302
    assert _post_language(first) == 429  # a new session does not reset the count
    assert _post_language(other) == 302


def test_the_429_page_is_translated(settings) -> None:
    settings.COCITY_POST_RATE = "1/m"
    client = Client()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 429
    assert '<html lang="fr"' in response.content.decode()


def test_no_limit_when_the_setting_is_empty(settings) -> None:
    settings.COCITY_POST_RATE = ""
    client = Client()
    assert {_post_language(client) for _ in range(30)} == {302}


def test_the_count_lives_in_the_shared_cache(settings) -> None:
    settings.COCITY_POST_RATE = "5/m"
    client = Client(REMOTE_ADDR="192.0.2.1")
    _post_language(client)
    store = getattr(cache, "_cache", None)
    if isinstance(store, dict):  # local memory: look inside; Redis: trust the behaviour above
        keys = [k for k in store if "cocity:post-rate:ip:" in str(k)]
        assert len(keys) == 1


def test_failed_logins_are_rate_limited_by_allauth(settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    client = Client()
    url = reverse("account_login")
    data = {"login": "nobody@example.org", "password": "wrong password"}
    statuses = [client.post(url, data).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # wrong password: the form says so
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_login_attempts_are_rate_limited_by_allauth(settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    client = Client()
    url = reverse("account_login")
    data = {"login": "nobody@example.org", "password": "wrong password"}
    assert [client.post(url, data).status_code for _ in range(2)] == [200, 200]
    response = client.post(url, data)
    assert response.status_code == 429
    assert "Slow down, please" in response.content.decode()  # the same friendly page


def test_signup_is_rate_limited_by_allauth(settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    client = Client()
    url = reverse("account_signup")
    for n in range(2):
        response = client.post(
            url,
            {
                "email": f"new{n}@example.org",
                "password1": "a long enough password 42",
                "password2": "a long enough password 42",
            },
        )
        assert response.status_code == 302
        client.logout()
    response = client.post(
        url,
        {
            "email": "new9@example.org",
            "password1": "a long enough password 42",
            "password2": "a long enough password 42",
        },
    )
    assert response.status_code == 429
