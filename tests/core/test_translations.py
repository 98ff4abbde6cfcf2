"""English and French stay complete: every visible string is in the French catalogue."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

import cocity

SOURCE = Path(cocity.__file__).parent
CATALOGUE = SOURCE / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_french_translations_keep_their_placeholders() -> None:
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]|\{\{ ?(\w+) ?\}\}")
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        for source, translation in pairs:
            assert set(placeholder.findall(source)) == set(placeholder.findall(translation)), (
                f"placeholders differ in {entry.msgid!r}: {translation!r}"
            )


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is not installed")
def test_every_visible_string_is_in_the_french_catalogue(tmp_path: Path) -> None:
    """Extract the strings from the code as it is now and compare with the committed catalogue."""
    copy = tmp_path / "cocity"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    previous = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["fr"], no_location=True, verbosity=0)
    finally:
        os.chdir(previous)
    extracted = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE))}
    missing = sorted(e.msgid for e in extracted if (e.msgctxt, e.msgid) not in committed)
    assert not missing, (
        f"{len(missing)} strings are missing from the French catalogue "
        f"(run `make messages` and translate them): {missing[:30]}"
    )
