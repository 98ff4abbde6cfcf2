"""E-mails in the recipient's language, time zone and choice of machine translations, what people
wrote shown translated and a machine translation said to be one (issue 19, "Locale everywhere")."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template
from django.utils import timezone, translation

from cocity.core import mail as core_mail
from cocity.core.machine_translation import EchoBackend
from cocity.core.templatetags.cocity import day
from cocity.core.translations import Viewing, machine_translate, save_translation, showing
from cocity.events import services as events
from cocity.network.models import Role
from cocity.network.services import spaces as network
from cocity.participation import services as participation
from tests.factories import SpaceMembershipFactory, event_with_session

pytestmark = pytest.mark.django_db

MACHINE_NOTE_FR = "(Traduit automatiquement de l\u2019original en anglais par Echo.)"


@pytest.fixture
def event_in_english():  # type: ignore[no-untyped-def]
    event, track = event_with_session(title="Housing dialogue", original_language="en")
    track.original_language = "en"
    track.save()
    return event, track


def _register(user, track, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        events.registration_create(track=track, user=user)
    (message,) = mail.outbox
    return message


def test_a_french_reader_gets_the_mail_in_french_with_the_french_translation(
    event_in_english, user_factory, django_capture_on_commit_callbacks
) -> None:
    event, track = event_in_english
    save_translation(event, "fr", {"title": "Dialogue sur le logement"})
    reader = user_factory(languages=["fr"])
    message = _register(reader, track, django_capture_on_commit_callbacks)
    assert message.subject == "[cocity] Vous êtes inscrit : Dialogue sur le logement"
    assert "Votre place à « Dialogue sur le logement » (Main) est confirmée." in message.body
    assert "Housing dialogue" not in message.body
    assert "automatiquement" not in message.body  # a person's translation: nothing to say


def test_a_machine_translation_is_shown_and_said_to_be_one(
    event_in_english, user_factory, settings, django_capture_on_commit_callbacks
) -> None:
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    event, track = event_in_english
    machine_translate(event, EchoBackend(), ["fr"])
    reader = user_factory(languages=["fr"])
    message = _register(reader, track, django_capture_on_commit_callbacks)
    assert message.subject == "[cocity] Vous êtes inscrit : [fr] Housing dialogue"
    line = "Votre place à « [fr] Housing dialogue » (Main) est confirmée."
    assert f"{line}\n{MACHINE_NOTE_FR}\n" in message.body


def test_an_english_reader_gets_the_original_and_no_note(
    event_in_english, user_factory, settings, django_capture_on_commit_callbacks
) -> None:
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    event, track = event_in_english
    save_translation(event, "fr", {"title": "Dialogue sur le logement"})
    machine_translate(event, EchoBackend(), ["de"])
    reader = user_factory(languages=["en"])
    with translation.override("fr"):  # the page that caused the mail was in French
        message = _register(reader, track, django_capture_on_commit_callbacks)
    assert message.subject == "[cocity] You are registered: Housing dialogue"
    assert "Your place at “Housing dialogue” (Main) is confirmed.\n\n" in message.body
    assert "Machine-translated" not in message.body


def test_an_original_in_another_language_than_the_mails_is_shown_with_nothing_added(
    event_in_english, user_factory, django_capture_on_commit_callbacks
) -> None:
    _event, track = event_in_english  # no translation at all
    reader = user_factory(languages=["de"])
    message = _register(reader, track, django_capture_on_commit_callbacks)
    assert "Housing dialogue" in message.body
    assert "(Main)" in message.body
    assert "Maschinell" not in message.body and "Machine" not in message.body


def test_the_recipients_choice_not_the_senders_page_decides_on_machine_translations(
    event_in_english, user_factory, settings, django_capture_on_commit_callbacks
) -> None:
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    event, track = event_in_english
    machine_translate(event, EchoBackend(), ["fr"])
    no_machine = user_factory(languages=["fr"], machine_translation=False)
    message = _register(no_machine, track, django_capture_on_commit_callbacks)
    assert message.subject == "[cocity] Vous êtes inscrit : Housing dialogue"
    assert "automatiquement" not in message.body

    mail.outbox.clear()
    reader = user_factory(languages=["fr"])
    # The sender's page showed the originals (?original=1): the reader still reads French.
    with showing(Viewing(original=True)):
        message = _register(reader, track, django_capture_on_commit_callbacks)
    assert message.subject == "[cocity] Vous êtes inscrit : [fr] Housing dialogue"
    assert MACHINE_NOTE_FR in message.body


def test_the_machine_note_tag_in_french_and_german(settings) -> None:
    from tests.factories import EventFactory

    settings.COCITY_TRANSLATION_BACKEND = "echo"
    event = EventFactory(title="Housing dialogue", original_language="en")
    machine_translate(event, EchoBackend(), ["fr", "de"])
    template = Template('{% load translations %}{{ event|tr:"title" }}{% machine_note event %}')
    with translation.override("fr"):
        assert template.render(Context({"event": event})) == (
            f"[fr] Housing dialogue\n{MACHINE_NOTE_FR}"
        )
    with translation.override("de"):
        german = template.render(Context({"event": event}))
    # The language's name as German writes it inside a sentence (the sentence is the German
    # catalogue's).
    assert german.startswith("[de] Housing dialogue\n(") and german.endswith(")")
    assert "Englisch" in german and "Echo" in german
    with translation.override("en"):
        assert template.render(Context({"event": event})) == "Housing dialogue"


def test_a_mails_dates_are_in_the_recipients_time_zone_and_language(
    user_factory, space_factory, django_capture_on_commit_callbacks
) -> None:
    """The invitation's last day as its reader reads it: in Cairo's day and in French, whatever
    the zone and language of the page of the person who sent it (Los Angeles, English)."""
    space = space_factory()
    admin = user_factory()
    SpaceMembershipFactory(space=space, user=admin, role=Role.ADMIN)
    user_factory(email="guest@example.org", languages=["fr"], time_zone="Africa/Cairo")
    # 22:30 UTC: the 7th in Los Angeles, already the 8th in Cairo.
    with (
        time_machine.travel(datetime.datetime(2026, 11, 23, 22, 30, tzinfo=datetime.UTC)),
        django_capture_on_commit_callbacks(execute=True),
        timezone.override("America/Los_Angeles"),
    ):
        invitation = network.invitation_create(
            space=space, email="guest@example.org", invited_by=admin
        )
    (message,) = mail.outbox
    assert message.subject == f"[cocity] Vous êtes invité à rejoindre {space.name}"
    cairo = timezone.localtime(invitation.expires_at, zoneinfo.ZoneInfo("Africa/Cairo"))
    los_angeles = timezone.localtime(
        invitation.expires_at, zoneinfo.ZoneInfo("America/Los_Angeles")
    )
    assert cairo.date() != los_angeles.date()
    with translation.override("fr"), timezone.override("Africa/Cairo"):
        assert f"valable jusqu’au {day(cairo)}." in message.body  # noqa: RUF001 (French)
    with translation.override("fr"):
        assert day(los_angeles) not in message.body


def test_a_message_to_many_is_rendered_once_per_language(
    user_factory, space_factory, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """A join request told to a space's three admins, two reading French and one English: two
    renderings (subject and body each), three messages, each in its reader's language."""
    space = space_factory(join_policy="request", visibility="public")
    admins = [
        user_factory(languages=["fr"]),
        user_factory(languages=["fr", "en"]),
        user_factory(languages=["en"]),
    ]
    for admin in admins:
        SpaceMembershipFactory(space=space, user=admin, role=Role.ADMIN)
    rendered: list[str] = []
    real = core_mail.render_plain_text

    def counting(name, context):  # type: ignore[no-untyped-def]
        rendered.append(name)
        return real(name, context)

    monkeypatch.setattr(core_mail, "render_plain_text", counting)
    with django_capture_on_commit_callbacks(execute=True):
        network.join_request_create(space=space, user=user_factory(), message="Bonjour")
    assert len(rendered) == 4
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {a.email for a in admins}
    assert "demande à rejoindre" in by_address[admins[0].email].subject
    assert "demande à rejoindre" in by_address[admins[1].email].subject
    assert "asks to join" in by_address[admins[2].email].subject


