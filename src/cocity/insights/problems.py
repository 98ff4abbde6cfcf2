"""Problems found in an uploaded data set, kept as a message and its values so that they are
shown in the reader's language: at once on the import form, or later on the data set's page when
a queued import finds them (the task runs in no one's language).

A problem is an ``io.Problem`` (an English message of the catalogue and its values), a boundary's
``GeoJSONError`` (translated by ``cocity.core.geo``), or a plain string. A value of a problem may
itself be one (a feature's boundary problem inside "Feature 2 (code): ..."). ``as_json`` and
``from_json`` keep them in a ``JSONField``; ``texts`` gives the first ``SHOWN`` in the active
language and says how many more there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.core import geo
from cocity.core.geojson import GeoJSONError
from cocity.core.numbers import format_number

from .io import MAX_REPORTED, Problem

SHOWN = MAX_REPORTED

AnyProblem = Problem | GeoJSONError | str


def text(problem: AnyProblem) -> str:
    """One problem in the active language."""
    if isinstance(problem, GeoJSONError):
        return geo.message(problem)
    if isinstance(problem, Problem):
        params = {
            key: text(value) if isinstance(value, Problem | GeoJSONError) else value
            for key, value in problem.params.items()
        }
        return _(problem.message) % params
    return str(problem)


def texts(problems: Sequence[AnyProblem], total: int | None = None) -> list[str]:
    """The first ``SHOWN`` problems, then "... and K more problems." when there are more
    (``total``: how many there were, when only the first ones were kept)."""
    total = len(problems) if total is None else max(total, len(problems))
    shown = [text(p) for p in problems[:SHOWN]]
    more = total - len(shown)
    if more > 0:
        shown.append(
            ngettext("… and %(count)s more problem.", "… and %(count)s more problems.", more)
            % {"count": format_number(more, 0)}
        )
    return shown


def as_json(problem: AnyProblem) -> Any:
    if isinstance(problem, GeoJSONError):
        return {"boundary": problem.code, "params": problem.params}
    if isinstance(problem, Problem):
        return {
            "message": problem.message,
            "params": {key: as_json(value) for key, value in problem.params.items()},
        }
    return problem


def from_json(data: Any) -> Any:
    if isinstance(data, dict) and "boundary" in data:
        return GeoJSONError(data["boundary"], **(data.get("params") or {}))
    if isinstance(data, dict) and "message" in data:
        params = {key: from_json(value) for key, value in (data.get("params") or {}).items()}
        return Problem(data["message"], params)
    return data
