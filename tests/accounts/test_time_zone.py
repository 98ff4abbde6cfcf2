"""A person's time zone without homework: a new account starts with the device's zone (the
sign-up form's hidden field, filled by timezone.js), a signed-in person without one is offered
it ("Use it": POST /me/time-zone/), and a visitor's zone comes from the checked cookie."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
SIGNUP = {
    "email": "new@example.org",
    "password1": "a long enough passphrase",
    "password2": "a long enough passphrase",
}


def test_the_signup_form_carries_a_hidden_zone_for_the_script(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'type="hidden" name="time_zone"' in html
    assert "data-device-zone" in html
    assert "cocity/js/timezone.js" in html


def test_a_new_account_starts_with_the_device_zone(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "America/Sao_Paulo"})
    assert response.status_code == 302
    assert User.objects.get().time_zone == "America/Sao_Paulo"


@pytest.mark.parametrize("sent", ["", "Not/AZone", "Europe/Paris<script>", "x" * 300])
def test_an_unknown_device_zone_leaves_the_account_without_one(client, sent):
    response = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": sent})
    assert response.status_code == 302  # the sign-up goes through: the field is not theirs to fix
    assert User.objects.get().time_zone == ""


def test_the_offer_shows_only_to_a_person_without_a_zone(client):
    person = UserFactory(time_zone="")
    client.force_login(person)
    html = client.get(reverse("events:event_list")).content.decode()
    assert 'id="timezone-offer"' in html and "hidden" in html
    assert reverse("accounts:time_zone") in html
    person.time_zone = "Europe/Paris"
    person.save()
    assert 'id="timezone-offer"' not in client.get(reverse("events:event_list")).content.decode()


def test_use_it_stores_the_zone_and_goes_back(client):
    person = UserFactory(time_zone="", display_name="Ana", bio="Kept as it is")
    client.force_login(person)
    response = client.post(
        reverse("accounts:time_zone"), {"time_zone": "Asia/Tokyo", "next": "/events/"}
    )
    assert response.status_code == 302 and response["Location"] == "/events/"
    person.refresh_from_db()
    assert person.time_zone == "Asia/Tokyo"
    assert person.bio == "Kept as it is"
    page = client.get("/events/").content.decode()
    assert "Times are now shown in Asia/Tokyo." in page
    assert "Times are shown in Tokyo time." in page


@pytest.mark.parametrize("sent", ["", "Not/AZone", "Europe/Paris\u202e"])
def test_use_it_with_an_unknown_zone_says_so_and_changes_nothing(client, sent):
    person = UserFactory(time_zone="")
    client.force_login(person)
    response = client.post(reverse("accounts:time_zone"), {"time_zone": sent}, follow=True)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.time_zone == ""
    assert b"message-error" in response.content


def test_use_it_leaves_for_an_outside_address_never(client):
    client.force_login(UserFactory(time_zone=""))
    response = client.post(
        reverse("accounts:time_zone"),
        {"time_zone": "Asia/Tokyo", "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("accounts:me")


def test_use_it_needs_a_signed_in_person(client):
    response = client.post(reverse("accounts:time_zone"), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("accounts:time_zone")).status_code in (302, 405)
