"""``cocity translate-content``: machine-translates what is missing with the chosen backend,
says what it did, and refuses a language the site does not offer or a backend that is off or
cannot run, with a clear message, no traceback, and nothing changed."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cocity.events.models import Event
from cocity.network.models import Space
from tests.factories import EventFactory, SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def written():
    """A space and an event written in English, while machine translation is off."""
    space = SpaceFactory(
        name="Housing lab",
        summary="Neighbours who fix empty homes together.",
        description="",
        original_language="en",
    )
    event = EventFactory(
        title="Garden day", summary="", description="", original_language="en", space=space
    )
    return space, event


def run(*args: str) -> str:
    out = StringIO()
    call_command("translate_content", *args, stdout=out)
    return out.getvalue()


def test_everything_missing_is_translated_and_the_figures_are_said(settings, written):
    space, event = written
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    models = ("--model", "network.Space", "--model", "events.Event")
    out = run("--language", "fr", "--language", "de", *models)
    space.refresh_from_db()
    event.refresh_from_db()
    assert space.machine_translations["fr"]["name"]["text"] == "[fr] Housing lab"
    assert space.machine_translations["de"]["summary"]["text"] == (
        "[de] Neighbours who fix empty homes together."
    )
    assert event.machine_translations["fr"]["title"]["backend"] == "echo"
    assert "es" not in space.machine_translations  # only the languages asked for
    # Space: name and summary, event: title; into two languages; 2 + 6 + 2 words, twice.
    assert "objects read: 2, texts translated: 6, words of the originals: 20," in out
    assert "Echo into fr, de" in out
    assert "Echo translates en → fr, de." in out  # the pairs, asked for before anything is read
    assert "words per second: " in out
    # Run again: nothing is missing any more.
    again = run("--language", "fr", *models)
    assert "objects read: 2, texts translated: 0, words of the originals: 0," in again


def test_a_persons_translation_is_left_alone(settings, written):
    from cocity.core.translations import save_translation

    space, _event = written
    save_translation(space, "fr", {"name": "Atelier logement"})
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    run("--language", "fr", "--model", "network.Space")
    space.refresh_from_db()
    assert space.translations["fr"] == {"name": "Atelier logement"}
    assert set(space.machine_translations["fr"]) == {"summary"}


def test_only_the_models_asked_for(settings, written):
    space, event = written
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    out = run("--language", "fr", "--model", "events.event")
    assert Event.objects.get(pk=event.pk).machine_translations["fr"]["title"]["text"]
    assert Space.objects.get(pk=space.pk).machine_translations == {}
    assert "texts translated: 1," in out


def test_the_backend_option_overrides_the_setting(settings, written):
    space, _event = written
    settings.COCITY_TRANSLATION_BACKEND = ""
    run("--backend", "echo", "--language", "es", "--model", "network.Space")
    space.refresh_from_db()
    assert space.machine_translations["es"]["name"]["text"] == "[es] Housing lab"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--language", "it"], ["does not offer it", "ar, de, el, en, es, fr, nl"]),
        (["--language", "fr", "--language", "xx"], ["does not offer xx"]),
        (["--model", "network.Membership"], ["network.Membership is not a translatable model"]),
        (["--batch", "0"], ["--batch must be at least 1"]),
    ],
)
def test_bad_input_is_refused_and_nothing_is_translated(settings, written, args, said):
    space, _event = written
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    with pytest.raises(CommandError) as error:
        run(*args)
    for part in said:
        assert part in str(error.value)
    space.refresh_from_db()
    assert space.machine_translations == {}


def test_machine_translation_off_is_said_with_what_to_do(settings, written):
    settings.COCITY_TRANSLATION_BACKEND = ""
    with pytest.raises(CommandError, match="Machine translation is off") as error:
        run()
    assert "COCITY_TRANSLATION_BACKEND" in str(error.value)
    assert "--backend" in str(error.value)


def test_a_misconfigured_backend_is_said_without_a_traceback(settings, written):
    settings.COCITY_TRANSLATION_BACKEND = "libretranslate"
    settings.COCITY_LIBRETRANSLATE_URL = ""
    with pytest.raises(CommandError, match="set COCITY_LIBRETRANSLATE_URL"):
        run()


def test_a_backend_that_cannot_run_is_named_with_the_reason(settings, written, tmp_path):
    space, _event = written
    settings.COCITY_TRANSLATION_BACKEND = "apertium"
    settings.COCITY_APERTIUM_COMMAND = str(tmp_path / "no-apertium-here")
    with pytest.raises(CommandError) as error:
        run("--language", "fr")
    message = str(error.value)
    assert message.startswith("Apertium cannot translate now: Apertium cannot be run here")
    assert "no-apertium-here" in message
    space.refresh_from_db()
    assert space.machine_translations == {}


def test_a_backend_failing_midway_keeps_what_was_written(settings, written, monkeypatch):
    from cocity.core.machine_translation import EchoBackend, TranslationUnavailable

    space, _event = written
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    calls = {"n": 0}
    real = EchoBackend._translate

    def fail_second(self, texts, route):
        calls["n"] += 1
        if calls["n"] > 1:
            raise TranslationUnavailable("down for maintenance")
        return real(self, texts, route)

    monkeypatch.setattr(EchoBackend, "_translate", fail_second)
    with pytest.raises(CommandError, match="Echo cannot translate now: down for maintenance"):
        run("--language", "fr", "--language", "de", "--model", "network.Space")
    space.refresh_from_db()
    assert len(space.machine_translations) == 1  # the first language's batch stays


def test_the_command_name_has_a_dash_on_the_command_line(settings, written):
    """``cocity translate-content`` (cocity.__main__ turns dashes into underscores)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "cocity", "translate-content", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--language" in result.stdout


@pytest.mark.skipif(
    shutil.which("apertium") is None,
    reason="Apertium is not installed (Debian: apertium apertium-eng-spa apertium-fr-es)",
)
def test_apertium_translates_into_french_through_spanish(settings, written):
    space, _event = written
    settings.COCITY_TRANSLATION_BACKEND = ""
    out = run("--backend", "apertium", "--language", "fr", "--model", "network.Space")
    space.refresh_from_db()
    name = space.machine_translations["fr"]["name"]
    assert (name["backend"], name["via"]) == ("apertium", "es")
    assert name["text"] and name["text"] != "Housing lab"
    assert "Apertium translates en → fr (via es)." in out
    assert "objects read: 1, texts translated: 2, words of the originals: 8," in out
