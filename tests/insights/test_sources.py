"""A city's own files (insights/sources.py): counts from CSV in any common encoding and delimiter
or from Excel, boundaries from GeoJSON, GeoPackage or a zipped Shapefile in any projection, each
bad file a clear problem naming its line or feature, and templates that read back. Every fixture
is made here, in tmp_path."""

from __future__ import annotations

import json
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pyogrio.raw
import pytest
import shapely
from pyproj import Transformer

from cocity.insights import sources
from cocity.insights.io import InputError, parse_counts, parse_records
from cocity.insights.sources import Formula, LayerInfo, TableInfo

# The corner of the first square, in Marseille; the squares are drawn in Lambert-93 from it.
LON, LAT = 5.37, 43.30
TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


def problems(caught: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in caught.value.problems]


def counts(path: Path, filename: str, **kwargs):
    info = sources.inspect_table(path, filename=filename)
    return info, parse_records(sources.table_records(path, info), **kwargs)


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    ("encoding", "written", "delimiter"),
    [
        ("utf-8", "utf-8", ","),
        ("utf-8-sig", "utf-8-sig", ";"),
        ("cp1252", "cp1252", ";"),
        ("cp1252", "latin-1", "\t"),
        ("utf-16", "utf-16", "|"),
    ],
)
def test_a_csv_is_read_in_its_encoding_and_delimiter(tmp_path, encoding, written, delimiter):
    path = tmp_path / "comptages.csv"
    text = f"code{delimiter}nom{delimiter}a{delimiter}b\n"
    text += f"13201{delimiter}Cité{delimiter}1{delimiter}2\n"
    text += f"91228{delimiter}Évry{delimiter}3{delimiter}4\n"
    path.write_bytes(text.encode(written))
    info, table = counts(path, "comptages.csv", id_column="code", groups=["a", "b"])
    assert (info.kind, info.encoding, info.delimiter) == ("csv", encoding, delimiter)
    assert info.columns == ["code", "nom", "a", "b"]
    assert info.preview == [["13201", "Cité", "1", "2"], ["91228", "Évry", "3", "4"]]
    assert info.rows == 2
    assert table.ids == ["13201", "91228"]
    assert table.counts.tolist() == [[1, 2], [3, 4]]
    assert table.lines == [2, 3]
    assert TableInfo.from_json(json.loads(json.dumps(info.as_json()))) == info


