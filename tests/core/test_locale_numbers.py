"""Numbers that Python code writes into visible text follow the language (issue 19, "Locale
everywhere"): grouped as each language groups them, the same as the templates' ``number``."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from cocity.insights.io import Problem
from cocity.insights.problems import SHOWN, texts
from cocity.plans.panels import _item

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "… and 12,480 more problems."),
        ("fr", f"… et 12{NBSP}480 problèmes de plus."),
        ("de", "… und 12.480 weitere Probleme."),
    ],
)
def test_the_count_of_problems_not_shown_is_written_as_the_language_writes_numbers(
    language: str, expected: str
) -> None:
    problems = [Problem("Line %(line)s: not a number.", {"line": k}) for k in range(SHOWN + 1)]
    with translation.override(language):
        shown = texts(problems, total=12_480 + SHOWN)
    assert shown[-1] == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Action plan: 1,204 of 1,530 actions done"),
        ("fr", f"Plan d’action : 1{NBSP}204 actions réalisées sur 1{NBSP}530"),  # noqa: RUF001
        ("de", "Aktionsplan: 1.204 von 1.530 Vorhaben umgesetzt"),
    ],
)
def test_a_plans_progress_on_the_hub_is_written_as_the_language_writes_numbers(
    language: str, expected: str
) -> None:
    process = SimpleNamespace(
        title="Housing plan",
        get_absolute_url=lambda: "/processes/housing/",
        active_phase=lambda today: None,
        phases=SimpleNamespace(all=lambda: []),
        plan_actions=1530,
        plan_done=1204,
        plan_progress=78.7,
    )
    with translation.override(language):
        item = _item(process, datetime.date(2026, 12, 7))
    assert item.progress_label == expected
    assert item.progress == 79