def test_a_notification_is_written_in_each_recipients_language(
    user_factory, settings, event_in_english
) -> None:
    settings.COCITY_TRANSLATION_BACKEND = "echo"
    event, _track = event_in_english
    machine_translate(event, EchoBackend(), ["fr"])
    french, english = user_factory(languages=["fr"]), user_factory(languages=["en"])
    said = participation.Said(
        translation.gettext_lazy("New event in %(space)s: %(title)s"),
        {"space": (event.space, "name"), "title": (event, "title")},
    )
    with translation.override("en"):
        participation.notify(recipients=[french, english], kind="space_event", message=said)
    texts = {n.recipient_id: n.message for n in french.notifications.all()}
    texts |= {n.recipient_id: n.message for n in english.notifications.all()}
    assert texts[english.pk] == f"New event in {event.space.name}: Housing dialogue"
    assert texts[french.pk].endswith(f"[fr] Housing dialogue {MACHINE_NOTE_FR}")
    assert texts[french.pk].startswith("Nouvel")


def test_a_date_in_a_mail_is_written_in_the_recipients_language() -> None:
    moment = datetime.datetime(2026, 12, 7, 22, 30, tzinfo=datetime.UTC)
    template = "{% load cocity %}{{ moment|day }}"
    results = {}
    for language in ("fr", "de"):
        user = type("Reader", (), {"languages": [language], "time_zone": "Africa/Cairo"})()
        with core_mail.as_recipient(user):
            results[language] = Template(template).render(Context({"moment": moment}))
    assert results == {"fr": "8 déc. 2026", "de": "8. Dez. 2026"}


