"""Content translations (cocity.core.translations, decision 0012): people's translations win,
machine translations follow the original's text, the viewer chooses, nothing is lost."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone, translation

from cocity.core import translations
from cocity.core.machine_translation import EchoBackend, Route, TranslationUnavailable
from cocity.events.models import Event
from cocity.network.models import Space
from tests.factories import EventFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def echo(settings):
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    return EchoBackend()


def make_space(**extra):
    return SpaceFactory(
        name="Housing lab",
        summary="Neighbours who fix empty homes together.",
        description="We meet **every month** in the library.",
        original_language="en",
        **extra,
    )


def french(obj, field):
    with translation.override("fr"):
        return translations.shown(obj, field)


def test_the_original_language_is_recognised_when_not_given():
    space = SpaceFactory(
        name="Atelier logement",
        summary="Des voisins qui remettent en état les logements vides, ensemble, chaque mois.",
        description="Nous nous retrouvons à la bibliothèque du quartier.",
        original_language="",
    )
    assert space.original_language == "fr"


def test_a_persons_translation_is_shown_in_its_language_and_the_original_elsewhere():
    space = make_space()
    translations.save_translation(space, "fr", {"name": "Atelier logement", "summary": ""})
    space.refresh_from_db()
    shown = french(space, "name")
    assert (shown.text, shown.kind, shown.language) == ("Atelier logement", "human", "fr")
    # A field the person left empty shows the original, in its language.
    assert french(space, "summary").kind == "original"
    assert french(space, "summary").language == "en"
    with translation.override("de"):
        assert translations.shown(space, "name").text == "Housing lab"


def test_machine_translation_is_stored_with_backend_and_hash_and_shown_labelled(echo):
    space = make_space()
    written = translations.machine_translate(space, echo, ["fr"])
    assert written == 3
    space.refresh_from_db()
    entry = space.machine_translations["fr"]["name"]
    assert entry == {
        "text": "[fr] Housing lab",
        "hash": translations.source_hash("Housing lab"),
        "backend": "echo",
        "via": "",
    }
    assert french(space, "name").kind == "machine"
    with translation.override("fr"):
        notice = translations.notice(space)
    assert notice is not None and notice.kind == "machine" and notice.backends == ("Echo",)


def test_a_changed_original_is_not_shown_with_its_old_machine_translation(echo):
    space = make_space()
    translations.machine_translate(space, echo, ["fr"])
    space.refresh_from_db()
    space.name = "Housing and repair lab"
    space.save()
    space.refresh_from_db()
    assert french(space, "name").text == "Housing and repair lab"  # stale: the original
    assert translations.missing_machine_translations(space, ["fr"]) == {
        "fr": {"name": "Housing and repair lab"}
    }
    translations.machine_translate(space, echo, ["fr"])
    space.refresh_from_db()
    assert french(space, "name").text == "[fr] Housing and repair lab"


def test_a_persons_translation_always_wins_over_the_machine(echo):
    space = make_space()
    translations.machine_translate(space, echo, ["fr"])
    translations.save_translation(space, "fr", {"name": "Atelier logement"})
    space.refresh_from_db()
    assert french(space, "name").text == "Atelier logement"
    # The machine never writes a field a person translated, even from an older read.
    stale = Space.objects.get(pk=space.pk)
    stale.translations = {}
    assert (
        translations.store_machine_translations(
            stale, "fr", {"name": {"text": "x", "hash": translations.source_hash("Housing lab")}}
        )
        == 0
    )
    space.refresh_from_db()
    assert space.translations["fr"]["name"] == "Atelier logement"


def test_saving_the_object_from_an_old_copy_keeps_the_machine_translations(echo):
    space = make_space()
    old_copy = Space.objects.get(pk=space.pk)
    translations.machine_translate(space, echo, ["fr"])
    old_copy.summary = "Neighbours who fix empty homes together."  # unchanged text
    old_copy.save()
    space.refresh_from_db()
    assert space.machine_translations["fr"]["name"]["text"] == "[fr] Housing lab"


def test_the_viewer_can_ask_for_the_original_or_switch_machine_translation_off(echo, rf):
    space = make_space()
    translations.machine_translate(space, echo, ["fr"])
    space.refresh_from_db()
    request = rf.get("/")
    request.user = UserFactory(machine_translation=False)
    with translations.showing(translations.Viewing(request=request)):
        assert french(space, "name").text == "Housing lab"
    with translations.showing(translations.Viewing(original=True)):
        assert french(space, "name").text == "Housing lab"
        with translation.override("fr"):
            assert translations.notice(space).kind == "original"


@pytest.mark.parametrize(
    ("language", "values", "message"),
    [
        ("tlh", {"name": "Klingon"}, "languages this site offers"),
        ("en", {"name": "Housing"}, "language of the original"),
        ("fr", {"name": "", "summary": "   "}, "at least this part"),
        ("fr", {"name": "x" * 201}, "At most 200 characters"),
    ],
)
def test_a_bad_translation_is_refused_and_changes_nothing(language, values, message):
    space = make_space()
    translations.save_translation(space, "fr", {"name": "Atelier logement"})
    with pytest.raises(ValidationError, match=message):
        translations.save_translation(space, language, values)
    space.refresh_from_db()
    assert space.translations == {"fr": {"name": "Atelier logement"}}


def test_hostile_markup_in_a_translation_is_cleaned_as_the_original_is(client):
    space = make_space()
    translations.save_translation(
        space,
        "fr",
        {
            "name": "<script>alert(1)</script>Atelier",
            "description": "Bonjour <img src=x onerror=alert(1)> [lien](javascript:alert(1))",
        },
    )
    page = client.get(space.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;Atelier" in page
    assert "onerror" not in page and "javascript:alert" not in page


def test_the_background_task_translates_after_a_write_and_search_finds_every_language(
    echo, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(
            title="Repair cafe", summary="Bring a broken toaster.", original_language="en"
        )
    event.refresh_from_db()
    assert event.machine_translations["fr"]["title"]["text"] == "[fr] Repair cafe"
    assert set(event.machine_translations) == {"ar", "de", "el", "es", "fr", "nl"}
    with django_capture_on_commit_callbacks(execute=True):
        translations.save_translation(event, "fr", {"title": "Café réparation"})
    found = client.get("/search/", {"q": "réparation"}).content.decode()
    assert event.get_absolute_url() in found
    assert event.get_absolute_url() in client.get("/search/", {"q": "Repair"}).content.decode()


class Failing:
    name = "failing"
    label = "Failing"

    def route(self, source, target):
        return Route(source, target)

    def translate(self, texts, source, target):
        raise TranslationUnavailable("the translation server timed out")


def test_a_backend_that_fails_writes_nothing_and_the_task_tries_again_later(
    settings, monkeypatch, caplog
):
    from cocity.core import machine_translation

    settings.COCITY_TRANSLATION_BACKEND = "echo"
    space = make_space()
    monkeypatch.setattr(machine_translation, "get_backend", lambda: Failing())
    retried = []
    monkeypatch.setattr(translations, "retry", lambda *args: retried.append(args))
    assert translations.translate_object.call(space._meta.label, space.pk) == 0
    space.refresh_from_db()
    assert space.machine_translations == {}
    assert retried == [("network.Space", space.pk, 1)]
    with translation.override("fr"):
        assert translations.shown(space, "name").text == "Housing lab"


def test_retries_wait_longer_each_time_and_stop(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from django_tasks import task_backends

    task_backends._settings = None  # type: ignore[attr-defined]
    try:
        before = timezone.now()
        translations.retry("network.Space", 1, 1)
        translations.retry("network.Space", 1, 3)
        translations.retry("network.Space", 1, translations.MAX_ATTEMPTS)
        waits = sorted(row.run_after - before for row in DBTaskResult.objects.all())
    finally:
        task_backends._settings = None  # type: ignore[attr-defined]
    assert len(waits) == 2
    assert timedelta(seconds=55) < waits[0] <= timedelta(minutes=1, seconds=5)
    assert timedelta(minutes=3, seconds=55) < waits[1] <= timedelta(minutes=4, seconds=5)


def test_an_event_list_shows_translations_without_a_query_per_event(assert_same_query_count, echo):
    space = SpaceFactory(name="Public space", slug="open")

    def make(n):
        for _ in range(n):
            event = EventFactory(space=space, original_language="en")
            translations.save_translation(event, "fr", {"title": "Un titre traduit"})

    with translation.override("fr"):
        assert_same_query_count("/events/?language=fr", make)


@pytest.mark.django_db(transaction=True)
def test_a_person_and_the_machine_writing_at_once_lose_nothing():
    """Two connections: the task stores machine translations while an editor saves a
    translation; both land, and the person's field is never overwritten."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    space = make_space()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def person():
        try:
            barrier.wait()
            translations.save_translation(space, "fr", {"name": "Atelier logement"})
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()

    def machine():
        try:
            barrier.wait()
            translations.store_machine_translations(
                space,
                "fr",
                {
                    name: {"text": f"[fr] {text}", "hash": translations.source_hash(text)}
                    for name, text in space.original_texts().items()
                },
            )
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=person), threading.Thread(target=machine)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    space.refresh_from_db()
    assert space.translations["fr"]["name"] == "Atelier logement"
    assert space.machine_translations["fr"]["summary"]["text"].startswith("[fr] ")
    assert french(space, "name").text == "Atelier logement"


