"""A bad cover or portrait, posted through every form that takes one, gets a clear message on the
form in English and in French, and nothing is stored: no row, no file (cocity.core.images)."""

import io
import posixpath
from dataclasses import dataclass

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from cocity.commons.models import Commons, Pact
from cocity.core.testing.files import image_bytes, pdf_bytes, upload
from cocity.core.testing.forms import FormCase, registered_forms
from cocity.events.models import Event, Speaker
from cocity.network.models import Space
from tests.security import registry  # noqa: F401  (registers the forms)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Taker:
    case: str  # the hostile-input corpus's case for the form
    prefix: str  # the picture's field name in the POST
    model: type


TAKERS = {
    "space": Taker("space create", "cover", Space),
    "event": Taker("event create", "cover", Event),
    "speaker": Taker("event speaker add", "speaker-portrait", Speaker),
    "commons": Taker("commons create", "cover", Commons),
    "pact": Taker("commons pact propose", "cover", Pact),
}


def _case(name: str) -> FormCase:
    from cocity.core.testing.forms import autodiscover

    autodiscover()
    return next(case for case in registered_forms() if case.name == name)


def _png(size=(1200, 800), *, noise: bool = False) -> bytes:
    buffer = io.BytesIO()
    image = Image.effect_noise(size, 64) if noise else Image.new("RGB", size, "teal")
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _files() -> list[str]:
    def walk(folder: str) -> list[str]:
        if not default_storage.exists(folder or "."):
            return []
        folders, names = default_storage.listdir(folder)
        found = [posixpath.join(folder, n) for n in names]
        for sub in folders:
            found += walk(posixpath.join(folder, sub))
        return found

    return sorted(walk(""))


# (what is wrong, the file, its alt text, the message in English, in French)
BAD = {
    "pdf named jpg": (
        lambda: upload("beach.jpg", pdf_bytes(), "image/jpeg"),
        "A beach",
        "This is not an image we can read (JPEG, PNG or WebP).",
        "Ce n\u2019est pas une image que nous pouvons lire (JPEG, PNG ou WebP).",
    ),
    "truncated png": (
        lambda: upload("cut.png", _png(noise=True)[:-4000], "image/png"),
        "A cut picture",
        None,  # Pillow's check or the full decode: either message is clear, both are tested below
        None,
    ),
    "svg": (
        lambda: upload(
            "logo.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        "A logo",
        "SVG images are not accepted because they can contain scripts.",
        "Les images SVG ne sont pas acceptées, car elles peuvent contenir des scripts.",
    ),
    "alt missing": (
        lambda: upload("yard.png", _png(), "image/png"),
        "",
        "Describe the image for people who cannot see it",
        "Décrivez l\u2019image pour les personnes qui ne peuvent pas la voir",
    ),
    "too large": (
        lambda: upload("huge.png", _png((600, 400), noise=True), "image/png"),
        "A yard",
        "The file is too large",
        "Le fichier est trop volumineux",
    ),
    "decompression bomb": (
        lambda: upload("bomb.png", _png((3000, 3000)), "image/png"),
        "A bomb",
        "This is not an image we can read (JPEG, PNG or WebP).",
        "Ce n\u2019est pas une image que nous pouvons lire (JPEG, PNG ou WebP).",
    ),
}

TRUNCATED = {
    "en": (
        "This is not an image we can read (JPEG, PNG or WebP).",
        "This image is damaged or incomplete",
    ),
    "fr": (
        "Ce n\u2019est pas une image que nous pouvons lire (JPEG, PNG ou WebP).",
        "Cette image est abîmée",
    ),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("bad", list(BAD))
@pytest.mark.parametrize("taker", list(TAKERS))
def test_a_bad_picture_is_refused_on_the_form_and_nothing_is_stored(
    taker, bad, language, settings, monkeypatch
):
    spec = TAKERS[taker]
    case = _case(spec.case)
    make, alt, english, french = BAD[bad]
    if bad == "too large":
        settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "image": 2_000}
    if bad == "decompression bomb":  # 9 Mpx counted as a bomb: Pillow refuses past twice this
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 4_000_000)
    scenario = case.setup()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if scenario.user is not None:
        client.force_login(scenario.user)
    data = case.data(scenario)
    data[spec.prefix] = make()
    data[f"{spec.prefix}_alt"] = alt
    before_rows = spec.model.objects.count()
    before_files = _files()
    response = client.post(reverse(case.url_name, kwargs=case.url_kwargs(scenario)), data)
    assert response.status_code in (200, 400), (taker, bad, response.status_code)  # the form again
    page = response.content.decode()
    if english is None:
        expected = TRUNCATED[language]
        assert any(message in page for message in expected)
    else:
        message = english if language == "en" else french
        assert message in page, (taker, bad, language)
    assert 'aria-invalid="true"' in page or "field-error" in page
    assert spec.model.objects.count() == before_rows
    assert _files() == before_files


@pytest.mark.parametrize("taker", list(TAKERS))
def test_a_good_picture_is_stored_through_every_form(taker):
    spec = TAKERS[taker]
    case = _case(spec.case)
    scenario = case.setup()
    client = Client()
    client.force_login(scenario.user)
    data = case.data(scenario)
    data[spec.prefix] = upload("yard.jpg", image_bytes("JPEG", (900, 600)), "image/jpeg")
    data[f"{spec.prefix}_alt"] = "The yard in June"
    response = client.post(reverse(case.url_name, kwargs=case.url_kwargs(scenario)), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = spec.model.objects.order_by("-pk").first()
    name = spec.prefix.rsplit("-", 1)[-1]
    stored = getattr(row, name)
    assert stored.name.endswith(".webp")
    assert getattr(row, f"{name}_alt") == "The yard in June"
    assert getattr(row, f"{name}_variants")[-1][0] == 640 if name == "portrait" else 900


@pytest.mark.parametrize(
    ("case_name", "model", "text_field"),
    [
        ("space edit", Space, "summary"),
        ("event edit", Event, "summary"),
        ("commons pact edit", Pact, "objectives"),
    ],
)
def test_a_bad_picture_on_an_edit_form_changes_nothing(case_name, model, text_field):
    case = _case(case_name)
    scenario = case.setup()
    client = Client()
    client.force_login(scenario.user)
    data = case.data(scenario)
    data[text_field] = "Changed along with a bad picture"
    data["cover"] = upload("beach.jpg", pdf_bytes(), "image/jpeg")
    data["cover_alt"] = "A beach"
    url = reverse(case.url_name, kwargs=case.url_kwargs(scenario))
    before = {row.pk: getattr(row, text_field) for row in model.objects.all()}
    before_files = _files()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "This is not an image we can read (JPEG, PNG or WebP)." in response.content.decode()
    assert {row.pk: getattr(row, text_field) for row in model.objects.all()} == before
    assert not model.objects.exclude(cover="").exists()
    assert _files() == before_files
