"""One rule for GeoJSON boundaries in every app (cocity.core.geo): a boundary that a territory
accepts an insights data set accepts too, and the other way round; a text nested 100,000 levels
deep is a clear error in the admin, the territories command and the insights import."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from cocity.insights import services as insights_services
from cocity.network.models import Territory
from cocity.network.services.territories import territory_create
from tests.core.test_geo import BAD, DEEP_TEXT, GOOD
from tests.insights.platform_helpers import grid_city

pytestmark = pytest.mark.django_db

CORPUS = {**GOOD, **{name: value for name, (value, _code) in BAD.items()}}


def _insights_accepts(city, hood, value) -> bool:  # type: ignore[no-untyped-def]
    geometry = json.loads(value) if isinstance(value, str) else value
    features = [{"type": "Feature", "properties": {"code": hood.code}, "geometry": geometry}]
    try:
        insights_services.validate_upload(
            city=city,
            groups=[{"column": "a", "label": "A"}],
            total_column="total",
            id_column="code",
            csv_text=f"code,a,total\n{hood.code},1,2\n",
            geojson_text=json.dumps({"type": "FeatureCollection", "features": features}),
        )
    except ValidationError:
        return False
    return True


def _territory_accepts(value) -> bool:  # type: ignore[no-untyped-def]
    try:
        territory_create(name="Somewhere", code="ZZ", kind="country", boundary=value)
    except ValidationError:
        return False
    Territory.objects.filter(code="ZZ").delete()
    return True


@pytest.mark.parametrize(
    "value",
    [v for v in CORPUS.values() if not (isinstance(v, str) and v.startswith("["))],
    ids=[k for k, v in CORPUS.items() if not (isinstance(v, str) and v.startswith("["))],
)
def test_territories_and_insights_accept_the_same_boundaries(value):
    city, hoods = grid_city(1, 1)
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except (ValueError, RecursionError):
        parsed = None
    territory = _territory_accepts(value)
    insights = parsed is not None and _insights_accepts(city, hoods[0], parsed)
    assert territory == insights


def test_the_admin_reports_a_deep_boundary_as_a_form_error(admin_client):
    data = {"name": "Belgium", "code": "BE", "kind": "country", "parent": "", "boundary": DEEP_TEXT}
    response = admin_client.post(reverse("admin:network_territory_add"), data)
    assert response.status_code == 200
    assert "nested more than 32 levels deep" in response.content.decode()
    assert not Territory.objects.filter(code="BE").exists()


def test_the_territories_command_refuses_a_deep_file(tmp_path):
    path = tmp_path / "deep.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ' + DEEP_TEXT + "}")
    with pytest.raises(CommandError, match="nested more than 32 levels deep"):
        call_command("load_territories", str(path))


def test_the_insights_import_refuses_a_deep_file():
    city, hoods = grid_city(1, 1)
    with pytest.raises(ValidationError) as caught:
        insights_services.validate_upload(
            city=city,
            groups=[{"column": "a", "label": "A"}],
            total_column="total",
            id_column="code",
            csv_text=f"code,a,total\n{hoods[0].code},1,2\n",
            geojson_text='{"type": "FeatureCollection", "features": ' + DEEP_TEXT + "}",
        )
    assert caught.value.messages == ["The boundary is nested more than 32 levels deep."]
