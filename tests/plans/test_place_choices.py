"""Places offered by a process's pages: the idea list's filter offers the places of its ideas
and those above them; the idea form the places under the space's territory (cities and districts
without one). Never every place: a city brings hundreds of its own areas (issue 18)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from cocity.network.models import Territory
from cocity.plans.forms import IdeaForm
from cocity.plans.models import Idea
from tests.factories import IdeaFactory, TerritoryFactory, UserFactory, process_in_phase

pytestmark = pytest.mark.django_db
OPTION = re.compile(r'<option value="([^"]*)"([^>]*)>')
N = Territory.Kind


def options(html: str) -> list[str]:
    found = re.search(r'<select name="territory"[^>]*>(.*?)</select>', html, re.S)
    assert found, "no territory select on the page"
    return [value for value, _attrs in OPTION.findall(found.group(1))]


def city(name: str, code: str, country: str, areas: int = 0) -> Any:
    place = TerritoryFactory(
        name=name,
        code=code,
        kind=N.CITY,
        parent=Territory.objects.filter(code=country).first()
        or TerritoryFactory(name=country, code=country),
    )
    for n in range(areas):
        TerritoryFactory(
            name=f"{name} area {n}", code=f"{code}-{n:04d}", kind=N.NEIGHBOURHOOD, parent=place
        )
    return place


@pytest.fixture
def places() -> dict[str, Any]:
    marseille = city("Marseille", "FR-MRS", "FR")
    district = TerritoryFactory(
        name="1er secteur", code="FR-MRS-S1", kind=N.DISTRICT, parent=marseille
    )
    hood = TerritoryFactory(
        name="Belsunce", code="FR-MRS-S1-1", kind=N.NEIGHBOURHOOD, parent=district
    )
    other = TerritoryFactory(
        name="Noailles", code="FR-MRS-S1-2", kind=N.NEIGHBOURHOOD, parent=district
    )
    return {"marseille": marseille, "district": district, "hood": hood, "other": other}


def idea_list(client, process, **params: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("plans:idea_list", args=[process.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_filter_offers_the_places_of_the_ideas_and_those_above(client, places):  # type: ignore[no-untyped-def]
    process, _ = process_in_phase("collect")
    IdeaFactory(process=process, territory=places["hood"], title="Shade in Belsunce")
    IdeaFactory(process=process, title="Anywhere at all")
    IdeaFactory(territory=places["other"], title="Another process's idea")
    before = options(idea_list(client, process))
    assert before == ["", "FR", "FR-MRS", "FR-MRS-S1", "FR-MRS-S1-1"]  # not Noailles
    berlin = city("Berlin", "DE-BER", "DE", areas=300)
    assert options(idea_list(client, process)) == before
    IdeaFactory(process=process, territory=berlin.children.get(code="DE-BER-0042"))
    assert options(idea_list(client, process)) == ["", "DE", "DE-BER", "DE-BER-0042", *before[1:]]


def test_filtering_by_a_place_works_as_before(client, places):  # type: ignore[no-untyped-def]
    process, _ = process_in_phase("collect")
    IdeaFactory(process=process, territory=places["hood"], title="Shade in Belsunce")
    IdeaFactory(process=process, title="Anywhere at all")
    html = idea_list(client, process, territory="FR-MRS")  # the city: its neighbourhoods' ideas
    assert "Shade in Belsunce" in html and "Anywhere at all" not in html
    # A real place without ideas, named in the address: accepted, filters to nothing.
    html = idea_list(client, process, territory="FR-MRS-S1-2")
    assert "Shade in Belsunce" not in html and "Anywhere at all" not in html
    assert 'value="FR-MRS-S1-2" selected' in html
    html = idea_list(client, process, territory="NOWHERE")  # the usual invalid choice: ignored
    assert "Select a valid choice" in html and "Anywhere at all" in html


def test_the_idea_list_query_count_ignores_other_cities(client, places, assert_same_query_count):  # type: ignore[no-untyped-def]
    process, _ = process_in_phase("collect")
    IdeaFactory(process=process, territory=places["hood"])
    berlin = city("Berlin", "DE-BER", "DE")

    def make(n: int) -> None:
        for _ in range(n):
            area = TerritoryFactory(kind=N.NEIGHBOURHOOD, parent=berlin)
            IdeaFactory(territory=area)  # another process's idea

    assert_same_query_count(reverse("plans:idea_list", args=[process.slug]), make)


def test_the_idea_form_offers_the_places_under_the_space(client, places):  # type: ignore[no-untyped-def]
    city("Berlin", "DE-BER", "DE", areas=300)
    process, _ = process_in_phase("collect")
    process.space.territory = places["marseille"]
    process.space.save()
    author = UserFactory()
    client.force_login(author)
    url = reverse("plans:idea_create", args=[process.slug])
    offered = options(client.get(url).content.decode())
    marseille = ["FR-MRS", "FR-MRS-S1", "FR-MRS-S1-1", "FR-MRS-S1-2"]
    pks = dict(Territory.objects.filter(code__in=marseille).values_list("code", "pk"))
    assert offered == ["", *(str(pks[code]) for code in marseille)]  # not Berlin's 300 areas
    response = client.post(url, {"title": "Trees", "body": "More", "territory": places["hood"].pk})
    assert response.status_code == 302
    berlin_area = Territory.objects.get(code="DE-BER-0001")
    response = client.post(url, {"title": "Elsewhere", "body": "No", "territory": berlin_area.pk})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert list(Idea.objects.values_list("title", flat=True)) == ["Trees"]


def test_without_a_territory_the_form_offers_cities_and_districts(places):  # type: ignore[no-untyped-def]
    city("Berlin", "DE-BER", "DE", areas=30)
    process, _ = process_in_phase("collect")
    form = IdeaForm(user=UserFactory.create(), process=process)
    codes = [place.code for place in form.fields["territory"].queryset]  # type: ignore[attr-defined]
    assert codes == ["DE-BER", "FR-MRS", "FR-MRS-S1"]


def test_a_country_space_offers_its_cities_and_districts(places):  # type: ignore[no-untyped-def]
    city("Lyon", "FR-LYS", "FR", areas=30)
    process, _ = process_in_phase("collect")
    process.space.territory = places["marseille"].parent
    process.space.save()
    form = IdeaForm(user=UserFactory.create(), process=process)
    codes = [place.code for place in form.fields["territory"].queryset]  # type: ignore[attr-defined]
    assert codes == ["FR", "FR-LYS", "FR-MRS", "FR-MRS-S1"]


def test_editing_keeps_an_idea_in_a_place_no_longer_offered(client, places):  # type: ignore[no-untyped-def]
    berlin = city("Berlin", "DE-BER", "DE", areas=3)
    process, _ = process_in_phase("collect")
    process.space.territory = places["marseille"]
    process.space.save()
    area = berlin.children.get(code="DE-BER-0002")
    idea = IdeaFactory(process=process, territory=area)
    form = IdeaForm(instance=idea, user=idea.author, process=process)  # type: ignore[arg-type]
    html = str(form["territory"])
    assert f'value="{area.pk}" selected' in html and "DE-BER-0001" not in html
    assert "Berlin area 1" not in html
