"""Every interface language stays complete: every visible string is in every catalogue, each
translated, with its placeholders and markup kept."""

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

import cocity

SOURCE = Path(cocity.__file__).parent
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLURAL_FORMS = {"ar": 6}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{ ?(\w+) ?\}\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(SOURCE / "locale" / language / "LC_MESSAGES" / "django.po"))


def test_every_interface_language_has_a_catalogue() -> None:
    assert set(LANGUAGES) == {"ar", "de", "el", "es", "fr", "nl"}
    for language in LANGUAGES:
        assert (SOURCE / "locale" / language / "LC_MESSAGES" / "django.po").exists(), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language: str) -> None:
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy: {fuzzy[:20]}"
    forms = PLURAL_FORMS.get(language, 2)
    short = [e.msgid for e in po if e.msgid_plural and len(e.msgstr_plural) != forms]
    assert not short, f"{language}: plural entries without {forms} forms: {short[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders_and_markup(language: str) -> None:
    for entry in catalogue(language).translated_entries():
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        for source, translation in pairs:
            assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(translation)), (
                f"{language}: placeholders differ in {entry.msgid!r}: {translation!r}"
            )
            assert sorted(TAG.findall(source)) == sorted(TAG.findall(translation)), (
                f"{language}: markup differs in {entry.msgid!r}: {translation!r}"
            )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str | None, str]]:
    """The strings of the code as it is now (makemessages on a copy of the sources)."""
    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed")
    copy = tmp_path_factory.mktemp("extract") / "cocity"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    previous = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["fr"], no_location=True, verbosity=0)
    finally:
        os.chdir(previous)
    po = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    return {(e.msgctxt, e.msgid) for e in po}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_visible_string_is_in_the_catalogue(
    language: str, extracted: set[tuple[str | None, str]]
) -> None:
    committed = {(e.msgctxt, e.msgid) for e in catalogue(language)}
    missing = sorted(msgid for context, msgid in extracted if (context, msgid) not in committed)
    assert not missing, (
        f"{len(missing)} strings are missing from the {language} catalogue "
        f"(run `make messages` and translate them): {missing[:30]}"
    )
