"""The profile form offers the neighbourhoods and districts of the person's home city only: a
city may bring thousands of areas (decision 0011), and listing every city's on every profile
page would weigh megabytes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cocity.accounts.forms import ProfileForm
from cocity.network.models import Territory
from tests.factories import TerritoryFactory, city_with_neighbourhoods

pytestmark = pytest.mark.django_db

NO_CITY_HELP = (
    "Choose your home city and save; then its neighbourhoods and districts are offered here."
)


def _two_cities():  # type: ignore[no-untyped-def]
    _, marseille, district, hoods = city_with_neighbourhoods()
    _, lyon, lyon_district, lyon_hoods = city_with_neighbourhoods(
        country_code="FX", city_code="FR-LYS"
    )
    lyon.name = "Lyon"
    lyon.save()
    return (marseille, [district, *hoods]), (lyon, [lyon_district, *lyon_hoods])


def _neighbourhood_options(html: str) -> list[str]:
    """The values of the home-neighbourhood select's options, the empty one included."""
    select = re.search(r'<select name="home_neighbourhood".*?</select>', html, re.S)
    assert select, html
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def _values(places) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(place.pk) for place in places}


def test_page_lists_only_the_home_citys_places(client, user) -> None:
    (marseille, places), (_lyon, lyon_places) = _two_cities()
    user.home_city, user.home_neighbourhood = marseille, places[1]
    user.save()
    client.force_login(user)
    html = client.get(reverse("accounts:me")).content.decode()
    options = _neighbourhood_options(html)
    assert options == ["", *[str(place.pk) for place in places]]  # by path: district first
    assert not _values(lyon_places) & set(options)
    assert f'<option value="{places[1].pk}" selected>Belle de Mai (3e arrondissement)' in html
    assert "If you change your home city, save; then its neighbourhoods" in html


def test_person_without_home_city_is_offered_no_place(client, user) -> None:
    _two_cities()
    client.force_login(user)
    html = client.get(reverse("accounts:me")).content.decode()
    assert _neighbourhood_options(html) == [""]
    assert NO_CITY_HELP in html


def test_another_citys_places_add_no_option_and_no_query(client, user) -> None:
    (marseille, _places), (lyon, _lyon_places) = _two_cities()
    user.home_city = marseille
    user.save()
    client.force_login(user)

    def page() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("accounts:me")).content.decode()
        return len(_neighbourhood_options(html)), len(queries)

    before = page()
    lyon_district = Territory.objects.get(code="FR-LYS-03")
    for i in range(30):
        TerritoryFactory(
            name=f"Area {i}",
            code=f"FR-LYS-03-A{i}",
            kind=Territory.Kind.NEIGHBOURHOOD,
            parent=lyon_district if i % 2 else lyon,
        )
    assert page() == before


def test_post_of_another_citys_neighbourhood_is_refused(client, user) -> None:
    (marseille, places), (_lyon, lyon_places) = _two_cities()
    client.force_login(user)
    response = client.post(
        reverse("accounts:me"),
        {
            "display_name": "Changed",
            "time_zone": "Europe/Paris",
            "home_city": marseille.pk,
            "home_neighbourhood": lyon_places[1].pk,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This neighbourhood is not in Marseille." in html
    assert set(_neighbourhood_options(html)) == {"", *_values(places)}
    user.refresh_from_db()
    assert user.display_name != "Changed"
    assert user.home_city is None and user.home_neighbourhood is None


def test_form_shown_again_offers_the_submitted_citys_places(client, user) -> None:
    """A person who changed city and whose form came back with an error picks among the new
    city's places at once."""
    (marseille, _places), (lyon, lyon_places) = _two_cities()
    user.home_city = marseille
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("accounts:me"),
        {"time_zone": "Mars/Olympus", "home_city": lyon.pk, "home_neighbourhood": ""},
    )
    assert response.status_code == 200
    assert set(_neighbourhood_options(response.content.decode())) == {"", *_values(lyon_places)}


def test_change_city_save_then_choose_its_neighbourhood(client, user) -> None:
    """Without JavaScript: change the city and save, then its places are offered."""
    (marseille, places), (lyon, lyon_places) = _two_cities()
    user.home_city, user.home_neighbourhood = marseille, places[1]
    user.save()
    client.force_login(user)
    form = {"time_zone": "Europe/Paris", "home_city": lyon.pk, "home_neighbourhood": ""}
    assert client.post(reverse("accounts:me"), form).status_code == 302
    html = client.get(reverse("accounts:me")).content.decode()
    assert set(_neighbourhood_options(html)) == {"", *_values(lyon_places)}
    form["home_neighbourhood"] = lyon_places[2].pk
    assert client.post(reverse("accounts:me"), form).status_code == 302
    user.refresh_from_db()
    assert (user.home_city, user.home_neighbourhood) == (lyon, lyon_places[2])


@pytest.mark.parametrize("city", ["abc", "99999999999999999999999", "-1", "0"])
def test_hand_made_city_value_offers_nothing(city) -> None:
    _two_cities()
    form = ProfileForm({"time_zone": "Europe/Paris", "home_city": city})
    assert list(form.fields["home_neighbourhood"].queryset) == []  # type: ignore[attr-defined]
    assert not form.is_valid() and "home_city" in form.errors


def test_a_place_that_is_not_a_city_offers_nothing() -> None:
    (_marseille, places), _ = _two_cities()
    form = ProfileForm(initial={"home_city": places[0].pk})  # a district
    assert list(form.fields["home_neighbourhood"].queryset) == []  # type: ignore[attr-defined]


def test_unknown_neighbourhood_is_an_invalid_choice() -> None:
    (marseille, _places), _ = _two_cities()
    for value in ("abc", "999999", str(marseille.pk)):  # the last: a city, not a neighbourhood
        form = ProfileForm(
            {"time_zone": "Europe/Paris", "home_city": marseille.pk, "home_neighbourhood": value}
        )
        assert not form.is_valid()
        assert str(form.errors["home_neighbourhood"][0]).startswith("Select a valid choice.")


def test_help_texts_in_french() -> None:
    (marseille, _places), _ = _two_cities()
    with translation.override("fr"):
        without = str(ProfileForm().fields["home_neighbourhood"].help_text)
        form = ProfileForm(initial={"home_city": marseille.pk})
        within = str(form.fields["home_neighbourhood"].help_text)
    assert without.startswith("Choisissez votre ville de résidence et enregistrez ;")
    assert within.startswith("Il doit se trouver dans votre ville de résidence. Si vous changez")
