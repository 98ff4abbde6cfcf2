"""CSV downloads: one writer for every app, with the spreadsheet-formula guard on every cell.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula, so text from people (titles, names, answers, the column names of
an uploaded file) could run in the spreadsheet of whoever opens the download. Every text cell,
the header included, that starts with one of those characters gets a leading ``'``, which the
spreadsheet shows as text. An empty cell stays empty, ``None`` is an empty cell, and numbers
(``int``, ``float``, ``Decimal``) are written as numbers: ``-3`` stays ``-3``.

``csv_response`` answers with the whole file; ``csv_streaming_response`` writes rows as they come
(for exports of any length).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"


def neutralise(value: Any) -> Any:
    """A cell as it is written: a number as it is, anything else as text, guarded."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]


class _Echo:
    """A file that hands back what is written to it (for streaming)."""

    def write(self, value: str) -> str:
        return value


def _disposition(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"


def csv_response(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], *, filename: str
) -> HttpResponse:
    """The whole CSV file as a download named ``filename``."""
    response = HttpResponse(content_type=CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    writer = csv.writer(response)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return response


def csv_streaming_response(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], *, filename: str
) -> StreamingHttpResponse:
    """The CSV file as a download named ``filename``, written row by row as ``rows`` yields."""
    writer = csv.writer(_Echo())
    head = safe_row(header)

    def lines() -> Iterator[str]:
        yield writer.writerow(head)
        for row in rows:
            yield writer.writerow(safe_row(row))

    response = StreamingHttpResponse(lines(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    return response