def test_a_french_csv_with_decimal_commas_is_split_on_its_semicolons(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("code;part;a\nX;1,5;3\nY;2,25;4\nZ;0,5;5\n", encoding="utf-8")
    info = sources.inspect_table(path, filename="c.csv")
    assert info.delimiter == ";"
    assert info.columns == ["code", "part", "a"]


def test_bad_counts_are_reported_by_line_and_column(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "code;a;b;total\nX;1;2;3\nY;-1;2;3\nZ;1.5;abc;3\nW;5;1;4\nX;0;0;0\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        counts(path, "c.csv", id_column="code", groups=["a", "b"], total="total")
    assert problems(caught) == [
        "Line 3: a is negative.",
        "Line 4: a is not a whole number.",
        "Line 4: b is not a whole number.",
        "Line 5: a (5) is larger than the total (4).",
        "Line 5: the groups add up to more than the total.",
        "Line 6: code “X” already on line 2.",
    ]


def test_parse_counts_still_reads_comma_separated_lines():
    table = parse_counts(["code,a\n", "X,12.0\n"], id_column="code", groups=["a"])
    assert table.counts.tolist() == [[12]]


def test_a_latin_1_name_on_the_last_line_of_a_large_file_is_found(tmp_path):
    path = tmp_path / "c.csv"
    body = "".join(f"U{i},{i % 7}\n" for i in range(150_000))
    path.write_bytes(b"code,a\n" + body.encode() + "Évry,1\n".encode("latin-1"))
    info = sources.inspect_table(path, filename="c.csv")
    assert info.encoding == "cp1252" and info.rows is None
    records = list(sources.table_records(path, info))
    assert records[-1] == (150_002, ["Évry", "1"])


def test_a_byte_the_encoding_cannot_read_is_named_by_its_line(tmp_path):
    path = tmp_path / "c.csv"
    rows = [f"U{i},{i % 7}\n".encode() for i in range(600_000)]
    rows[250_000] = "Évry,1\n".encode("latin-1")  # neither in the first nor the last MB
    path.write_bytes(b"code,a\n" + b"".join(rows))
    info = sources.inspect_table(path, filename="c.csv")
    assert info.encoding == "utf-8"
    with pytest.raises(InputError) as caught:
        parse_records(sources.table_records(path, info), id_column="code", groups=["a"])
    assert problems(caught) == ["Line 250002: not readable as utf-8 text."]


def test_utf_16_lines_and_quoted_line_breaks_across_blocks(tmp_path):
    path = tmp_path / "c.csv"
    rows = "".join(f'U{i};"é\r\nx";{i % 7}\r\n' for i in range(40_000))
    path.write_bytes(("code;n;a\r\n" + rows).encode("utf-16"))
    info = sources.inspect_table(path, filename="c.csv")
    assert (info.encoding, info.delimiter) == ("utf-16", ";")
    records = list(sources.table_records(path, info))
    assert len(records) == 40_001
    assert records[-1] == (40_001, ["U39999", "é\r\nx", "1"])
    assert all(cells[1] == "é\r\nx" for _line, cells in records[1:])


def test_a_million_rows_stream_in_flat_memory(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("code;a;b\n")
        for start in range(0, 1_000_000, 100_000):
            handle.write("".join(f"U{i};{i % 9};{i % 5}\n" for i in range(start, start + 100_000)))
    info = sources.inspect_table(path, filename="big.csv")
    tracemalloc.start()
    try:
        seen = last = 0
        for last, _cells in sources.table_records(path, info):  # noqa: B007
            seen += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (seen, last) == (1_000_001, 1_000_001)
    assert peak < 2 * 2**20


# --------------------------------------------------------------------------- Excel


def workbook(path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Comptages"
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_an_excel_sheet_gives_whole_numbers_as_text(tmp_path):
    import datetime as dt

    path = tmp_path / "c.xlsx"
    workbook(
        path,
        [
            ["code", "a", "b", "note", "when"],
            ["13201", 12, 3.0, '=A2&"!"', dt.datetime(2024, 1, 1)],
            [13202, 4.0, 0.25, None, None],
            [],
            [],
        ],
    )
    info = sources.inspect_table(path, filename="c.xlsx")
    assert (info.kind, info.sheet, info.encoding, info.delimiter) == (
        "xlsx",
        "Comptages",
        None,
        None,
    )
    assert info.columns == ["code", "a", "b", "note", "when"]
    assert info.preview == [
        ["13201", "12", "3", '=A2&"!"', "2024-01-01"],
        ["13202", "4", "0.25", "", ""],
    ]
    assert info.rows == 2
    records = list(sources.table_records(path, info))
    assert isinstance(records[1][1][3], Formula)
    # The formula is in a column the counts do not use: no problem.
    table = parse_records(iter(records[:2]), id_column="code", groups=["a", "b"])
    assert table.counts.tolist() == [[12, 3]]
    with pytest.raises(InputError) as caught:
        parse_records(iter(records), id_column="code", groups=["a", "b"])
    assert problems(caught) == ["Line 3: b is not a whole number."]


def test_the_active_sheet_is_read_with_its_strings_and_booleans(tmp_path):
    path = tmp_path / "c.xlsx"
    book = openpyxl.Workbook()
    notes = book.active
    notes.append(["Read me first"])
    data = book.create_sheet("Données")
    for row in (["code", "label", "a", "flag"], [" X ", "Cité", 7, True], ["Y", None, 8, False]):
        data.append(row)
    book.active = 1
    book.save(path)
    info = sources.inspect_table(path, filename="c.xlsx")
    assert info.sheet == "Données"
    assert info.preview == [[" X ", "Cité", "7", "TRUE"], ["Y", "", "8", "FALSE"]]
    table = parse_records(sources.table_records(path, info), id_column="code", groups=["a"])
    assert (table.ids, table.counts.tolist(), table.lines) == (["X", "Y"], [[7], [8]], [2, 3])


def test_a_formula_in_a_used_column_is_named(tmp_path):
    path = tmp_path / "c.xlsx"
    workbook(path, [["code", "a", "b", "total"], ["X", 1, 2, "=SUM(B2:C2)"], ["Y", 1, 2, 3]])
    with pytest.raises(InputError) as caught:
        counts(path, "c.xlsx", id_column="code", groups=["a", "b"], total="total")
    assert problems(caught) == [
        "Line 2: total holds a formula (=SUM(B2:C2)); save the values, not formulas."
    ]


def test_a_damaged_workbook_is_a_problem(tmp_path):
    path = tmp_path / "c.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(InputError) as caught:
        sources.inspect_table(path, filename="c.xlsx")
    assert problems(caught) == [
        "The Excel workbook cannot be read (damaged or protected): save it again as .xlsx, "
        "or as CSV."
    ]


# --------------------------------------------------------------------------- not what it says


def test_files_that_are_not_what_their_name_says(tmp_path):
    zipped = tmp_path / "a"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("notes.txt", "hello")
    text = tmp_path / "b"
    text.write_text("code,a\nX,1\n")
    xls = tmp_path / "c"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    binary = tmp_path / "d"
    binary.write_bytes(b"code,a\n\0\0\x01\x02")
    pdf = tmp_path / "e"
    pdf.write_bytes(b"%PDF-1.7\n...")
    gpkg = tmp_path / "f"
    gpkg.write_bytes(b"SQLite format 3\0" + b"\0" * 100)
    cases = [
        (zipped, "counts.csv", "The file is named counts.csv but holds a zip archive."),
        (text, "counts.xlsx", "The file is named counts.xlsx but holds text."),
        (
            xls,
            "counts.xls",
            "counts.xls is an old Excel file (.xls) or a password-protected workbook: save it "
            "as .xlsx (without a password) or as CSV.",
        ),
        (binary, "counts.csv", "The file is named counts.csv but holds binary data, not text."),
        (pdf, "counts.csv", "The file is named counts.csv but holds a PDF document."),
        (
            gpkg,
            "units.gpkg",
            "units.gpkg holds a GeoPackage (SQLite database); the counts must be a CSV or Excel "
            "(.xlsx) file.",
        ),
    ]
    for path, filename, message in cases:
        with pytest.raises(InputError) as caught:
            sources.inspect_table(path, filename=filename)
        assert problems(caught) == [message], filename


# --------------------------------------------------------------------------- boundaries


def l93_squares(n: int, *, bowtie_at: int | None = None) -> list[shapely.Geometry]:
    x, y = TO_L93.transform(LON, LAT)
    shapes = [shapely.box(x + i * 100, y, x + i * 100 + 90, y + 90) for i in range(n)]
    if bowtie_at is not None:
        bx = x + bowtie_at * 100
        shapes[bowtie_at] = shapely.Polygon(
            [(bx, y), (bx + 90, y + 90), (bx + 90, y), (bx, y + 90), (bx, y)]
        )
    return shapes


def write_layer(path, shapes, codes, *, crs="EPSG:2154", driver="GPKG", names=None, **kw):
    fields = ["code", *(["name"] if names else [])]
    data = [np.array(codes, dtype=object), *([np.array(names, dtype=object)] if names else [])]
    wkb = np.array([None if s is None else shapely.to_wkb(s) for s in shapes], dtype=object)
    pyogrio.raw.write(
        str(path), wkb, data, fields=fields, crs=crs, driver=driver, geometry_type="Unknown", **kw
    )


def test_a_geopackage_in_lambert_93_comes_back_in_longitude_latitude(tmp_path):
    path = tmp_path / "iris.gpkg"
    write_layer(path, l93_squares(3), ["13201", "13202", "13203"], names=["A", "B", "C"])
    info = sources.inspect_boundaries(path, filename="iris.gpkg")
    assert (info.kind, info.layer, info.crs, info.crs_name) == (
        "gpkg",
        "iris",
        "EPSG:2154",
        "RGF93 v1 / Lambert-93",
    )
    assert info.columns == ["code", "name"] and info.features == 3
    assert info.preview[1] == {"code": "13202", "name": "B"}
    assert LayerInfo.from_json(json.loads(json.dumps(info.as_json()))) == info
    read = sources.read_boundaries(
        path, filename="iris.gpkg", code_property="code", name_property="name"
    )
    assert read.codes == ["13201", "13202", "13203"]
    assert read.names == ["A", "B", "C"]
    assert read.features == [1, 2, 3]
    assert read.repairs == []
    first = read.geometries[0]
    assert first["type"] == "Polygon"
    corners = np.array(first["coordinates"][0])
    # The box's corner written at (LON, LAT) comes back there.
    assert np.abs(corners - [LON, LAT]).sum(axis=1).min() < 1e-6
    assert np.all(np.abs(corners - [LON, LAT]) < 0.01)


def test_a_geojson_is_longitude_latitude_and_codes_are_normalised(tmp_path):
    path = tmp_path / "units.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"code": "ab1", "n": 7},
            "geometry": shapely.geometry.mapping(shapely.box(5.3, 43.2, 5.31, 43.21)),
        }
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    info = sources.inspect_boundaries(path, filename="units.geojson")
    assert (info.kind, info.crs, info.features) == ("geojson", "EPSG:4326", 1)
    read = sources.read_boundaries(path, filename="units.geojson", code_property="code")
    assert read.codes == ["AB1"] and read.names is None
    assert shapely.equals(
        shapely.geometry.shape(read.geometries[0]), shapely.box(5.3, 43.2, 5.31, 43.21)
    )
    with pytest.raises(InputError) as caught:
        sources.read_boundaries(path, filename="units.geojson", code_property="iris")
    assert problems(caught) == ["The layer has no attribute iris (it has: code, n)."]


def test_metres_in_a_geojson_are_a_wrong_projection(tmp_path):
    path = tmp_path / "units.geojson"
    geometry = shapely.geometry.mapping(shapely.box(892000, 6247000, 892090, 6247090))
    feature = {"type": "Feature", "properties": {"code": "X"}, "geometry": geometry}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(InputError) as caught:
        sources.read_boundaries(path, filename="units.geojson", code_property="code")
    assert problems(caught) == [
        "Feature 1 (X): its coordinates fall outside longitude and latitude once read in "
        "EPSG:4326; is that the file's projection?"
    ]


def shapefile_zip(tmp_path: Path, skip: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "iris.shp", l93_squares(2), ["A", "B"], driver="ESRI Shapefile")
    path = tmp_path / "iris.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in folder.iterdir():
            if part.suffix not in skip:
                archive.write(part, f"data/{part.name}")
    return path


def test_a_zipped_shapefile_is_read_with_its_projection(tmp_path):
    path = shapefile_zip(tmp_path)
    info = sources.inspect_boundaries(path, filename="iris.zip")
    assert (info.kind, info.crs, info.features) == ("shp.zip", "EPSG:2154", 2)
    read = sources.read_boundaries(path, filename="iris.zip", code_property="code")
    assert read.codes == ["A", "B"]
    corners = np.array(read.geometries[0]["coordinates"][0])
    assert np.abs(corners - [LON, LAT]).sum(axis=1).min() < 1e-6


@pytest.mark.parametrize(
    ("skip", "missing"), [((".prj",), ".prj"), ((".dbf", ".shx"), ".shx, .dbf")]
)
def test_a_shapefile_without_its_parts_says_which(tmp_path, skip, missing):
    path = shapefile_zip(tmp_path, skip)
    with pytest.raises(InputError) as caught:
        sources.inspect_boundaries(path, filename="iris.zip")
    assert problems(caught) == [
        f"The Shapefile iris.shp comes without its {missing}: put all its files in the zip "
        "(the .prj gives its projection, the .dbf its attributes)."
    ]


def test_zips_that_are_not_one_shapefile(tmp_path):
    cases = {
        "none.zip": (["a.txt"], "The zip archive holds no Shapefile (.shp)."),
        "two.zip": (
            ["a.shp", "b.shp"],
            "The zip archive holds 2 Shapefiles (a.shp, b.shp): send one at a time.",
        ),
        "nested.zip": (
            ["a.shp", "inner.zip"],
            "inner.zip is a zip inside the zip archive: unzip it and send it alone.",
        ),
        "escape.zip": (["../a.shp"], "../a.shp in the zip archive points outside it."),
    }
    for filename, (members, message) in cases.items():
        path = tmp_path / filename
        with zipfile.ZipFile(path, "w") as archive:
            for member in members:
                archive.writestr(member, "x")
        with pytest.raises(InputError) as caught:
            sources.read_boundaries(path, filename=filename, code_property="code")
        assert problems(caught) == [message], filename


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path):
    path = tmp_path / "bomb.zip"
    zeros = b"\0" * 2**20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in ("a.shp", "a.dbf"):
            with archive.open(name, "w", force_zip64=True) as member:
                for _ in range(100):
                    member.write(zeros)
        archive.writestr("a.shx", "x")
        archive.writestr("a.prj", "x")
    assert path.stat().st_size < 2**20
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        sources.read_boundaries(path, filename="bomb.zip", code_property="code")
    assert problems(caught) == [
        "a.shp in the zip archive is compressed more than 100 to 1; it is refused as a "
        "possible zip bomb.",
        "a.dbf in the zip archive is compressed more than 100 to 1; it is refused as a "
        "possible zip bomb.",
    ]
    with pytest.raises(InputError) as caught:
        sources.inspect_boundaries(path, filename="bomb.zip", max_unzipped=100 * 2**20)
    assert problems(caught) == [
        "The zip archive would unpack to 200 MB, more than the 100 MB accepted."
    ]
    assert time.perf_counter() - start < 1


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_a_geopackage_without_projection(tmp_path):
    path = tmp_path / "u.gpkg"
    write_layer(path, l93_squares(1), ["A"], crs=None)
    with pytest.raises(InputError) as caught:
        sources.read_boundaries(path, filename="u.gpkg", code_property="code")
    assert problems(caught) == [
        "The GeoPackage gives no projection for its layer: set one in your GIS and save it again."
    ]


def test_every_feature_problem_is_named(tmp_path):
    path = tmp_path / "u.gpkg"
    squares = l93_squares(4)
    x, y = TO_L93.transform(LON, LAT)
    shapes = [
        squares[0],
        squares[1],
        shapely.LineString([(x, y), (x + 10, y + 10)]),
        None,
        squares[2],
        shapely.Point(x, y),
        squares[3],
    ]
    write_layer(path, shapes, ["A", "B", "C", "D", "a", "F", ""])
    with pytest.raises(InputError) as caught:
        sources.read_boundaries(path, filename="u.gpkg", code_property="code")
    assert problems(caught) == [
        "Feature 5: code “A” already on feature 1.",
        "Feature 7: empty code.",
        "Feature 4 (D): no geometry.",
        "Feature 3 (C) is a LineString; the units must be areas.",
        "Feature 6 (F) is a Point; the units must be areas.",
        "The layer mixes geometry types (LineString, Point, Polygon); the units must all be "
        "polygons (Polygon or MultiPolygon).",
    ]
    assert not sources.repairable(caught.value.problems)


def test_a_bowtie_is_refused_then_repaired_and_reported(tmp_path):
    path = tmp_path / "u.gpkg"
    write_layer(path, l93_squares(3, bowtie_at=1), ["A", "B", "C"])
    with pytest.raises(InputError) as caught:
        sources.read_boundaries(path, filename="u.gpkg", code_property="code")
    [problem] = problems(caught)
    assert problem.startswith("Feature 2 (B): invalid polygon (Self-intersection[")
    assert sources.repairable(caught.value.problems)
    read = sources.read_boundaries(path, filename="u.gpkg", code_property="code", repair=True)
    assert [str(r) for r in read.repairs] == [
        "Feature 2 (B): repaired (Self-intersection); now 2 part(s)."
    ]
    repaired = shapely.geometry.shape(read.geometries[1])
    assert repaired.geom_type == "MultiPolygon" and repaired.is_valid
    assert len(repaired.geoms) == 2


def test_a_repair_that_changes_the_area_says_by_how_much(tmp_path):
    path = tmp_path / "u.gpkg"
    x, y = TO_L93.transform(LON, LAT)
    # A square with a spike folding back on its edge: make_valid drops the spike (no area).
    ring = [(x, y), (x + 100, y), (x + 100, y + 100), (x + 50, y + 100), (x + 50, y + 150),
            (x + 50, y + 100), (x, y + 100), (x, y)]  # fmt: skip
    hole_outside = shapely.Polygon(
        [(x, y), (x + 100, y), (x + 100, y + 100), (x, y + 100)],
        [[(x + 90, y + 40), (x + 130, y + 40), (x + 130, y + 60), (x + 90, y + 60)]],
    )
    write_layer(path, [shapely.Polygon(ring), hole_outside], ["S", "H"])
    read = sources.read_boundaries(path, filename="u.gpkg", code_property="code", repair=True)
    notes = [str(r) for r in read.repairs]
    assert (
        notes[0]
        == "Feature 1 (S): repaired (Self-intersection); area changed by 0.0 %, now 1 part(s)."
    )
    # The hole crosses the shell: what lay outside becomes a second part.
    assert notes[1] == (
        "Feature 2 (H): repaired (Self-intersection); area changed by 13.0 %, now 2 part(s)."
    )


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", ["csv", "xlsx", "geojson", "gpkg", "shp.zip"])
def test_a_template_reads_back_with_its_codes(tmp_path, kind):
    geometries = [
        shapely.geometry.mapping(shapely.box(5.3 + i / 100, 43.2, 5.305 + i / 100, 43.21))
        for i in range(3)
    ]
    codes = ["13201", "13202", "=13203"]
    path = tmp_path / f"template.{kind}"
    sources.write_template(
        kind,
        path,
        codes=codes,
        names=["Cité", "Évry", "Les Crottes"],
        geometries=[json.loads(json.dumps(g)) for g in geometries],
        groups=["a", "b"],
    )
    if kind in ("csv", "xlsx"):
        info = sources.inspect_table(path, filename=path.name)
        assert info.columns == ["code", "name", "a", "b", "total"]
        expected = ["13201", "13202", "'=13203" if kind == "csv" else "=13203"]
        assert [row[0] for row in info.preview] == expected
        assert [row[1] for row in info.preview] == ["Cité", "Évry", "Les Crottes"]
        assert all(cell == "" for row in info.preview for cell in row[2:])
    else:
        layer = sources.inspect_boundaries(path, filename=path.name)
        assert layer.crs == "EPSG:4326"
        assert layer.columns == ["code", "name", "a", "b", "total"]
        read = sources.read_boundaries(
            path, filename=path.name, code_property="code", name_property="name"
        )
        assert read.codes == codes
        assert read.names == ["Cité", "Évry", "Les Crottes"]
        back = shapely.geometry.shape(read.geometries[2])
        assert np.allclose(back.bounds, (5.32, 43.2, 5.325, 43.21), atol=1e-9, rtol=0)
        assert back.area == pytest.approx(0.005 * 0.01, rel=1e-9)


@pytest.mark.parametrize("kind", ["geojson", "gpkg", "shp.zip"])
def test_a_city_without_boundaries_gets_no_boundary_template(tmp_path, kind):
    with pytest.raises(ValueError, match="boundaries"):
        sources.write_template(
            kind, tmp_path / "t", codes=["A"], names=["a"], geometries=None, groups=["a"]
        )
