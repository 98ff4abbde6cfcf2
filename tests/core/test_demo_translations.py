"""The demo's translations (issue 19): people's translations where the network would have them
(places in every interface language, the main spaces, the key events and the pledges campaign in
English and French), none machine-made during the build, and the demo settings' machine
translation (Apertium when installed, else off with the reason, on a queue of its own)."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from cocity.core.translations import shown, translatable_models
from cocity.events.models import Event
from cocity.network.demo_translations import EXONYMS, LANGUAGES, name_places
from cocity.network.models import Organisation, Space, Territory
from cocity.pledges.models import Campaign


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built once with machine translation on (echo), rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(COCITY_TRANSLATION_BACKEND="echo"):
            call_command("demo_data", verbosity=0)
        yield
        transaction.set_rollback(True)


def french(obj, field: str) -> str:
    with translation.override("fr"):
        return shown(obj, field).text


@pytest.mark.django_db
def test_every_city_and_country_has_its_name_in_every_interface_language(demo):
    vienna = Territory.objects.get(code="AT-VIE")
    assert {lang: vienna.translations[lang]["name"] for lang in LANGUAGES} == {
        "ar": "فيينا", "de": "Wien", "el": "Βιέννη", "es": "Viena", "fr": "Vienne", "nl": "Wenen",
    }  # fmt: skip
    athens = Territory.objects.get(code="GR-ATH")
    assert [athens.translations[lang]["name"] for lang in LANGUAGES] == [
        "أثينا", "Athen", "Αθήνα", "Atenas", "Athènes", "Athene",
    ]  # fmt: skip
    assert french(athens, "name") == "Athènes"
    for place in Territory.objects.filter(kind__in=["country", "city"]):
        assert place.code in EXONYMS, f"{place.name} ({place.code}) has no exonyms"
        assert set(place.translations) == set(LANGUAGES), place.code
        assert place.original_language == "en"


@pytest.mark.django_db
def test_every_place_has_a_french_name_and_proper_names_are_kept(demo):
    for place in Territory.objects.all():
        assert place.translations.get("fr", {}).get("name"), place.name
    poplar = Territory.objects.get(name="Poplar")
    assert poplar.translations["es"]["name"] == "Poplar"  # not "Álamo"
    assert Territory.objects.get(name="Old Cairo").translations["ar"]["name"] == "مصر القديمة"


@pytest.mark.django_db
def test_the_main_spaces_events_and_the_campaign_read_in_french_or_english(demo):
    fairville = Space.objects.get(slug="fairville")
    assert french(fairville, "summary").startswith("Programme de recherche sur la coproduction")
    assert french(Space.objects.get(slug="fairville-lab-athens"), "name") == (
        "Fairville Lab Athènes"
    )
    marseille = Space.objects.get(slug="fairville-lab-marseille")
    assert marseille.original_language == "fr"
    assert marseille.translations["en"]["summary"].startswith("The Fairville Lab in Marseille")
    event = Event.objects.get(slug="co-producing-the-city-from-below-brazil-france")
    assert french(event, "title") == "Coproduire la ville par le bas, du Brésil à la France"
    assert Event.objects.get(slug="belle-de-mai-housing-workshop").translations["en"]["title"]
    campaign = Campaign.objects.get(slug="inclusive-cities-for-all")
    assert french(campaign, "name").startswith("Des villes inclusives pour toutes et tous")
    vienna = campaign.pledges.get(organisation__slug="stadt-wien")
    assert french(vienna, "title") == "Vienne : les droits sociaux dans ma ville"
    measures = [french(m, "description") for m in vienna.measures.all()]
    assert measures[0].endswith(": programme municipal (Vienne)"), measures
    assert french(Organisation.objects.get(slug="uclg"), "name").startswith("Cités et")


@pytest.mark.django_db
def test_the_build_machine_translates_nothing_and_a_second_pass_changes_nothing(demo):
    for model in translatable_models():
        assert not model.objects.exclude(machine_translations={}).exists(), model
    assert name_places() == 0


@pytest.mark.parametrize("installed", [True, False])
def test_the_demo_settings_use_apertium_only_when_it_is_installed(tmp_path, installed):
    if installed:
        fake = tmp_path / "apertium"
        fake.write_text("#!/bin/sh\nexit 0\n")
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cocity.settings.demo", "PATH": str(tmp_path)}
    env.pop("COCITY_TRANSLATION_BACKEND", None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(repr(s.COCITY_TRANSLATION_BACKEND)); print(s.COCITY_DEMO_MACHINE_TRANSLATION); "
        "print(s.TASKS['translations']['BACKEND'], s.TASKS['default']['BACKEND'])"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    if installed:
        assert out[0] == "'apertium'"
        assert out[1].startswith(f"Apertium ({tmp_path / 'apertium'}), in the background")
    else:
        assert out[0] == "''"
        assert out[1].startswith("off: Apertium is not installed here")
    # Translations wait in the database for `cocity db-worker --backend translations`; the
    # other tasks still run in the request.
    assert out[2] == (
        "django_tasks_db.DatabaseBackend django_tasks.backends.immediate.ImmediateBackend"
    )