def test_the_translation_form_is_for_editors_and_says_what_is_wrong(client):
    admin = UserFactory()
    space = make_space()
    from cocity.network.models import SpaceMembership

    SpaceMembership.objects.create(space=space, user=admin, role="admin")
    url = f"/translations/network/space/{space.pk}/"
    visitor = UserFactory()
    client.force_login(visitor)
    assert client.get(url).status_code == 404
    client.force_login(admin)
    page = client.get(url + "?language=fr")
    assert page.status_code == 200 and "Housing lab" in page.content.decode()
    refused = client.post(url, {"language": "tlh", "name": "Klingon"})
    assert refused.status_code == 400
    empty = client.post(url, {"language": "fr", "name": ""})
    assert empty.status_code == 400
    space.refresh_from_db()
    assert space.translations == {}
    saved = client.post(url, {"language": "fr", "name": "Atelier logement", "summary": "Voisins"})
    assert saved.status_code == 302
    space.refresh_from_db()
    assert space.translations == {"fr": {"name": "Atelier logement", "summary": "Voisins"}}
    form = client.get(url + "?language=de").content.decode()
    # Each language in its own name with what it has; the original's language is not offered.
    assert 'lang="fr">Français</a>' in form and "translated by a person" in form
    assert 'lang="de">Deutsch</a>' in form and 'lang="en">English</a>' not in form
    client.post(url, {"language": "fr", "action": "delete"})
    space.refresh_from_db()
    assert space.translations == {}


