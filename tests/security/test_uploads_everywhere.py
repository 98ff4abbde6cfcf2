"""The same bad upload gets the same message in every app that takes that kind of file, in English
and in French (every app checks with cocity.core.uploads), and a good one is accepted everywhere."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cocity.commons import services as commons_services
from cocity.core.testing.files import image_bytes, pdf_bytes, upload
from cocity.events import services as event_services
from cocity.library import services as library_services
from cocity.network.models import Role
from cocity.network.services.organisations import organisation_create
from cocity.plans import services as plans_services
from cocity.pledges import services as pledge_services
from tests.commons import scenario
from tests.factories import (
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
    event_with_session,
    pledge_with_measures,
    process_in_phase,
)

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # the header and trailer only
FAKE_IMAGE = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the signature only


def pdf_takers(w=None):  # type: ignore[no-untyped-def]
    w = w or scenario.world()
    pact = scenario.signable(w)
    pledge = pledge_with_measures()
    event, _track = event_with_session()
    return {
        "commons": lambda f: commons_services.document_add(
            pact=pact, title="Pact", file=f, actor=w.resident
        ),
        "pledges": lambda f: pledge_services.document_add(pledge=pledge, title="Plan", file=f),
        "events": lambda f: event_services.material_add(event=event, title="Note", file=f),
    }


def image_takers(w=None):  # type: ignore[no-untyped-def]
    w = w or scenario.world()
    space = SpaceFactory()
    editor = UserFactory()
    SpaceMembershipFactory(space=space, user=editor, role=Role.EDITOR)
    return {
        "commons": lambda f: commons_services.commons_photo_add(
            commons=w.commons, image=f, alt_text="The yard", actor=w.officer
        ),
        "network": lambda f: organisation_create(
            creator=UserFactory(), name="Org", kind="civil_society", logo=f, logo_alt="Logo"
        ),
        "library": lambda f: library_services.item_create(
            user=editor, space=space, kind="news", title="T", summary="S", cover=f,
            cover_alt="Cover",
        ),
    }  # fmt: skip


def _messages(takers, content: bytes, name: str) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = {}
    for app, take in takers.items():
        with pytest.raises(ValidationError) as caught:
            take(upload(name, content))
        english = " ".join(caught.value.messages)
        with translation.override("fr"):
            french = " ".join(caught.value.messages)
        found[app] = (english, french)
    return found


@pytest.mark.parametrize(
    ("content", "name"),
    [(FAKE_PDF, "pact.pdf"), (b"MZ\x90\x00" + b"\x00" * 64, "setup.pdf"), (image_bytes(), "a.pdf")],
)
def test_a_bad_pdf_gets_one_message_everywhere(content, name):
    messages = _messages(pdf_takers(), content, name)
    assert set(messages.values()) == {
        ("This file is not a PDF.", "Ce fichier n\u2019est pas un PDF.")
    }


@pytest.mark.parametrize(
    ("content", "name"),
    [(FAKE_IMAGE, "photo.png"), (pdf_bytes(), "photo.jpg"), (b"<svg onload='x'/>", "a.png")],
)
def test_a_bad_image_gets_one_message_everywhere(content, name):
    messages = _messages(image_takers(), content, name)
    assert len(set(messages.values())) == 1, messages
    english, french = next(iter(messages.values()))
    assert english != french


def test_a_good_pdf_and_image_are_taken_everywhere():
    w = scenario.world()
    for take in pdf_takers(w).values():
        assert take(upload("document.pdf", pdf_bytes()))
    for take in image_takers(w).values():
        assert take(upload("photo.webp", image_bytes("WEBP")))


def test_apps_that_take_several_kinds_name_them_all():
    process, _organiser = process_in_phase("collect")
    author = UserFactory()
    with pytest.raises(ValidationError) as caught:
        plans_services.idea_create(
            process=process, author=author, title="T", body="B",
            attachments=[upload("x.pdf", FAKE_PDF)],
        )  # fmt: skip
    assert caught.value.message_dict == {
        "attachment": ["This file is not a PDF or an image (JPEG, PNG or WebP)."]
    }
