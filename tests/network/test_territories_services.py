"""Territory services and the load-territories command."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from cocity.network.models import Territory
from cocity.network.services.territories import territory_create, territory_update
from tests.factories import city_with_neighbourhoods

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


class TestCreate:
    def test_create_tree_with_paths(self):
        country = territory_create(name="Belgium", code="be", kind="country")
        city = territory_create(
            name="Brussels", code="BE-BRU", kind="city", parent=country, boundary=SQUARE
        )
        assert (country.code, city.path, city.depth) == ("BE", "BE/BE-BRU/", 1)
        assert city.boundary == SQUARE

    def test_feature_is_reduced_to_its_geometry(self):
        country = territory_create(
            name="Belgium",
            code="BE",
            kind="country",
            boundary={"type": "Feature", "properties": {}, "geometry": SQUARE},
        )
        assert country.boundary == SQUARE

    @pytest.mark.parametrize(
        ("arguments", "field"),
        [
            ({"code": "be bru!", "kind": "country"}, "code"),
            ({"code": "BE", "kind": "planet"}, "kind"),
            ({"code": "BE-BRU", "kind": "city"}, "parent"),
            (
                {
                    "code": "BE",
                    "kind": "country",
                    "boundary": {"type": "Point", "coordinates": [0, 0]},
                },
                "boundary",
            ),
            (
                {
                    "code": "BE",
                    "kind": "country",
                    "boundary": {
                        "type": "Polygon",
                        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]],
                    },
                },
                "boundary",
            ),
        ],
    )
    def test_bad_input_writes_nothing(self, arguments, field):
        with pytest.raises(ValidationError) as error:
            territory_create(name="Somewhere", **arguments)
        assert field in error.value.message_dict
        assert not Territory.objects.exists()

    def test_city_cannot_sit_under_a_city(self):
        _country, city, *_ = city_with_neighbourhoods()
        with pytest.raises(ValidationError, match="cannot be part of a city"):
            territory_create(name="Other", code="FR-X", kind="city", parent=city)

    def test_duplicate_code(self):
        territory_create(name="Belgium", code="BE", kind="country")
        with pytest.raises(ValidationError):
            territory_create(name="Belgium again", code="be", kind="country")
        assert Territory.objects.count() == 1


class TestUpdate:
    def test_new_code_moves_every_descendant_path(self):
        _country, city, _district, _hoods = city_with_neighbourhoods()
        territory_update(territory=city, code="FR-MAR")
        paths = dict(Territory.objects.values_list("code", "path"))
        assert paths["FR-MAR"] == "FR/FR-MAR/"
        assert paths["FR-MRS-03"] == "FR/FR-MAR/FR-MRS-03/"
        assert paths["FR-MRS-03-1"] == "FR/FR-MAR/FR-MRS-03/FR-MRS-03-1/"

    def test_new_parent_moves_descendants_and_depth(self):
        country, _city, district, _hoods = city_with_neighbourhoods()
        other_city = territory_create(name="Aix", code="FR-AIX", kind="city", parent=country)
        territory_update(territory=district, parent=other_city)
        hood = Territory.objects.get(code="FR-MRS-03-1")
        assert hood.path == "FR/FR-AIX/FR-MRS-03/FR-MRS-03-1/"
        assert hood.depth == 3

    def test_neighbourhood_moved_up_under_city_changes_depth(self):
        _country, city, _district, hoods = city_with_neighbourhoods()
        territory_update(territory=hoods[0], parent=city)
        hood = Territory.objects.get(pk=hoods[0].pk)
        assert (hood.path, hood.depth) == ("FR/FR-MRS/FR-MRS-03-1/", 2)

    def test_kind_change_refused_when_children_do_not_fit(self):
        _country, city, district, _hoods = city_with_neighbourhoods()
        with pytest.raises(ValidationError) as error:
            territory_update(territory=district, kind="neighbourhood", parent=city)
        assert "kind" in error.value.message_dict
        assert Territory.objects.get(pk=district.pk).kind == "district"

    def test_cannot_move_under_own_descendant(self):
        _country, city, _district, _hoods = city_with_neighbourhoods()
        other = territory_create(name="Other", code="XX", kind="country")
        territory_update(territory=city, parent=other)
        assert Territory.objects.get(code="FR-MRS-03").path.startswith("XX/FR-MRS/")

    def test_bad_code_on_update_writes_nothing(self):
        _country, city, _district, _hoods = city_with_neighbourhoods()
        with pytest.raises(ValidationError):
            territory_update(territory=city, code="no good")
        assert Territory.objects.get(pk=city.pk).code == "FR-MRS"
        assert Territory.objects.get(code="FR-MRS-03").path == "FR/FR-MRS/FR-MRS-03/"


# --- load-territories ---------------------------------------------------------------------


def feature(code, name, kind, parent_code=None, geometry=None):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "kind": kind, "parent_code": parent_code},
        "geometry": geometry,
    }


def write_geojson(tmp_path, features):
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def load(path, capsys):
    call_command("load_territories", str(path))
    return capsys.readouterr()


class TestLoadCommand:
    def test_good_geojson_with_children_before_parents(self, tmp_path, capsys):
        path = write_geojson(
            tmp_path,
            [
                feature("BE-BRU-01", "Marolles", "neighbourhood", "BE-BRU", SQUARE),
                feature("BE-BRU", "Brussels", "city", "BE", SQUARE),
                feature("BE", "Belgium", "country"),
            ],
        )
        output = load(path, capsys)
        assert "3 territories created, 0 updated" in output.out
        assert Territory.objects.get(code="BE-BRU-01").path == "BE/BE-BRU/BE-BRU-01/"
        assert Territory.objects.get(code="BE-BRU").boundary == SQUARE

    def test_second_load_updates(self, tmp_path, capsys):
        path = write_geojson(tmp_path, [feature("BE", "Belgium", "country")])
        load(path, capsys)
        path = write_geojson(tmp_path, [feature("BE", "Belgique", "country")])
        assert "0 territories created, 1 updated" in load(path, capsys).out
        assert Territory.objects.get(code="BE").name == "Belgique"

    def test_parent_from_the_database_and_moved_subtree(self, tmp_path, capsys):
        _country, _city, _district, _hoods = city_with_neighbourhoods()
        path = tmp_path / "places.csv"
        path.write_text(
            "code,name,kind,parent_code\n"
            "FR-AIX,Aix,city,FR\n"
            "FR-MRS-03,3e arrondissement,district,FR-AIX\n"
        )
        output = load(path, capsys)
        assert "1 territories created, 1 updated" in output.out
        assert Territory.objects.get(code="FR-MRS-03-2").path == "FR/FR-AIX/FR-MRS-03/FR-MRS-03-2/"

    def test_good_csv_with_boundary(self, tmp_path, capsys):
        path = tmp_path / "places.csv"
        boundary = json.dumps(SQUARE).replace('"', '""')
        path.write_text(
            "code,name,kind,parent_code,boundary_geojson\n"
            f'BE-BRU,Brussels,city,BE,"{boundary}"\n'
            "BE,Belgium,country,,\n"
        )
        assert "2 territories created" in load(path, capsys).out
        assert Territory.objects.get(code="BE-BRU").boundary == SQUARE

    def test_bad_geojson_reports_every_problem_and_writes_nothing(self, tmp_path, capsys):
        path = write_geojson(
            tmp_path,
            [
                feature("BE", "Belgium", "country"),
                feature("BE-BRU", "Brussels", "city", "XX"),  # unknown parent
                feature("be bru!", "Bad", "city", "BE"),  # bad code
                feature("BE-ANT", "Antwerp", "town", "BE"),  # bad kind
                feature("BE", "Belgium twice", "country"),  # duplicate
                feature("BE-GNT", "Ghent", "city", "BE", {"type": "Point", "coordinates": [3, 51]}),
            ],
        )
        with pytest.raises(CommandError, match="nothing was written"):
            load(path, capsys)
        errors = capsys.readouterr().err
        assert "feature 2: unknown parent code “XX”" in errors
        assert "feature 3: bad code “BE BRU!”" in errors
        assert "feature 4: bad kind “town”" in errors
        assert "feature 5: duplicate code “BE” (already on feature 1)" in errors
        assert "feature 6: bad boundary: The boundary must be a Polygon or MultiPolygon" in errors
        assert not Territory.objects.exists()

    def test_bad_csv_reports_line_numbers(self, tmp_path, capsys):
        path = tmp_path / "places.csv"
        path.write_text(
            "code,name,kind,parent_code\n"
            "BE,Belgium,country,\n"
            "BE-BRU,Brussels,city,\n"  # city without parent
            "BE-X,,city,BE\n"  # no name
            "FR-MRS,Marseille,city,BE-BRU\n"  # city under a city
        )
        with pytest.raises(CommandError):
            load(path, capsys)
        errors = capsys.readouterr().err
        assert "line 3: a city needs a parent_code" in errors
        assert "line 4: the name is missing" in errors
        assert "line 5: a city cannot be part of a city" in errors
        assert not Territory.objects.exists()

    def test_not_a_feature_collection(self, tmp_path):
        path = tmp_path / "x.geojson"
        path.write_text(json.dumps(SQUARE))
        with pytest.raises(CommandError, match="FeatureCollection"):
            call_command("load_territories", str(path))

    def test_missing_csv_columns(self, tmp_path):
        path = tmp_path / "x.csv"
        path.write_text("code,name\nBE,Belgium\n")
        with pytest.raises(CommandError, match="missing: kind, parent_code"):
            call_command("load_territories", str(path))

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="No such file"):
            call_command("load_territories", str(tmp_path / "nope.csv"))

    def test_dry_run_writes_nothing(self, tmp_path, capsys):
        path = write_geojson(tmp_path, [feature("BE", "Belgium", "country")])
        call_command("load_territories", str(path), "--dry-run")
        assert "no problem found" in capsys.readouterr().out
        assert not Territory.objects.exists()