def test_unknown_models_and_objects_answer_404(client):
    client.force_login(UserFactory())
    assert client.get("/translations/nope/model/1/").status_code == 404
    assert client.get("/translations/accounts/user/1/").status_code == 404
    assert client.get("/translations/events/event/999999/").status_code == 404
    assert Event.objects.count() == 0


def test_translating_everything_sends_many_objects_texts_together():
    calls = []

    class Counting(EchoBackend):
        def translate(self, texts, source, target):
            calls.append((source, target, len(texts)))
            return super().translate(texts, source, target)

    spaces = [make_space() for _ in range(5)]
    objects, texts, words = translations.translate_everything(
        Counting(), ["fr", "de"], models_=[Space], batch=100
    )
    assert objects == 5 and texts == 5 * 3 * 2
    assert sorted(calls) == [("en", "de", 15), ("en", "fr", 15)]
    assert words == 2 * 5 * len(" ".join(spaces[0].original_texts().values()).split())
    assert translations.translate_everything(Counting(), ["fr"], models_=[Space]) == (5, 0, 0)


def test_rows_read_as_values_show_translated_with_the_columns_they_carry():
    from cocity.network.models import Territory

    TerritoryFactory = __import__("tests.factories", fromlist=["x"]).TerritoryFactory
    city = TerritoryFactory(name="Vienna", kind="city", original_language="en")
    translations.save_translation(city, "fr", {"name": "Vienne"})
    row = Territory.objects.filter(pk=city.pk).values(*translations.translation_values("name"))[0]
    with translation.override("fr"):
        assert translations.translated_value(Territory, row) == "Vienne"
    with translation.override("de"):
        assert translations.translated_value(Territory, row) == "Vienna"


def test_a_list_showing_machine_translations_says_so_once_with_the_originals_link(echo, client):
    space = make_space()
    translations.machine_translate(space, echo, ["fr"])
    page = client.get("/spaces/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "[fr] Housing lab" in page
    assert "Certains textes de cette page sont traduits automatiquement par Echo." in page
    assert "?original=1" in page
    original = client.get("/spaces/?original=1", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "[fr] Housing lab" not in original and "Housing lab" in original
    assert "traduits automatiquement" not in original
    english = client.get("/spaces/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "traduits automatiquement" not in english and "machine-translated" not in english


def test_a_row_created_without_a_language_gets_the_recognised_one():
    space = SpaceFactory(name="Housing lab", summary="Neighbours who fix empty homes together.")
    assert space.original_language == "en"
    assert Space.objects.get(pk=space.pk).original_language == "en"
