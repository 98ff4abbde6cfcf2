"""``cocity insights indices``: JSON and table output, progress, and every kind of bad input."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

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
