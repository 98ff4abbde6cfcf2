"""``cocity insights indices``: JSON and table output, progress, and every kind of bad input."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
import shapely
import shapely.geometry
from django.core.management import CommandError, call_command

from . import geofiles

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "reference.json").read_text())["cases"]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("insights", "indices", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def nc(*extra):
    return run(
        DATA / "nc_births.csv",
        "--id-column",
        "fips",
        "--groups",
        "nonwhite_1974",
        "--total",
        "births_1974",
        *extra,
    )


def test_json_output_on_real_data_matches_the_reference():
    out, err = nc(
        "--boundaries", DATA / "nc_counties.geojson", "--id-property", "fips",
        "--coordinates", "projected",
    )  # fmt: skip
    result = json.loads(out)
    assert result["units"] == 100
    assert result["groups"] == ["nonwhite_1974"]
    expected = REFERENCE["nc_births_1974"]["expected"]
    for name, value in expected["single_group"]["nonwhite"].items():
        assert result["single_group"]["nonwhite_1974"][name] == pytest.approx(value, abs=1e-9)
    for name, value in expected["multigroup"].items():
        assert result["multigroup"][name] == pytest.approx(value, abs=1e-9)
    spatial = result["spatial"]["nonwhite_1974"]
    want = expected["spatial"]["nonwhite"]
    assert spatial["spatial_dissimilarity"] == pytest.approx(
        want["spatial_dissimilarity_queen"], abs=1e-9
    )
    assert spatial["spatial_proximity"] == pytest.approx(want["spatial_proximity"], abs=1e-9)
    assert result["parameters"]["proximity_kernel"] == "reference"
    assert "permutation_tests" not in result
    assert "queen contiguity: 245 neighbour pairs" in err


def test_groups_without_total_are_the_whole_population(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("code,a,b\nx,10,0\ny,0,10\nz,5,5\n")
    result = json.loads(run(csv, "--id-column", "code", "--groups", "a,b")[0])
    assert set(result["single_group"]) == {"a", "b"}
    assert "spatial" not in result
    assert result["single_group"]["a"]["dissimilarity"] == pytest.approx(2 / 3)
    assert result["multigroup"]["dissimilarity"] == pytest.approx(2 / 3)


def test_permutations_add_p_values_reproducibly():
    args = ("--boundaries", DATA / "nc_counties.geojson", "--id-property", "fips",
            "--coordinates", "projected")  # fmt: skip
    first = json.loads(nc(*args, "--permutations", "19", "--seed", "4")[0])
    second = json.loads(nc(*args, "--permutations", "19", "--seed", "4")[0])
    tests = first["permutation_tests"]
    assert tests == second["permutation_tests"]
    assert tests["permutations"] == 19
    assert tests["single_group"]["nonwhite_1974"]["dissimilarity"]["p_value"] == pytest.approx(
        1 / 20
    )
    assert "spatial_dissimilarity" in tests["single_group"]["nonwhite_1974"]
    assert "dissimilarity" in tests["multigroup"]


def test_table_output():
    out, _ = nc("--format", "table", "--permutations", "9", "--seed", "1")
    assert "dissimilarity" in out and "0.294410" in out
    assert "Multigroup" in out and "p-values" in out


def test_exponential_proximity_with_cutoff():
    out, _ = nc(
        "--boundaries",
        DATA / "nc_counties.geojson",
        "--id-property",
        "fips",
        "--proximity",
        "exponential",
        "--contiguity",
        "rook",
        "--coordinates",
        "projected",
    )
    result = json.loads(out)
    params = result["parameters"]
    assert params["contiguity"] == "rook"
    assert params["proximity_cutoff"] == pytest.approx(5 * params["proximity_scale"])
    assert result["spatial"]["nonwhite_1974"]["spatial_proximity"] > 0


def write(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


BAD_CSV = [
    ("code,a\nx,1\n", "Line 1: missing column total."),
    ("code,a,total\nx,1,3\ny,1.5,3\n", "Line 3: a is not a whole number."),
    ("code,a,total\nx,1,3\ny,,3\n", "Line 3: a is not a whole number."),
    ("code,a,total\nx,-1,3\n", "Line 2: a is negative."),
    ("code,a,total\nx,1,3\ny,5,4\n", "Line 3: a (5) is larger than the total (4)."),
    ("code,a,total\nx,1,3\nx,1,3\n", "Line 3: code “x” already on line 2."),
    ("code,a,total\n ,1,3\n", "Line 2: empty code."),
    ("code,a,total\nx,1,3,4\n", "Line 2: 4 columns where the header has 3."),
    ("code,a,total\nx,0,3\ny,0,3\n", "group a: the group has no members"),
    ("code,a,total\n", "The file has no rows."),
    ("", "The file has no rows."),
]


@pytest.mark.parametrize(("text", "message"), BAD_CSV)
def test_bad_csv(tmp_path, text, message, capsys):
    path = write(tmp_path, text)
    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "insights", "indices", str(path), "--id-column", "code", "--groups", "a",
            "--total", "total", stdout=out, stderr=StringIO(),
        )  # fmt: skip
    assert message in str(info.value)
    assert out.getvalue() == ""


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, "code,a,total\nx,-1,3\ny,z,3\nz,9,3\n")
    with pytest.raises(CommandError) as info:
        run(path, "--id-column", "code", "--groups", "a", "--total", "total")
    text = str(info.value)
    assert "Line 2" in text and "Line 3" in text and "Line 4" in text


def feature(code, coords):
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [coords]},
    }


SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
SQUARE_2 = [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]
BOWTIE = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([feature("x", SQUARE), feature("q", SQUARE_2)], "feature 2 (code 'q'): unknown id"),
        ([feature("x", SQUARE), feature("y", BOWTIE)], "feature 2 (code 'y'): invalid geometry"),
        ([feature("x", SQUARE)], "no boundary for 1 unit(s) of the data: 'y'"),
        (
            [feature("x", SQUARE), feature("x", SQUARE_2), feature("y", SQUARE_2)],
            "feature 2 (code 'x'): duplicate id",
        ),
        (
            [
                feature("x", SQUARE),
                {"type": "Feature", "properties": {"code": "y"}, "geometry": None},
            ],
            "feature 2 (code 'y'): the feature has no geometry",
        ),
    ],
)
def test_bad_boundaries(tmp_path, features, message):
    csv = write(tmp_path, "code,a,b\nx,1,3\ny,2,2\n")
    geo = write(tmp_path, json.dumps({"type": "FeatureCollection", "features": features}), "b.json")
    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "insights", "indices", str(csv), "--id-column", "code", "--groups", "a,b",
            "--boundaries", str(geo), "--id-property", "code", stdout=out, stderr=StringIO(),
        )  # fmt: skip
    assert message in str(info.value)
    assert out.getvalue() == ""


def test_other_bad_arguments(tmp_path):
    csv = write(tmp_path, "code,a,b\nx,1,3\ny,2,2\n")
    with pytest.raises(CommandError, match="one group needs --total"):
        run(csv, "--id-column", "code", "--groups", "a")
    with pytest.raises(CommandError, match="--boundaries needs --id-property"):
        run(csv, "--id-column", "code", "--groups", "a,b", "--boundaries", csv)
    with pytest.raises(CommandError, match="not valid JSON"):
        run(
            csv, "--id-column", "code", "--groups", "a,b", "--boundaries", csv, "--id-property", "c"
        )
    with pytest.raises(CommandError, match="are not longitude and latitude"):
        nc("--boundaries", DATA / "nc_counties.geojson", "--id-property", "fips")  # metres
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "nope.csv", "--id-column", "code", "--groups", "a,b")


def test_the_cocity_command_exits_non_zero_on_bad_input(tmp_path):
    csv = write(tmp_path, "code,a,total\nx,5,3\n")
    cocity = Path(sys.executable).with_name("cocity")
    done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [cocity, "insights", "indices", csv, "--id-column", "code", "--groups", "a",
         "--total", "total", "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert done.stdout == ""
    assert "Line 2: a (5) is larger than the total (3)." in done.stderr


# --------------------------------------------------------------------------- a city's own formats

CODES = [f"U{k:02d}" for k in range(1, 13)]
NAMES = [f"Cité {k}" for k in range(1, 13)]  # not ASCII: the encoding matters


def _counts(seed: int = 11) -> list[tuple[int, int, int]]:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in CODES:
        a, b = (int(v) for v in rng.integers(5, 300, 2))
        rows.append((a, b, a + b + int(rng.integers(0, 80))))
    return rows


COUNTS = _counts()


def _csv(path, *, encoding="utf-8", delimiter=","):  # type: ignore[no-untyped-def]
    text = geofiles.counts_text(codes=CODES, names=NAMES, counts=COUNTS, delimiter=delimiter)
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(path):  # type: ignore[no-untyped-def]
    header = ["code", "nom", "france", "abroad", "total"]
    rows = [[c, n, *row] for c, n, row in zip(CODES, NAMES, COUNTS, strict=True)]
    return geofiles.write_xlsx(path, [header, *rows])


def _squares():  # type: ignore[no-untyped-def]
    """4 x 3 squares in Marseille (lon/lat) whose neighbours share their corners exactly."""
    xs = [5.37 + i * 0.01 for i in range(5)]
    ys = [43.29 + j * 0.01 for j in range(4)]
    return [shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]) for j in range(3) for i in range(4)]


def _geojson(path):  # type: ignore[no-untyped-def]
    features = [
        {"type": "Feature", "properties": {"code": c}, "geometry": shapely.geometry.mapping(s)}
        for c, s in zip(CODES, _squares(), strict=True)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _layer(path, crs="EPSG:2154", codes=CODES):  # type: ignore[no-untyped-def]
    shapes = _squares()
    if path.suffix == ".zip":
        return geofiles.write_shapefile_zip(path, codes=codes, names=NAMES, shapes=shapes, crs=crs)
    return geofiles.write_gpkg(path, codes=codes, names=NAMES, shapes=shapes, crs=crs)


def _own(counts_file, boundaries_file, *extra):  # type: ignore[no-untyped-def]
    out, err = run(
        counts_file, "--id-column", "code", "--groups", "france,abroad", "--total", "total",
        "--boundaries", boundaries_file, "--id-property", "code", *extra,
    )  # fmt: skip
    return json.loads(out), err


def test_excel_and_geopackage_give_the_json_of_csv_and_geojson(tmp_path):
    plain, plain_err = _own(
        _csv(tmp_path / "counts.csv"),
        _geojson(tmp_path / "units.geojson"),
    )
    own, own_err = _own(
        _xlsx(tmp_path / "counts.xlsx"), _layer(tmp_path / "units.gpkg", "EPSG:4326")
    )
    assert own == plain  # every figure, to the last bit
    assert plain["units"] == 12 and "spatial" in plain
    assert plain["single_group"]["france"]["dissimilarity"] == pytest.approx(
        geofiles.dissimilarity(COUNTS, group=0), abs=1e-12
    )
    assert "counts: CSV, encoding utf-8, delimiter ','" in plain_err
    assert "boundaries: GeoJSON, longitude and latitude (EPSG:4326)" in plain_err
    assert "counts: Excel workbook, sheet 'Sheet'" in own_err
    assert "boundaries: GeoPackage, layer 'units', projection EPSG:4326 (WGS 84)" in own_err


def test_a_national_projection_and_a_latin_1_file_are_detected_and_read(tmp_path):
    """Counts in Latin-1 with semicolons, boundaries in Lambert-93 (a GeoPackage, and the same
    as a zipped Shapefile): reprojected, they give the figures of the same city in degrees."""
    latin = _csv(tmp_path / "counts.csv", encoding="latin-1", delimiter=";")
    gpkg, err = _own(latin, _layer(tmp_path / "units.gpkg"))
    shp, shp_err = _own(latin, _layer(tmp_path / "units.zip"))
    plain, _ = _own(
        _csv(tmp_path / "plain.csv"),
        _geojson(tmp_path / "units.geojson"),
    )
    assert "counts: CSV, encoding cp1252, delimiter ';'" in err  # Latin-1 as Excel writes it
    assert "projection EPSG:2154 (RGF93 v1 / Lambert-93), reprojected to longitude" in err
    assert "boundaries: zipped Shapefile" in shp_err and "EPSG:2154" in shp_err
    assert gpkg["contiguity_links"] == 29  # 4 x 3 squares, queen
    # Neither the reprojection nor a Shapefile's clockwise rings change the aspatial figures
    # or the contiguity; the distances of spatial proximity move in the last digits only.
    for other in (shp, plain):
        for key in ("units", "population", "single_group", "multigroup", "contiguity_links"):
            assert other[key] == gpkg[key]
        for group in ("france", "abroad"):
            for name, value in gpkg["spatial"][group].items():
                assert other["spatial"][group][name] == pytest.approx(value, rel=1e-7)


def test_own_boundaries_that_do_not_fit_the_data(tmp_path):
    data = _csv(tmp_path / "counts.csv")
    with pytest.raises(CommandError) as info:
        _own(data, _layer(tmp_path / "wrong.gpkg", codes=["Z99", *CODES[1:]]))
    text = str(info.value)
    assert "feature 1 (code 'Z99'): unknown id, not in the data." in text
    assert "no boundary for 1 unit(s) of the data: 'U01'." in text
    with pytest.raises(CommandError, match="--coordinates projected is for GeoJSON"):
        _own(data, _layer(tmp_path / "units.gpkg"), "--coordinates", "projected")
    # A file that is not what its name says is refused by the pages' reader, with its reason.
    fake = tmp_path / "fake.gpkg"
    fake.write_text("code,a\n")
    with pytest.raises(CommandError, match=r"named fake\.gpkg but holds text"):
        _own(data, fake)


def test_invalid_polygons_are_repaired_when_asked(tmp_path):
    csv = write(tmp_path, "code,a,b\nx,1,3\ny,2,2\n")
    features = [feature("x", SQUARE), feature("y", BOWTIE)]
    geo = write(tmp_path, json.dumps({"type": "FeatureCollection", "features": features}), "b.json")
    out, err = run(
        csv, "--id-column", "code", "--groups", "a,b", "--boundaries", geo,
        "--id-property", "code", "--repair",
    )  # fmt: skip
    assert json.loads(out)["units"] == 2
    assert "Feature 2 (y): repaired (Self-intersection); now 2 part(s)." in err
    with pytest.raises(CommandError, match="--repair reads the boundaries as the pages do"):
        run(
            csv, "--id-column", "code", "--groups", "a,b", "--boundaries", geo,
            "--id-property", "code", "--repair", "--coordinates", "projected",
        )  # fmt: skip
