"""Bad bytes in a request (a NUL, a percent-escape that is not UTF-8) get a 400, never a 500,
on every page and on SQLite and PostgreSQL alike (cocity.core.middleware.BadInputMiddleware)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

BAD_ADDRESSES = [
    "/library/?topic=%00",
    "/library/?q=a%00b",
    "/events/?q=%00",
    "/events/me/calendar/%00.ics",
    "/library/?topic=%FF",
    "/events/?%C3=x",
    "/library/%FF/",
    "/plans/?q=%E9t%E9",
    "/events/%00/",
]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_bad_bytes_in_the_address_get_400_anonymously(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "text/plain" in response["Content-Type"]
    assert b"cannot be read" in response.content


def test_the_400_is_in_the_visitors_language(client):
    response = client.get("/library/?topic=%00", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert b"illisible" in response.content


def test_good_addresses_still_work(client):
    assert client.get("/library/?q=%C3%A9t%C3%A9").status_code == 200
    assert client.get("/events/?q=caf%C3%A9+%26+th%C3%A9").status_code == 200


def test_a_nul_in_a_posted_form_field_gets_400(client, user):
    client.force_login(user)
    response = client.post("/me/", {"display_name": "a\x00b"})
    assert response.status_code == 400
    response = client.post(
        "/me/",
        "display_name=a%FFb",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_nul_in_a_multipart_field_gets_400(client, user):
    client.force_login(user)
    response = client.post(
        "/me/",
        {"display_name": "x\x00", "f": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 400
    response = client.post(
        "/me/", {"display_name": "x", "f": SimpleUploadedFile("a\x00.pdf", b"%PDF-1.4")}
    )
    assert response.status_code != 400  # Django drops unprintable characters of file names


def test_a_nul_in_a_cookie_gets_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/library/").status_code == 400
