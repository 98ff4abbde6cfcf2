"""What every app's demo (``<app>/demo.py``) shares: the demo people's e-mail domain and password,
the people's roles in the story, and the clock every demo date is read from.

The network's demo (places, topics, organisations, spaces, people) is ``cocity/network/demo.py``.

**One story, whatever the day.** Every date of the demo is placed relative to the day
``cocity demo-data`` runs (``timezone.localdate()``), so the story never contradicts itself: what
is upcoming is still to come, what is past happened in order (a pact submitted, reviewed,
co-designed, then signed on the day its signatures carry, reported on after), and nothing in a
history is dated in the future. Run again later, the demo re-anchors its dates on the new day.
``tests/core/test_demo_story.py`` checks these invariants for the demo built today, in a year and
on edge days (29 February, 31 December).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from cocity.core.translations import Translatable

DEMO_PASSWORD = "cocity-demo"  # noqa: S105 - printed by `make demo`; demo data only
DEMO_DOMAIN = "demo.cocity.localhost"

# Who does what in the story (printed by `cocity demo-data` and `make demo`, told in the README).
ROLES: list[tuple[str, str]] = [
    ("claire", "facilitates the open Cities of Equality brainstorm and its action plan (ANCT)"),
    ("lena", "organises the Dialogues in Coproduction webinars (Fairville)"),
    ("giulia", "reviews and signs collaboration pacts for the Comune di Bologna"),
    ("ana", "co-designs the Corticella school pact, ready to sign; hosts the peer learning"),
    ("youssef", "co-signer of the Corticella pact; his Piazza proposal waits for review"),
    ("nikos", "cares for the Fioravanti garden under a signed pact and files its reports"),
    ("camille", "reports on Lyon's pledge (its next report is due in three weeks)"),
    ("sophie", "Ville de Marseille (its pledge report is overdue), Fairville Lab Marseille"),
    ("amina", "Fairville Lab Dakar: registered for the next webinar, can post ideas"),
    ("pieter", "co-facilitates Cities of Equality; runs the EUROCITIES working groups"),
    ("admin", "staff: the admin site (/admin/) and moderation"),
]


def today() -> dt.date:
    """The day the demo is built: every demo date is counted from it."""
    return timezone.localdate()


def on_or_before(day: dt.date, weekday: int) -> dt.date:
    """The last ``weekday`` (Monday 0) on or before ``day``."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def on_or_after(day: dt.date, weekday: int) -> dt.date:
    """The first ``weekday`` (Monday 0) on or after ``day``."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def at(day: dt.date, hour: int, minute: int = 0, zone: str = "Europe/Paris") -> dt.datetime:
    """An aware moment: ``day`` at ``hour:minute`` wall-clock time in ``zone``."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def keep_translations(
    obj: Translatable, original_language: str, translations: dict[str, dict[str, str]]
) -> int:
    """Keep people's translations of a demo object (``{"fr": {"name": "…"}}``), written as a
    person's are (``save_translation``: checked, never overwritten by a machine), each only
    when it differs from what is kept; the object's original is in ``original_language``.
    Returns 1 when something changed, else 0 (a second build changes nothing)."""
    from cocity.core.translations import save_translation

    changed = 0
    if obj.original_language != original_language:
        type(obj)._default_manager.filter(pk=obj.pk).update(original_language=original_language)
        obj.original_language = original_language
        changed = 1
    for language, values in translations.items():
        kept = (obj.translations or {}).get(language)
        wanted = {name: text for name, text in values.items() if text}
        if kept != wanted:
            obj.translations = save_translation(obj, language, wanted).translations
            changed = 1
    return changed


def people_and_roles() -> str:
    """Lines for the terminal: each demo person's log-in and what they do in the story."""
    return "\n".join(f"  {local + '@' + DEMO_DOMAIN:<34} {role}" for local, role in ROLES)
