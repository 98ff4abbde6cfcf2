"""Issue 18, done means: a city data officer brings her city's own areas (a GeoPackage in
Lambert-93, with codes the platform has never seen) and counts (a CSV in Latin-1 with
semicolons), maps the columns in the guided import, and reads on the city's page indices that
match a hand computation; the same with a broken file lists every problem and leaves nothing
behind; and ``cocity insights indices`` gives the page's figures for the same files.

The forms are filled from the keyboard (focus, type, Space, Tab, Enter) except the file choosers
and the selects, which Playwright sets directly. axe-core runs on each step of the import at
1280 px, and at 320 px the page does not scroll sideways (its tables scroll in their region)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from tests.insights import geofiles

from .conftest import REPO, LiveServer
from .helpers import log_in
from .test_accessibility import AXE_TAGS, BLOCKING, RUN_AXE_JS

GROUPS = {"france": "Born in France", "abroad": "Born abroad"}
# The city page's one-group table, in the order of its columns after the group's label.
SINGLE = ["dissimilarity", "gini", "entropy", "isolation", "exposure", "atkinson"]
SINGLE += ["correlation_ratio"]
SPATIAL = ["spatial_dissimilarity", "spatial_proximity"]


def rounded(value: float, places: int = 3) -> str:
    """A figure as the pages show it in English: rounded half up (0.5155 -> 0.516), not cut."""
    step = Decimal(1).scaleb(-places)
    return str(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))


def codes_for(tag: str) -> list[str]:
    """Unit codes no place of the platform has (each test's seed has its own tag)."""
    return [f"Q{tag}{k}" for k in range(1, 7)]


def write_files(folder: Path, codes: list[str], counts_text: str) -> tuple[Path, Path]:
    """The counts as a Latin-1 CSV (as a French spreadsheet exports it) and the areas as a
    GeoPackage in Lambert-93 (EPSG:2154)."""
    counts = folder / "population-iris.csv"
    counts.write_bytes(counts_text.encode("latin-1"))
    boundaries = geofiles.write_gpkg(folder / "iris.gpkg", codes=codes)
    return counts, boundaries


def type_into(page: Any, field: Any, text: str) -> None:
    """Focus a field and type, replacing what it holds, as a keyboard user does."""
    field.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def check_page(axe_page: Any, axe_source: str, path: str) -> None:
    """axe-core (WCAG 2.2 AA: nothing serious or critical) at 1280 px, then no sideways
    scrolling of the whole page at 320 px."""
    axe_page.set_viewport_size({"width": 1280, "height": 800})
    response = axe_page.goto(path)
    assert response is not None and response.status == 200, path
    axe_page.add_script_tag(content=axe_source)
    violations = axe_page.evaluate(RUN_AXE_JS, AXE_TAGS)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, (path, blocking)
    axe_page.set_viewport_size({"width": 320, "height": 800})
    axe_page.goto(path)
    width = axe_page.evaluate("document.documentElement.scrollWidth")
    culprits = axe_page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(el => el.getBoundingClientRect().right > 320.5
                           && !el.closest('.table-region'))
             .slice(0, 8).map(el => el.tagName.toLowerCase() + '.' + el.className
               + ' right=' + Math.round(el.getBoundingClientRect().right))"""
    )
    assert width <= 320, f"{path}: {width}px wide at 320px: {culprits}"


def upload(page: Any, city: str, counts: Path, boundaries: Path) -> None:
    """Step 1: the two files, then "Upload and preview" from the keyboard."""
    response = page.goto(f"/insights/{city}/datasets/new/")
    assert response is not None and response.status == 200
    page.get_by_label("Counts (CSV or Excel)").set_input_files(str(counts))
    page.get_by_label(re.compile(r"^Boundaries")).set_input_files(str(boundaries))
    page.get_by_role("button", name="Upload and preview").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/insights/imports/\d+/$", page.url), page.url


def choose_columns(page: Any, tag: str) -> None:
    """Step 2, "Which column is what": the data set, new areas named and versioned, the code
    and name columns and properties, the two group columns with labels, the total; then
    "Check and import" from the keyboard."""
    form = page.locator("form", has=page.get_by_role("heading", name="Which column is what"))
    type_into(page, form.get_by_label("Name of the data set"), f"Population by birthplace {tag}")
    type_into(page, form.get_by_label("Source:", exact=True), "INSEE, recensement")
    type_into(page, form.get_by_label("Year of the data"), "2021")
    new_areas = form.get_by_role("radio", name=re.compile(r"New areas brought by this file"))
    new_areas.focus()
    if not new_areas.is_checked():
        page.keyboard.press("Space")
    assert new_areas.is_checked()
    type_into(page, form.get_by_label("Name of these areas"), "IRIS")
    type_into(page, form.get_by_label("Version:", exact=True), "2021")
    form.get_by_label("Column with the area's code").select_option("code")
    form.get_by_label("Column with the area's name").select_option("nom")
    form.get_by_label("Boundaries: code property").select_option("code")
    form.get_by_label("Boundaries: name property").select_option("nom")
    form.get_by_label("Total column").select_option("total")
    for column in ["code", "nom", "france", "abroad", "total"]:
        box = form.get_by_label(f"“{column}” is a group")
        box.focus()
        if box.is_checked() != (column in GROUPS):
            page.keyboard.press("Space")
        assert box.is_checked() == (column in GROUPS), column
        if column in GROUPS:
            # The label of the group is the next stop of the keyboard, in the same row.
            page.keyboard.press("Tab")
            label = form.get_by_label(f"Label of “{column}”")
            assert label.evaluate("el => el === document.activeElement"), column
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type(GROUPS[column])
            assert label.input_value() == GROUPS[column]
    form.get_by_role("button", name="Check and import").focus()
    page.keyboard.press("Enter")


def run_command(
    server: LiveServer, counts: Path, boundaries: Path
) -> subprocess.CompletedProcess[str]:
    """``cocity insights indices`` on the files, as a researcher runs it."""
    return subprocess.run(  # noqa: S603 (our own interpreter and command)
        [
            sys.executable, "-m", "cocity", "insights", "indices", str(counts),
            "--id-column", "code", "--groups", ",".join(GROUPS), "--total", "total",
            "--boundaries", str(boundaries), "--id-property", "code", "--format", "json",
        ],
        env=server.env, cwd=REPO, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_a_city_brings_its_own_areas_and_counts_and_reads_its_indices(
    page: Any, axe_page: Any, axe_source: str, server: LiveServer, tmp_path: Path
) -> None:
    seed = server.seed("city_data")
    city, tag, officer = seed["city"], seed["tag"], seed["officer"]
    codes = codes_for(tag)
    counts, boundaries = write_files(
        tmp_path, codes, geofiles.counts_text(codes=codes, delimiter=";")
    )
    for code in codes:  # never seen before
        response = page.goto(f"/places/{city}-{code}/")
        assert response is not None and response.status == 404
    log_in(page, officer["email"], officer["password"])
    log_in(axe_page, officer["email"], officer["password"])
    check_page(axe_page, axe_source, f"/insights/{city}/datasets/new/")

    upload(page, city, counts, boundaries)
    read = page.locator("section", has=page.get_by_role("heading", name="What the platform read"))
    facts = read.locator("dl").inner_text()
    assert re.search(r"CSV text in (Windows-1252|Latin-1)", facts), facts
    assert "columns separated by semicolons" in facts
    assert "EPSG:2154 (RGF93 v1 / Lambert-93)" in facts
    assert "GeoPackage, 6 Polygon features" in facts
    preview = page.get_by_role("table", name=re.compile(r"^The first \d+ rows of"))
    assert "Cité" in preview.inner_text()  # Latin-1 read as Latin-1
    check_page(axe_page, axe_source, urlpath(page.url))

    choose_columns(page, tag)
    page.wait_for_url(re.compile(r"/insights/datasets/\d+/$"), timeout=60_000)
    assert f"Population by birthplace {tag}" in page.get_by_role("main").inner_text()

    page.goto(f"/insights/{city}/")
    table = page.get_by_role("region", name="Segregation indices").get_by_role("table")
    shown: dict[str, list[str]] = {}
    for column, label in GROUPS.items():
        row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label))
        shown[column] = [cell.strip() for cell in row.get_by_role("cell").all_inner_texts()]
        assert len(shown[column]) == len(SINGLE) + len(SPATIAL), shown[column]
    # The hand computation: D = 1/2 sum |g_i/G - r_i/R|, the rest r_i = total_i - g_i.
    assert shown["france"][0] == rounded(geofiles.dissimilarity(group=0)) == "0.462"
    assert shown["abroad"][0] == rounded(geofiles.dissimilarity(group=1)) == "0.536"
    # The new areas are places of the city now.
    response = page.goto(f"/places/{city}-{codes[4]}/")
    assert response is not None and response.status == 200
    assert "Cité" in page.get_by_role("heading", level=1).inner_text()

    # The command line, on the same files, gives the page's figures.
    result = run_command(server, counts, boundaries)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for column in GROUPS:
        figures = [report["single_group"][column][k] for k in SINGLE]
        figures += [report["spatial"][column][k] for k in SPATIAL]
        assert [rounded(f) for f in figures] == shown[column], column


def urlpath(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_broken_file_lists_every_problem_and_leaves_nothing_behind(
    page: Any, axe_page: Any, axe_source: str, server: LiveServer, tmp_path: Path
) -> None:
    seed = server.seed("city_data")
    city, tag, officer = seed["city"], seed["tag"], seed["officer"]
    codes = codes_for(tag)
    text = geofiles.counts_text(
        codes=codes,
        delimiter=";",
        counts=[
            (100, 50, 200),
            (-1, 150, 180),  # line 3: a negative count
            (80, 20, 70),  # line 4: more born in France than residents
            (5, 90, 100),
            (60, 60, 150),
            (1, 1, 5),
        ],
    )
    # Line 7: the first area's code again, and text in a number column; so the sixth feature
    # of the GeoPackage has no counts.
    text = text.replace(f"{codes[5]};Chartreux;1;", f"{codes[0]};Chartreux;x;")
    counts, boundaries = write_files(tmp_path, codes, text)
    log_in(page, officer["email"], officer["password"])
    upload(page, city, counts, boundaries)
    job = urlpath(page.url)
    choose_columns(page, tag)

    alert = page.get_by_role("alert").filter(has_text="The files were not imported")
    alert.wait_for(timeout=60_000)
    heading = alert.get_by_role("heading").inner_text()
    found = re.fullmatch(
        r"The files were not imported: (\d+) problems\. Nothing was written\.", heading
    )
    assert found, heading
    problems = [p.strip() for p in alert.get_by_role("listitem").all_inner_texts()]
    assert len(problems) == int(found.group(1)), problems
    for expected in [
        "Line 3: france is negative.",
        "Line 4: france (80) is larger than the total (70).",
        "Line 7: france is not a whole number.",
        f"Line 7: code “{codes[0]}” already on line 2.",
        f"Feature 6: “{codes[5]}” is not in the counts.",
    ]:
        assert expected in problems, (expected, problems)
    # The files are kept to choose again; nothing else was.
    assert page.get_by_role("heading", name="Which column is what").is_visible()
    assert page.get_by_role("button", name="Check and import").is_visible()
    assert urlpath(page.url) == job
    log_in(axe_page, officer["email"], officer["password"])
    check_page(axe_page, axe_source, job)

    page.goto(f"/insights/{city}/")
    main = page.get_by_role("main").inner_text()
    assert "No neighbourhood data for this city yet." in main
    datasets = page.locator("h2#datasets + ul").inner_text()
    assert datasets.strip() == "None yet.", datasets
    for code in codes:
        response = page.goto(f"/places/{city}-{code}/")
        assert response is not None and response.status == 404, code
    page.goto(f"/places/{city}/")
    place = page.get_by_role("main").inner_text()
    assert not [name for name in geofiles.NAMES if name in place], place

    # The command line refuses the same files, naming the line, and prints no figures.
    result = run_command(server, counts, boundaries)
    assert result.returncode != 0 and not result.stdout.strip(), result.stdout
    assert "Line 3" in result.stderr, result.stderr
