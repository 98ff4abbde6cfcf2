import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _viewer_zone(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.context["viewer_timezone"]


def test_times_are_shown_in_the_site_zone_by_default(client: Client) -> None:
    assert _viewer_zone(client) == "Europe/Brussels"


def test_a_visitor_can_choose_the_zone_times_are_shown_in(client: Client) -> None:
    response = client.post("/timezone/", {"time_zone": "Africa/Dakar", "next": "/spaces/"})
    assert response.status_code == 302 and response["Location"] == "/spaces/"
    assert _viewer_zone(client) == "Africa/Dakar"


def test_an_unknown_zone_changes_nothing_and_an_outside_next_is_ignored(client: Client) -> None:
    response = client.post(
        "/timezone/", {"time_zone": "Mars/Olympus", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "cocity_tz" not in response.cookies
    assert _viewer_zone(client) == "Europe/Brussels"


def test_a_signed_in_person_sees_times_in_their_profile_zone(client: Client, user_factory) -> None:
    person = user_factory(time_zone="America/Sao_Paulo")
    client.force_login(person)
    client.cookies["cocity_tz"] = "Asia/Seoul"  # the profile wins over the visitor cookie
    assert _viewer_zone(client) == "America/Sao_Paulo"
    assert timezone.get_current_timezone_name() != "America/Sao_Paulo"  # reset after the request


def test_health_check_answers_when_the_database_does(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_switching_to_french_translates_the_interface(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Aller au contenu principal" in html  # the skip link, in French
