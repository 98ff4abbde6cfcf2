# ruff: noqa: RUF001  (typography: the French apostrophe is what the pages show)
"""The guided import's pages in French: every step, its errors, its progress and the data set it
makes, with no English sentence of the catalogue left on them (issue 18)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from django.urls import reverse
from django.utils import translation

import cocity
from cocity.insights.models import DataSet, ImportJob

from .test_guided_import import _choice, _editor, _start, city, configure  # noqa: F401

pytestmark = pytest.mark.django_db

CATALOGUE = Path(cocity.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def _english_fragments() -> set[str]:
    """The catalogue's English sentences that French changes, cut at their placeholders: the
    pieces long enough not to be a column's name or a word French shares."""
    fragments: set[str] = set()
    for entry in polib.pofile(str(CATALOGUE)):
        translated = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            if source in translated:
                continue
            fragments.update(
                piece.strip()
                for piece in PLACEHOLDER.split(source)
                if len(piece.strip()) >= 12 and " " in piece.strip()
            )
    return fragments


ENGLISH = _english_fragments()


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """What a person reads (and hears: attribute labels), without tags."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    labels = " ".join(re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + labels)


def _no_english(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", _text(response))
    left = sorted(f for f in ENGLISH if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text))
    assert not left, left
    return text


def test_every_step_of_the_guided_import_is_in_french(client, city, tmp_path, configure):  # type: ignore[no-untyped-def] # noqa: F811
    client.force_login(_editor(city))
    upload = _no_english(
        client.get(reverse("insights:dataset_create", args=[city.code]), HTTP_ACCEPT_LANGUAGE="fr")
    )
    assert "Effectifs (CSV ou Excel)" in upload and "Envoyer et prévisualiser" in upload

    job = _start(city, tmp_path)
    detail = reverse("insights:import_detail", args=[job.pk])
    page = _no_english(client.get(detail, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Texte CSV en Windows-1252 (Europe occidentale), colonnes séparées par des " in page
    assert "points-virgules" in page
    assert "Projection des contours" in page and "Quelle colonne contient quoi" in page
    assert "Choix des colonnes" in page and "Vérifier et importer" in page

    # a choice the form refuses, then one the service refuses: both told in French
    page = _no_english(client.post(detail, {"year": "2021"}, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Cochez au moins une colonne comme groupe." in page
    form = {
        "name": "Population",
        "year": "2021",
        "code_column": "code",
        "units": "new",
        "code_property": "code",
        "group_2": "on",
        "group_3": "on",
    }
    page = _no_english(client.post(detail, form, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Nommez ces unités" in page

    # the check failed: its problems, in French, above the same form
    configure(job=job, choice=_choice(code_property="nom", name_property=""))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    page = _no_english(client.get(detail, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Les fichiers n’ont pas été importés" in page and "Rien n’a été enregistré." in page
    assert "Ligne 2 : pas de contour pour l’unité « 13201 »." in page
    assert "Entité 1 : « BELLE DE MAI » ne figure pas dans les effectifs." in page

    # while it runs: each phase of the progress
    job.status, job.phase, job.rows_done, job.rows_total = "running", "checking", 3, 6
    job.save()
    page = _no_english(client.get(detail, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "3 lignes lues sur environ 6" in page and "Vérification des lignes" in page
    job.phase = "places"
    job.save()
    page = _no_english(client.get(detail, HTTP_ACCEPT_LANGUAGE="fr", HTTP_HX_REQUEST="true"))
    assert "3 lignes écrites sur 6" in page and "Ajout des unités aux lieux" in page
    job.status = "queued"
    job.save()
    assert "En file d’attente" in _no_english(client.get(detail, HTTP_ACCEPT_LANGUAGE="fr"))


def test_the_imported_data_set_and_its_areas_are_told_in_french(client, city, tmp_path, configure):  # type: ignore[no-untyped-def] # noqa: F811
    job = _start(city, tmp_path)
    configure(job=job, choice=_choice())
    dataset = DataSet.objects.get()
    client.force_login(_editor(city))
    page = _no_english(client.get(dataset.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr"))
    assert "envoyées avec les données" in page and "Nombre de zones" in page
    assert "IRIS, version 2021" in page and "d’après un fichier en EPSG:2154" in page

    # a second file offers the areas already brought, by their name and version
    again = tmp_path / "again"
    again.mkdir()
    second = _start(city, again)
    page = _no_english(
        client.get(reverse("insights:import_detail", args=[second.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    )
    assert "Zones « IRIS », version 2021" in page
    with translation.override("fr"):
        assert ImportJob.Status.DRAFT.label == "en attente du choix des colonnes"
        assert DataSet.Boundaries.UPLOAD.label == "envoyées avec les données"
