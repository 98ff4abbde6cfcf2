"""A city's own files, read as they come: counts from CSV (any common delimiter and encoding) or
Excel (.xlsx), boundaries from GeoJSON, GeoPackage or a zipped Shapefile in any projection, and
templates of each format with a city's codes.

No Django: the import pages, the background import and the command call the same readers. What
a file is comes from its content, never its name (a name that says otherwise is a problem, so a
person who picked the wrong file hears it at once). Every problem is an ``io.Problem`` naming
the line (the header is line 1; in a spreadsheet, the sheet's row) or the feature (1-based) and
the column, all raised at once through ``io.InputError``.

``inspect_table`` and ``inspect_boundaries`` look at a file before anything is chosen (its
columns, first rows, encoding, delimiter or projection: what the page shows for the choice of
columns); ``TableInfo`` and ``LayerInfo`` are stored on the import job as JSON. Then
``table_records`` streams the rows into ``io.parse_records`` (memory flat for a million rows) and
``read_boundaries`` reads, checks, reprojects and, when asked, repairs every polygon in vectorised
passes (GDAL through pyogrio, pyproj, shapely) before the one boundary rule of
``cocity.core.geojson`` is applied to the result.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io as _io
import json
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import numpy as np
import shapely
from numpy.typing import NDArray

from cocity.core import geojson

from .io import Formula, InputError, Problem, _records, gettext_noop

__all__ = [
    "Boundaries",
    "Formula",
    "LayerInfo",
    "TableInfo",
    "inspect_boundaries",
    "inspect_table",
    "read_boundaries",
    "repairable",
    "table_records",
    "write_template",
]

SAMPLE = 1 << 20  # bytes looked at to tell a file's kind, encoding and delimiter
DELIMITERS = ",;\t|"
PREVIEW_CELL = 200  # characters of a cell kept in a preview
TABLE_MAX_UNZIPPED = 2**31  # an Excel workbook's parts, uncompressed (1,000,000 rows fit)
MAX_RATIO = 100  # a zip member above RATIO_FLOOR bytes compressed more than this is refused
RATIO_FLOOR = 2**20
WGS84 = "EPSG:4326"

# Encodings charset_normalizer may choose among when a CSV file is not UTF-8: what spreadsheets
# and older systems in Europe write.
_GUESSES = ["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850"]

_SQLITE = b"SQLite format 3\0"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")

# What a file holds, said in a problem ("The file is named x.csv but holds a zip archive.").
_HOLDS = {
    "text": gettext_noop("text"),
    "json": gettext_noop("JSON text (GeoJSON)"),
    "xlsx": gettext_noop("an Excel workbook (.xlsx)"),
    "ole2": gettext_noop("an old Excel file (.xls) or a password-protected workbook"),
    "ods": gettext_noop("an OpenDocument spreadsheet (.ods)"),
    "shp.zip": gettext_noop("a zipped Shapefile"),
    "zip": gettext_noop("a zip archive"),
    "gpkg": gettext_noop("a GeoPackage (SQLite database)"),
    "pdf": gettext_noop("a PDF document"),
    "binary": gettext_noop("binary data, not text"),
    "empty": gettext_noop("nothing (it is empty)"),
}
# What a file's extension promises (a kind of ``_HOLDS``; a .zip may hold any zip but a workbook).
_EXTENSIONS = {
    ".csv": {"text"},
    ".tsv": {"text"},
    ".txt": {"text"},
    ".xlsx": {"xlsx"},
    ".xlsm": {"xlsx"},
    ".xls": {"ole2"},
    ".ods": {"ods"},
    ".zip": {"shp.zip", "zip"},
    ".gpkg": {"gpkg"},
    ".geojson": {"json"},
    ".json": {"json"},
    ".pdf": {"pdf"},
}


def _problem(message: str, **params: Any) -> Problem:
    return Problem(message, params)


# --------------------------------------------------------------------------- what a file holds


def _kind(path: Path) -> str:
    """What a file holds, by its first bytes (and a zip's table of contents)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE)
    except OSError as exc:
        raise InputError([_problem(gettext_noop("The file cannot be read."))]) from exc
    if not head:
        return "empty"
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                if "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument"
                ):
                    return "ods"
        except (zipfile.BadZipFile, OSError, KeyError, NotImplementedError):
            return "binary"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if any(n.lower().endswith(".shp") for n in names):
            return "shp.zip"
        return "zip"
    if head.startswith(_SQLITE):
        return "gpkg"
    if head.startswith(_OLE2):
        return "ole2"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if b"\0" in head:
        return "binary"
    if head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{"):
        return "json"
    return "text"


def _check_kind(kind: str, filename: str, wanted: set[str], wrong: str) -> None:
    """A problem when the name promises another kind than the content, or when the content is
    not one of ``wanted`` (``wrong``: the message saying what is expected)."""
    suffix = PurePosixPath(filename.lower()).suffix
    promised = _EXTENSIONS.get(suffix)
    holds = _problem(_HOLDS[kind])
    if kind == "ole2" and (promised is None or promised == {"ole2"} or "xlsx" in promised):
        raise InputError(
            [
                _problem(
                    gettext_noop(
                        "%(filename)s is an old Excel file (.xls) or a password-protected "
                        "workbook: save it as .xlsx (without a password) or as CSV."
                    ),
                    filename=filename,
                )
            ]
        )
    if kind == "empty":
        raise InputError([_problem(gettext_noop("The file is empty."))])
    if promised is not None and kind not in promised:
        raise InputError(
            [
                _problem(
                    gettext_noop("The file is named %(filename)s but holds %(holds)s."),
                    filename=filename,
                    holds=holds,
                )
            ]
        )
    if kind not in wanted:
        raise InputError([_problem(wrong, filename=filename, holds=holds)])


def _zip_members(path: Path, *, max_unzipped: int) -> list[zipfile.ZipInfo]:
    """A zip's members, refused before anything is uncompressed when they would unpack to more
    than ``max_unzipped`` bytes, or when one above a megabyte is compressed more than
    ``MAX_RATIO`` to one (a zip bomb); nested zips and paths leaving the archive are refused
    too. Python's zipfile and GDAL both stop a member at its declared size."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError([_problem(gettext_noop("The zip archive cannot be read."))]) from exc
    total = sum(m.file_size for m in members)
    if total > max_unzipped:
        raise InputError(
            [
                _problem(
                    gettext_noop(
                        "The zip archive would unpack to %(size)d MB, more than the %(limit)d MB "
                        "accepted."
                    ),
                    size=total // 2**20,
                    limit=max_unzipped // 2**20,
                )
            ]
        )
    problems = []
    for member in members:
        name = member.filename
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            problems.append(
                _problem(
                    gettext_noop(
                        "%(member)s in the zip archive is compressed more than %(ratio)d to 1; "
                        "it is refused as a possible zip bomb."
                    ),
                    member=name[:80],
                    ratio=MAX_RATIO,
                )
            )
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            problems.append(
                _problem(
                    gettext_noop("%(member)s in the zip archive points outside it."),
                    member=name[:80],
                )
            )
        if name.lower().endswith(".zip"):
            problems.append(
                _problem(
                    gettext_noop(
                        "%(member)s is a zip inside the zip archive: unzip it and send it alone."
                    ),
                    member=name[:80],
                )
            )
    if problems:
        raise InputError(problems)
    return members


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableInfo:
    """What a counts file was found to be: shown for the choice of columns, stored on the
    import job, and given back to ``table_records`` to read it the same way."""

    kind: str  # "csv" | "xlsx"
    encoding: str | None  # csv: "utf-8", "utf-8-sig", "utf-16", "cp1252", "iso8859-1"...
    delimiter: str | None  # csv: one of DELIMITERS
    sheet: str | None  # xlsx: the sheet read (the active one, the first unless saved otherwise)
    columns: list[str]  # header cells, stripped
    preview: list[list[str]]  # the first data rows, as text
    rows: int | None  # data rows (non-empty), when the file is small enough to count at once

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TableInfo:
        return cls(
            kind=data["kind"],
            encoding=data.get("encoding"),
            delimiter=data.get("delimiter"),
            sheet=data.get("sheet"),
            columns=list(data.get("columns") or []),
            preview=[list(row) for row in data.get("preview") or []],
            rows=data.get("rows"),
        )


def inspect_table(path: str | Path, *, filename: str, rows: int = 10) -> TableInfo:
    """A counts file's kind (by content), encoding and delimiter (CSV) or sheet (Excel), its
    columns and first ``rows`` rows; ``InputError`` when it is not a CSV or Excel file, or when
    those first rows cannot be read."""
    path = Path(path)
    kind = _kind(path)
    _check_kind(
        kind,
        filename,
        {"text", "xlsx"},
        gettext_noop(
            "%(filename)s holds %(holds)s; the counts must be a CSV or Excel (.xlsx) file."
        ),
    )
    small = path.stat().st_size <= SAMPLE
    if kind == "xlsx":
        _zip_members(path, max_unzipped=TABLE_MAX_UNZIPPED)
        sheet = _sheet_name(path)
        info = TableInfo("xlsx", None, None, sheet, [], [], None)
    else:
        encoding, text = _encoding(path)
        info = TableInfo("csv", encoding, _delimiter(text), None, [], [], None)
    records = table_records(path, info)
    preview: list[list[str]] = []
    count = 0
    try:
        header = next(records, None)
        if header is None:
            raise InputError([_problem(gettext_noop("The file has no rows."))])
        for _line, cells in records:
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if len(preview) < rows:
                preview.append([str(c)[:PREVIEW_CELL] for c in cells])
            elif not small:
                break
    finally:
        records.close()  # the file (or the workbook) is closed now, not when collected
    columns = [c.strip() for c in header[1]]
    return TableInfo(
        kind=info.kind,
        encoding=info.encoding,
        delimiter=info.delimiter,
        sheet=info.sheet,
        columns=columns,
        preview=preview,
        rows=count if small else None,
    )


def table_records(
    path: str | Path, info: TableInfo
) -> Generator[tuple[int, list[str]], None, None]:
    """Each row of the file as ``(line, cells)``, the header first, read as ``info`` says and
    streamed (the file is never held whole): what ``io.parse_records`` takes. Spreadsheet rows
    are numbered as the sheet numbers them, empty ones left out; a formula cell is a
    ``Formula``."""
    if info.kind == "xlsx":
        return _sheet_records(Path(path), info.sheet)
    return _csv_records(Path(path), info.encoding or "utf-8", info.delimiter or ",")


def _csv_records(
    path: Path, encoding: str, delimiter: str
) -> Generator[tuple[int, list[str]], None, None]:
    line = 0
    try:
        with path.open("rb") as handle:
            for line, cells in _records(_lines(handle, encoding), delimiter=delimiter):
                yield line, cells
    except UnicodeDecodeError as exc:
        raise InputError(
            [
                _problem(
                    gettext_noop("Line %(line)d: not readable as %(encoding)s text."),
                    line=line + 1,
                    encoding=encoding,
                )
            ]
        ) from exc
    except OSError as exc:
        raise InputError([_problem(gettext_noop("The file cannot be read."))]) from exc


_LONE_CR = re.compile(r"(?<=\r)(?!\n)")
_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")


def _lines(handle: BinaryIO, encoding: str) -> Iterator[str]:
    """The text of a file line by line, decoded as the csv module reads it (so a byte the
    encoding cannot read is found at the record holding it, not a buffer earlier). UTF-16 is
    decoded in blocks (its newline is two bytes); a lone carriage return ends a line too."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    if encoding.startswith("utf-16"):
        pending = ""
        while block := handle.read(2**16):
            lines = _LINE_END.split(pending + decoder.decode(block))
            pending = lines.pop()  # "" after a line end; else a line the next block ends
            if lines and lines[-1].endswith("\r"):  # its "\n" may start the next block
                pending = lines.pop() + pending
            yield from (line for line in lines if line)
        pending += decoder.decode(b"", final=True)
        yield from (line for line in _LINE_END.split(pending) if line)
        return
    for raw in handle:
        text = decoder.decode(raw)
        if "\r" in text[:-2]:
            yield from _LONE_CR.split(text)
        else:
            yield text
    rest = decoder.decode(b"", final=True)
    if rest:
        yield rest


def _encoding(path: Path) -> tuple[str, str]:
    """The encoding of a CSV file and its first (up to ``SAMPLE`` bytes) text: a byte order
    mark, else UTF-8 when its first and last megabytes read as such, else charset_normalizer's
    guess among the encodings spreadsheets write (the last rows are looked at too: a file of
    codes and numbers may have its first accented name at its end)."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE)
        complete = not handle.read(1)
        tail = b""
        if not complete:
            handle.seek(max(path.stat().st_size - SAMPLE, SAMPLE))
            tail = handle.read(SAMPLE).lstrip(bytes(range(0x80, 0xC0)))  # a cut character
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            try:
                return name, codecs.getincrementaldecoder(name)().decode(head, final=complete)
            except UnicodeDecodeError as exc:
                raise InputError(
                    [
                        _problem(
                            gettext_noop("The file starts as %(encoding)s text but is not."),
                            encoding=name,
                        )
                    ]
                ) from exc
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
        tail.decode("utf-8")
        return "utf-8", text
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    sample = head + b"\n" + tail if tail else head
    best = charset_normalizer.from_bytes(sample, cp_isolation=_GUESSES).best()
    name = codecs.lookup(best.encoding).name if best is not None else "cp1252"
    if name != "cp1252":
        # A short sample (a few accented names) reads the same in several of these encodings:
        # Windows-1252, what spreadsheets in Western Europe write, is then the one named.
        try:
            if sample.decode("cp1252") == sample.decode(name):
                name = "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        return name, head.decode(name, errors="strict")
    except UnicodeDecodeError:
        return "iso8859-1", head.decode("iso8859-1")


def _delimiter(text: str) -> str:
    """The delimiter of a CSV text's first lines: ``csv.Sniffer``'s pick among ``DELIMITERS``
    when it splits the lines into one consistent number of columns (at least two), else the
    delimiter giving the most lines with the header's number of columns."""
    lines = text.splitlines(keepends=True)[:51]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample cut a line
    sample = "".join(lines)

    def widths(delimiter: str) -> list[int]:
        try:
            return [len(r) for r in csv.reader(_io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            return []

    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed:
        found = widths(sniffed)
        if found and found[0] > 1 and all(w == found[0] for w in found):
            return sniffed

    def score(delimiter: str) -> tuple[int, int]:
        found = widths(delimiter)
        if not found or found[0] < 2:
            return (0, 0)
        return (sum(w == found[0] for w in found), found[0])

    best = max(DELIMITERS, key=score)
    return best if score(best) > (0, 0) else ","


_DAMAGED = gettext_noop(
    "The Excel workbook cannot be read (damaged or protected): save it again as .xlsx, or as CSV."
)


@contextmanager
def _workbook(path: Path) -> Iterator[tuple[Any, list[tuple[str, str]], int]]:
    """An open workbook (openpyxl's reader, its shared strings and styles read), its worksheets
    (name, part in the zip) and which of them is active (the one shown on opening).

    ``openpyxl.load_workbook(read_only=True)`` is not used: for a sheet without a
    ``<dimension>`` element (openpyxl's own write-only files, some exports) it parses the whole
    sheet once per sheet just to size it, before any row is read."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        reader = ExcelReader(str(path), read_only=True, data_only=False)
    except Exception as exc:
        raise InputError([_problem(_DAMAGED)]) from exc
    try:
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            found = list(reader.parser.find_sheets())
        except Exception as exc:
            raise InputError([_problem(_DAMAGED)]) from exc
        sheets = [
            (str(sheet.name), str(rel.target))
            for sheet, rel in found
            if rel.target in reader.valid_files and "chartsheet" not in str(rel.Type)
        ]
        if not sheets:
            raise InputError([_problem(gettext_noop("The Excel workbook has no sheet."))])
        active = getattr(reader.wb, "_active_sheet_index", 0) or 0
        chosen = found[active][0].name if 0 <= active < len(found) else None
        index = next((i for i, (name, _) in enumerate(sheets) if name == chosen), 0)
        yield reader, sheets, index
    finally:
        reader.archive.close()


def _sheet_name(path: Path) -> str:
    with _workbook(path) as (_reader, sheets, active):
        return sheets[active][0]


def _number_text(value: str, style: int, sheet: _SheetFormats) -> str:
    """A number cell's text: whole numbers without ``.0``, other floats as Python writes them
    (exact), dates and times (by the cell's style) in ISO 8601."""
    try:
        number: int | float = int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            return value
    if style in sheet.dates or style in sheet.durations:
        from openpyxl.utils.datetime import from_excel

        try:
            moment = from_excel(number, sheet.epoch, timedelta=style in sheet.durations)
        except (ValueError, OverflowError):
            moment = None
        if isinstance(moment, dt.datetime) and moment.time() == dt.time(0):
            return moment.date().isoformat()
        if isinstance(moment, dt.datetime | dt.date | dt.time):
            return moment.isoformat()
        if moment is not None:
            return str(moment)
    if isinstance(number, float):
        if math.isfinite(number) and number == int(number) and abs(number) < 2**63:
            return str(int(number))
        return repr(number)
    return str(number)


@dataclass(frozen=True)
class _SheetFormats:
    strings: list[str]
    dates: set[int]  # style ids that show a number as a date
    durations: set[int]
    epoch: dt.datetime


def _column(ref: str) -> int:
    number = 0
    for letter in ref.rstrip("0123456789"):
        number = number * 26 + ord(letter.upper()) - 64
    return number


def _sheet_rows(source: BinaryIO, sheet: _SheetFormats) -> Iterator[tuple[int, dict[int, str]]]:
    """The rows of a worksheet's XML as ``(row number, {column: text})``, read with expat in
    blocks (a row at a time in memory): a formula cell is a ``Formula`` (``=`` and its text),
    shared and inline strings, booleans (``TRUE``/``FALSE``), errors (``#DIV/0!``) as text.
    openpyxl's own parser takes about three times as long, per cell, in pure Python."""
    from xml.parsers import expat

    rows: list[tuple[int, dict[int, str]]] = []
    state: dict[str, Any] = {"row": 0, "column": 0, "cells": {}, "buffer": None}

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rpartition(":")[2]
        if tag == "c":
            ref = attrs.get("r")
            state["column"] = _column(ref) if ref else state["column"] + 1
            state["type"] = attrs.get("t", "n")
            state["style"] = int(attrs.get("s") or 0)
            state["value"] = state["formula"] = None
            state["inline"] = []
        elif tag in ("v", "f", "t"):
            state["buffer"] = []
        elif tag == "row":
            ref = attrs.get("r")
            state["row"] = int(ref) if ref else state["row"] + 1
            state["column"] = 0
            state["cells"] = {}
        elif tag == "rPh":  # phonetic hints of East Asian text: not the cell's text
            state["phonetic"] = True

    def text(data: str) -> None:
        if state["buffer"] is not None:
            state["buffer"].append(data)

    def end(tag: str) -> None:
        tag = tag.rpartition(":")[2]
        if tag in ("v", "f", "t"):
            content = "".join(state["buffer"] or ())
            state["buffer"] = None
            if tag == "v":
                state["value"] = content
            elif tag == "f":
                state["formula"] = content
            elif not state.get("phonetic"):
                state["inline"].append(content)
        elif tag == "rPh":
            state["phonetic"] = False
        elif tag == "c":
            state["cells"][state["column"]] = _cell(state, sheet)
        elif tag == "row":
            rows.append((state["row"], state["cells"]))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    while block := source.read(2**16):
        parser.Parse(block, False)
        yield from rows
        rows.clear()
    parser.Parse(b"", True)
    yield from rows


def _cell(state: dict[str, Any], sheet: _SheetFormats) -> str:
    kind, value = state["type"], state["value"]
    if state["formula"] is not None:
        return Formula("=" + state["formula"])
    if kind == "inlineStr":
        return "".join(state["inline"])
    if value is None or value == "":
        return ""
    if kind == "s":
        return sheet.strings[int(value)]
    if kind == "b":
        return "TRUE" if value.strip() in ("1", "true") else "FALSE"
    if kind == "n":
        return _number_text(value, state["style"], sheet)
    return str(value)  # "str" (a formula's text), "e" (#DIV/0!), "d" (an ISO date)


def _sheet_records(path: Path, sheet: str | None) -> Generator[tuple[int, list[str]], None, None]:
    with _workbook(path) as (reader, sheets, active):
        targets = dict(sheets)
        if sheet is not None and sheet not in targets:
            raise InputError(
                [_problem(gettext_noop("The Excel workbook has no sheet %(sheet)s."), sheet=sheet)]
            )
        target = targets[sheet] if sheet is not None else sheets[active][1]
        formats = _SheetFormats(
            strings=[str(s) for s in reader.shared_strings],
            dates=set(reader.wb._date_formats),
            durations=set(reader.wb._timedelta_formats),
            epoch=reader.wb.epoch,
        )
        width: int | None = None
        line = 0
        try:
            with reader.archive.open(target) as source:
                for line, texts in _sheet_rows(source, formats):
                    used = [column for column, text in texts.items() if text.strip()]
                    if not used:
                        continue
                    last = max(used) if width is None else max(width, *used)
                    cells = [texts.get(column, "") for column in range(1, last + 1)]
                    if width is None:
                        width = len(cells)
                    yield line, cells
        except InputError:
            raise
        except Exception as exc:  # a damaged sheet: bad XML, a string index out of range...
            raise InputError(
                [
                    _problem(
                        gettext_noop("Line %(line)d: the Excel sheet cannot be read further."),
                        line=line + 1,
                    )
                ]
            ) from exc


# --------------------------------------------------------------------------- boundaries


@dataclass(frozen=True)
class LayerInfo:
    """What a boundaries file was found to be: shown for the choice of the code and name
    attributes (with its projection), stored on the import job as JSON."""

    kind: str  # "geojson" | "gpkg" | "shp.zip"
    layer: str | None
    crs: str | None  # "EPSG:2154", or the projection's WKT when it has no code
    crs_name: str | None  # "RGF93 v1 / Lambert-93"
    geometry_type: str  # as the file declares it
    columns: list[str]  # attribute names
    preview: list[dict[str, str]]  # the first features' attributes, as text
    features: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LayerInfo:
        return cls(
            kind=data["kind"],
            layer=data.get("layer"),
            crs=data.get("crs"),
            crs_name=data.get("crs_name"),
            geometry_type=data.get("geometry_type") or "Unknown",
            columns=list(data.get("columns") or []),
            preview=[dict(row) for row in data.get("preview") or []],
            features=int(data.get("features") or 0),
        )


@dataclass
class Boundaries:
    """Checked boundaries in the file's order: each unit's code (``key`` applied), name (when a
    name attribute was chosen), GeoJSON geometry in longitude/latitude (WGS84) and feature
    number, and what a repair changed."""

    codes: list[str]
    names: list[str] | None
    geometries: list[dict[str, Any]]
    features: list[int]
    repairs: list[Problem] = field(default_factory=list)


_INVALID = gettext_noop("Feature %(number)d (%(code)s): invalid polygon (%(reason)s).")


def repairable(problems: Sequence[Problem | Any]) -> bool:
    """Whether every problem is an invalid polygon that ``read_boundaries(repair=True)`` can
    repair with ``make_valid`` (the page then offers to)."""
    return bool(problems) and all(
        isinstance(p, Problem) and p.message == _INVALID for p in problems
    )


def _source(path: Path, filename: str, max_unzipped: int) -> tuple[str, str]:
    """The kind of a boundaries file and the path GDAL reads."""
    kind = _kind(path)
    if PurePosixPath(filename.lower()).suffix == ".shp":
        raise InputError(
            [
                _problem(
                    gettext_noop(
                        "A Shapefile is several files: put the .shp, .shx, .dbf and .prj in one "
                        ".zip and send the zip."
                    )
                )
            ]
        )
    _check_kind(
        kind,
        filename,
        {"json", "gpkg", "shp.zip", "zip"},
        gettext_noop(
            "%(filename)s holds %(holds)s; the boundaries must be a GeoJSON, a GeoPackage or a "
            "zipped Shapefile."
        ),
    )
    if kind == "json":
        _check_depth(path)
        return "geojson", str(path)
    if kind == "gpkg":
        return "gpkg", str(path)
    members = _zip_members(path, max_unzipped=max_unzipped)
    names = [m.filename for m in members if not m.is_dir()]
    shps = [n for n in names if n.lower().endswith(".shp")]
    if not shps:
        raise InputError([_problem(gettext_noop("The zip archive holds no Shapefile (.shp)."))])
    if len(shps) > 1:
        raise InputError(
            [
                _problem(
                    gettext_noop(
                        "The zip archive holds %(count)d Shapefiles (%(names)s): send one at a "
                        "time."
                    ),
                    count=len(shps),
                    names=", ".join(s[:60] for s in shps[:5]),
                )
            ]
        )
    stem = shps[0][:-4]
    lower = {n.lower() for n in names}
    missing = [ext for ext in (".shx", ".dbf", ".prj") if (stem + ext).lower() not in lower]
    if missing:
        raise InputError(
            [
                _problem(
                    gettext_noop(
                        "The Shapefile %(name)s comes without its %(missing)s: put all its files "
                        "in the zip (the .prj gives its projection, the .dbf its attributes)."
                    ),
                    name=PurePosixPath(shps[0]).name[:60],
                    missing=", ".join(missing),
                )
            ]
        )
    return "shp.zip", f"/vsizip/{path}/{shps[0]}"


def _check_depth(path: Path) -> None:
    """GeoJSON nested deeper than ``geojson.MAX_DEPTH`` is refused before GDAL parses it, read
    in chunks (brackets counted first, strings told apart only when that count is too deep)."""
    depth = deepest = 0
    with path.open("rb") as handle:
        while chunk := handle.read(SAMPLE * 8):
            codes = np.frombuffer(chunk, dtype=np.uint8)
            steps = ((codes == ord("[")) | (codes == ord("{"))).astype(np.int32) - (
                (codes == ord("]")) | (codes == ord("}"))
            ).astype(np.int32)
            running = np.cumsum(steps) + depth
            if running.size:
                deepest = max(deepest, int(running.max()))
                depth = int(running[-1])
    if deepest > geojson.MAX_DEPTH and geojson.nesting_depth(path.read_bytes()) > geojson.MAX_DEPTH:
        raise InputError(
            [
                _problem(
                    gettext_noop("The GeoJSON is nested more than %(limit)d levels deep."),
                    limit=geojson.MAX_DEPTH,
                )
            ]
        )


def _layer(source: str, layer: str | None) -> str | None:
    import pyogrio

    try:
        layers = pyogrio.list_layers(source)
    except Exception as exc:
        raise InputError(
            [_problem(gettext_noop("The boundaries file cannot be read (damaged or incomplete)."))]
        ) from exc
    names = [str(name) for name, _type in layers]
    if layer is not None:
        if layer not in names:
            raise InputError(
                [_problem(gettext_noop("The file has no layer %(layer)s."), layer=layer)]
            )
        return layer
    with_geometry = [str(name) for name, kind in layers if kind]
    if not names:
        raise InputError([_problem(gettext_noop("The file has no layer."))])
    polygons = [str(name) for name, kind in layers if kind and "Polygon" in str(kind)]
    return (polygons or with_geometry or names)[0]


def _crs_of(kind: str, crs: str | None) -> tuple[str | None, str | None, Any]:
    """The file's projection as shown (authority code or WKT), its name, and the pyproj CRS."""
    from pyproj import CRS

    if not crs:
        if kind != "geojson":
            return None, None, None
        crs = WGS84  # RFC 7946: GeoJSON is longitude/latitude on WGS84
    try:
        parsed = CRS.from_user_input(crs)
    except Exception:
        return crs, None, None
    authority = parsed.to_authority()
    shown = f"{authority[0]}:{authority[1]}" if authority else crs
    if shown == "OGC:CRS84":
        shown = WGS84
    return shown, parsed.name, parsed


def _no_crs(kind: str) -> InputError:
    if kind == "shp.zip":
        message = gettext_noop("The Shapefile gives no projection: add its .prj file to the zip.")
    else:
        message = gettext_noop(
            "The GeoPackage gives no projection for its layer: set one in your GIS and save "
            "it again."
        )
    return InputError([_problem(message)])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value == int(value) else repr(float(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.datetime64):
        return "" if np.isnat(value) else str(value)
    return str(value)


def inspect_boundaries(
    path: str | Path,
    *,
    filename: str,
    layer: str | None = None,
    rows: int = 10,
    max_unzipped: int = 512 * 2**20,
) -> LayerInfo:
    """A boundaries file's kind (by content), layer (the first of polygons unless named), its
    projection, declared geometry type, attributes and first ``rows`` features' attributes.
    ``InputError`` when it is not a GeoJSON, GeoPackage or zipped Shapefile with its parts, or
    gives no projection."""
    import pyogrio

    kind, source = _source(Path(path), filename, max_unzipped)
    name = _layer(source, layer)
    try:
        info = pyogrio.read_info(source, layer=name, force_feature_count=True)
        _meta, _fids, _geometry, values = pyogrio.raw.read(
            source, layer=name, read_geometry=False, max_features=rows
        )
    except Exception as exc:
        raise InputError(
            [_problem(gettext_noop("The boundaries file cannot be read (damaged or incomplete)."))]
        ) from exc
    crs, crs_name, _parsed = _crs_of(kind, info.get("crs"))
    if crs is None:
        raise _no_crs(kind)
    columns = [str(c) for c in info["fields"]]
    preview = [
        {column: _text(values[j][i])[:PREVIEW_CELL] for j, column in enumerate(columns)}
        for i in range(len(values[0]) if values else 0)
    ]
    return LayerInfo(
        kind=kind,
        layer=name,
        crs=crs,
        crs_name=crs_name,
        geometry_type=str(info.get("geometry_type") or "Unknown"),
        columns=columns,
        preview=preview,
        features=int(info.get("features") or 0),
    )


def read_boundaries(
    path: str | Path,
    *,
    filename: str,
    code_property: str,
    name_property: str | None = None,
    layer: str | None = None,
    repair: bool = False,
    key: Callable[[str], str] = str.upper,
    max_unzipped: int = 512 * 2**20,
) -> Boundaries:
    """Every feature's code, name and polygon, checked, in longitude/latitude.

    Refused with every problem, by feature number and code: a missing or repeated code, a
    missing or empty geometry, a geometry that is not a Polygon or MultiPolygon (and which types
    the layer mixes), an invalid polygon (GEOS's reason; with ``repair``, ``make_valid`` keeps
    its polygonal parts and ``repairs`` says what changed), coordinates outside longitude and
    latitude once reprojected (a wrong projection), then anything the one boundary rule
    (``core.geojson.check_boundaries``) refuses. Vectorised: 100,000 polygons in seconds.
    """
    import pyogrio

    kind, source = _source(Path(path), filename, max_unzipped)
    name = _layer(source, layer)
    try:
        info = pyogrio.read_info(source, layer=name)
    except Exception as exc:
        raise InputError(
            [_problem(gettext_noop("The boundaries file cannot be read (damaged or incomplete)."))]
        ) from exc
    fields = [str(f) for f in info["fields"]]
    # the same attribute may be both the code and the name: read once, used twice
    wanted = [
        code_property,
        *([name_property] if name_property not in (None, "", code_property) else []),
    ]
    absent = [
        _problem(
            gettext_noop("The layer has no attribute %(column)s (it has: %(columns)s)."),
            column=column,
            columns=", ".join(fields[:30]),
        )
        for column in wanted
        if column not in fields
    ]
    if absent:
        raise InputError(absent)
    crs, _crs_name, parsed = _crs_of(kind, info.get("crs"))
    if crs is None:
        raise _no_crs(kind)
    try:
        _meta, _fids, wkb, values = pyogrio.raw.read(
            source, layer=name, columns=wanted, read_geometry=True, force_2d=True
        )
    except Exception as exc:
        raise InputError(
            [_problem(gettext_noop("The boundaries file cannot be read (damaged or incomplete)."))]
        ) from exc
    n = len(wkb)
    if n == 0:
        raise InputError([_problem(gettext_noop("The file has no features."))])
    problems: list[Problem] = []

    codes = [key(_text(v).strip()) for v in values[0]]
    names = [_text(v).strip() for v in values[-1]] if name_property else None
    seen: dict[str, int] = {}
    for number, code in enumerate(codes, start=1):
        if not code:
            problems.append(
                _problem(
                    gettext_noop("Feature %(number)d: empty %(column)s."),
                    number=number,
                    column=code_property,
                )
            )
        elif code in seen:
            problems.append(
                _problem(
                    gettext_noop(
                        "Feature %(number)d: %(column)s “%(code)s” already on feature %(first)d."
                    ),
                    number=number,
                    column=code_property,
                    code=code[:40],
                    first=seen[code],
                )
            )
        else:
            seen[code] = number

    def where(i: int) -> dict[str, Any]:
        return {"number": i + 1, "code": codes[i][:40]}

    shapes = shapely.from_wkb(np.asarray(wkb, dtype=object), on_invalid="ignore")
    missing = shapely.is_missing(shapes)
    usable = ~missing
    usable[usable] = ~shapely.is_empty(shapes[usable])
    problems.extend(
        _problem(gettext_noop("Feature %(number)d (%(code)s): no geometry."), **where(int(i)))
        for i in np.flatnonzero(~usable)
    )
    types = np.full(n, -1)
    types[usable] = shapely.get_type_id(shapes[usable])
    polygonal = (types == shapely.GeometryType.POLYGON) | (
        types == shapely.GeometryType.MULTIPOLYGON
    )
    others = np.flatnonzero(usable & ~polygonal)
    if others.size:
        found = sorted({_TYPE_NAMES[int(t)] for t in np.unique(types[usable])})
        problems.extend(
            _problem(
                gettext_noop(
                    "Feature %(number)d (%(code)s) is a %(type)s; the units must be areas."
                ),
                type=_TYPE_NAMES[int(types[i])],
                **where(int(i)),
            )
            for i in others
        )
        if len(found) > 1:
            problems.append(
                _problem(
                    gettext_noop(
                        "The layer mixes geometry types (%(types)s); the units must all be "
                        "polygons (Polygon or MultiPolygon)."
                    ),
                    types=", ".join(found),
                )
            )
    areas = usable & polygonal
    valid = np.zeros(n, dtype=bool)
    valid[areas] = shapely.is_valid(shapes[areas])
    invalid = np.flatnonzero(areas & ~valid)
    repairs: list[Problem] = []
    if invalid.size:
        reasons = shapely.is_valid_reason(shapes[invalid])
        if repair:
            fixed, notes = _repair(shapes[invalid], reasons, [where(int(i)) for i in invalid])
            shapes[invalid] = fixed
            for i, note in zip(invalid, notes, strict=True):
                if isinstance(note, Problem) and note.message == _UNREPAIRABLE:
                    problems.append(note)
                    areas[i] = False
                else:
                    repairs.append(note)
        else:
            problems.extend(
                _problem(_INVALID, reason=str(reason)[:120], **where(int(i)))
                for i, reason in zip(invalid, reasons, strict=True)
            )
    if parsed is not None and areas.any() and not _is_wgs84(parsed):
        from pyproj import Transformer

        transformer = Transformer.from_crs(parsed, WGS84, always_xy=True)

        def project(xy: NDArray[np.float64]) -> NDArray[np.float64]:
            lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([lon, lat])

        shapes[areas] = shapely.transform(shapes[areas], project)
    if areas.any():
        box = shapely.bounds(shapes[areas])
        inside = (
            np.isfinite(box).all(axis=1)
            & (box[:, 0] >= -180)
            & (box[:, 2] <= 180)
            & (box[:, 1] >= -90)
            & (box[:, 3] <= 90)
        )
        outside = np.flatnonzero(areas)[~inside]
        problems.extend(
            _problem(
                gettext_noop(
                    "Feature %(number)d (%(code)s): its coordinates fall outside longitude and "
                    "latitude once read in %(crs)s; is that the file's projection?"
                ),
                crs=crs,
                **where(int(i)),
            )
            for i in outside
        )
        areas[outside] = False
    if problems:
        raise InputError(problems)
    geometries = [json.loads(text) for text in shapely.to_geojson(shapes)]
    _checked, rule = geojson.check_boundaries(geometries, geographic=True)
    problems.extend(
        _problem(
            gettext_noop("Feature %(number)d (%(code)s): %(problem)s"),
            problem=problem,
            **where(i),
        )
        for i, problem in enumerate(rule)
        if problem is not None
    )
    if problems:
        raise InputError(problems)
    return Boundaries(
        codes=codes,
        names=names,
        geometries=geometries,
        features=list(range(1, n + 1)),
        repairs=repairs,
    )


_TYPE_NAMES = {int(t): t.name.title().replace("string", "String") for t in shapely.GeometryType}
_TYPE_NAMES.update(
    {
        int(shapely.GeometryType.LINESTRING): "LineString",
        int(shapely.GeometryType.LINEARRING): "LinearRing",
        int(shapely.GeometryType.MULTIPOINT): "MultiPoint",
        int(shapely.GeometryType.MULTILINESTRING): "MultiLineString",
        int(shapely.GeometryType.MULTIPOLYGON): "MultiPolygon",
        int(shapely.GeometryType.GEOMETRYCOLLECTION): "GeometryCollection",
    }
)

_UNREPAIRABLE = gettext_noop(
    "Feature %(number)d (%(code)s): invalid polygon (%(reason)s) with no area left once repaired."
)


def _repair(
    shapes: NDArray[np.object_], reasons: NDArray[np.object_], places: list[dict[str, Any]]
) -> tuple[NDArray[np.object_], list[Problem]]:
    """``make_valid`` of invalid polygons, keeping their polygonal parts, and what changed."""
    fixed = shapely.make_valid(shapes)
    out = np.empty(len(shapes), dtype=object)
    notes: list[Problem] = []
    for k, (before, after) in enumerate(zip(shapes, fixed, strict=True)):
        parts = [
            p
            for p in shapely.get_parts(shapely.get_parts(after))
            if shapely.get_type_id(p) == shapely.GeometryType.POLYGON and not p.is_empty
        ]
        reason = str(reasons[k]).split("[", 1)[0][:80]
        if not parts:
            out[k] = before
            notes.append(_problem(_UNREPAIRABLE, reason=reason, **places[k]))
            continue
        shape = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
        out[k] = shape
        old = abs(float(shapely.area(before)))
        new = float(shapely.area(shape))
        if old > 0:
            notes.append(
                _problem(
                    gettext_noop(
                        "Feature %(number)d (%(code)s): repaired (%(reason)s); area changed by "
                        "%(change).1f %%, now %(parts)d part(s)."
                    ),
                    reason=reason,
                    change=100 * (new - old) / old,
                    parts=len(parts),
                    **places[k],
                )
            )
        else:
            notes.append(
                _problem(
                    gettext_noop(
                        "Feature %(number)d (%(code)s): repaired (%(reason)s); now %(parts)d "
                        "part(s)."
                    ),
                    reason=reason,
                    parts=len(parts),
                    **places[k],
                )
            )
    return out, notes


def _is_wgs84(crs: Any) -> bool:
    from pyproj import CRS

    return bool(crs.equals(CRS.from_epsg(4326), ignore_axis_order=True)) or bool(
        crs.equals(CRS.from_user_input("OGC:CRS84"), ignore_axis_order=True)
    )


# --------------------------------------------------------------------------- templates

TEMPLATE_KINDS = ("csv", "xlsx", "geojson", "gpkg", "shp.zip")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # as cocity.core.csv guards downloads


def _guarded(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading ``'`` (``cocity.core.csv``'s
    guard, which needs Django)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_template(
    kind: str,
    path: str | Path,
    *,
    codes: list[str],
    names: list[str],
    geometries: list[dict[str, Any] | None] | None,
    groups: list[str],
    total: str = "total",
    code_column: str = "code",
    name_column: str = "name",
) -> None:
    """A file to fill in: one row (or feature) per code with its name, the group columns and the
    total left empty. CSV files are UTF-8 with a byte order mark (Excel opens them right);
    boundary formats carry the geometries (longitude/latitude, WGS84), and need them: a city
    without boundaries gets CSV or Excel only (``ValueError`` otherwise). Shapefile attribute
    names are cut to 10 characters by the format."""
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"unknown template kind {kind!r}")
    if len(names) != len(codes) or (geometries is not None and len(geometries) != len(codes)):
        raise ValueError("codes, names and geometries must have one entry per unit")
    header = [code_column, name_column, *groups, total]
    path = Path(path)
    if kind == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow([_guarded(h) for h in header])
            blank = [""] * (len(groups) + 1)
            for code, name in zip(codes, names, strict=True):
                writer.writerow([_guarded(code), _guarded(name), *blank])
        return
    if kind == "xlsx":
        _write_xlsx(path, header, codes, names)
        return
    if geometries is None:
        raise ValueError(f"a {kind} template needs the units' boundaries")
    import pyogrio.raw

    wkb = np.empty(len(codes), dtype=object)
    slots = [i for i, g in enumerate(geometries) if g]
    if slots:
        wkb[slots] = shapely.to_wkb(
            shapely.from_geojson([json.dumps(geometries[i]) for i in slots])
        )
    counts = [np.zeros(len(codes), dtype=np.int64) for _ in range(len(groups) + 1)]
    field_data = [np.array(codes, dtype=object), np.array(names, dtype=object), *counts]
    mask = [None, None, *[np.ones(len(codes), dtype=bool) for _ in counts]]
    options: dict[str, Any] = {
        "fields": header,
        "field_mask": mask,
        "crs": WGS84,
        "geometry_type": "MultiPolygon" if kind != "geojson" else "Unknown",
        "promote_to_multi": kind != "geojson",
        "encoding": "UTF-8",
    }
    if kind == "geojson":
        pyogrio.raw.write(str(path), wkb, field_data, driver="GeoJSON", **options)
        return
    if kind == "gpkg":
        pyogrio.raw.write(str(path), wkb, field_data, driver="GPKG", layer="units", **options)
        return
    folder = Path(tempfile.mkdtemp(prefix="cocity-template-"))
    try:
        pyogrio.raw.write(
            str(folder / "units.shp"), wkb, field_data, driver="ESRI Shapefile", **options
        )
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(folder.iterdir()):
                archive.write(part, part.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_xlsx(path: Path, header: list[str], codes: list[str], names: list[str]) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("counts")

    def text(value: str) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula, even when it starts with "="
        cell.number_format = "@"  # codes keep their leading zeros when edited
        return cell

    sheet.append([text(h) for h in header])
    blank = [None] * (len(header) - 2)
    for code, name in zip(codes, names, strict=True):
        sheet.append([text(code), text(name), *blank])
    workbook.save(path)