def test_a_library_items_news_gives_its_title_in_each_followers_language(user_factory) -> None:
    """Library items keep people's translations of their own (ItemTranslation): the news of a
    publication gives the follower reading French its French title."""
    from functools import partial

    from cocity.library.models import ItemTranslation
    from cocity.library.services import _title_in_language
    from tests.factories import LibraryItemFactory

    item = LibraryItemFactory(title="Shared gardens", language="en")
    ItemTranslation.objects.create(
        item=item, language="fr", title="Jardins partagés", summary="Ce qui a été fait."
    )
    french, english = user_factory(languages=["fr"]), user_factory(languages=["en"])
    said = participation.Said(
        translation.gettext_lazy("New in the library of %(space)s: %(title)s"),
        {"space": (item.space, "name"), "title": partial(_title_in_language, item)},
    )
    participation.notify(recipients=[french, english], kind="space_publication", message=said)
    assert french.notifications.get().message.endswith(": Jardins partagés")
    assert english.notifications.get().message == (
        f"New in the library of {item.space.name}: Shared gardens"
    )


def test_a_notification_mail_is_in_its_readers_language_with_a_whole_link(
    user_factory, settings, event_in_english, django_capture_on_commit_callbacks
) -> None:
    settings.COCITY_BASE_URL = "https://cocity.example.org/"
    event, _track = event_in_english
    event = save_translation(event, "fr", {"title": "Dialogue sur le logement"})
    reader = user_factory(languages=["fr"])  # e-mailed at once (the default)
    said = participation.Said(
        translation.gettext_lazy("New event in %(space)s: %(title)s"),
        {"space": (event.space, "name"), "title": (event, "title")},
    )
    with django_capture_on_commit_callbacks(execute=True):
        participation.notify(recipients=[reader], kind="space_event", message=said, url="/e/1/")
    (message,) = mail.outbox
    assert message.subject == (
        f"[cocity] Nouvel événement dans {event.space.name} : Dialogue sur le logement"
    )
    assert message.body.startswith("Bonjour ")
    assert "\nhttps://cocity.example.org/e/1/" in message.body


def test_a_digest_links_each_notification_whole(
    user_factory, settings, django_capture_on_commit_callbacks
) -> None:
    from cocity.participation.models import NotificationPreference

    settings.COCITY_BASE_URL = "https://cocity.example.org"
    reader = user_factory(languages=["de"])
    NotificationPreference.objects.create(user=reader, email=NotificationPreference.Email.DAILY)
    participation.notify(recipients=[reader], kind="news", message="Neu", url="/e/2/")
    with django_capture_on_commit_callbacks(execute=True):
        assert participation.digests_send() == 1
    (message,) = mail.outbox
    assert "- Neu (https://cocity.example.org/e/2/)" in message.body
    assert message.body.startswith("Hallo ")


def test_the_invitation_attached_is_written_for_its_reader(
    event_in_english, user_factory, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """invite.ics is built in the reader's language (its titles as they read them), whatever
    the language of the page that registered them."""
    _event, track = event_in_english
    seen: list[str | None] = []
    real = events.registration_ics

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(translation.get_language())
        return real(*args, **kwargs)

    monkeypatch.setattr(events, "registration_ics", recording)
    with translation.override("en"):
        message = _register(
            user_factory(languages=["de"]), track, django_capture_on_commit_callbacks
        )
    assert seen == ["de"]
    assert message.attachments[0][0] == "invite.ics"
