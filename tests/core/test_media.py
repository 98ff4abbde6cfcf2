"""Uploaded files are stored under a random name with the extension of what they are, and served
only through cocity.core.views.media, to whom may read the page they belong to, with a type
their content confirms, nosniff, a CSP that runs nothing, and as a download unless an image."""

import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client

from cocity.core import media
from cocity.core.testing.files import image_bytes, pdf_bytes, upload
from cocity.library import services as library_services
from cocity.library.models import ItemAttachment, LibraryItem
from cocity.network.models import Role, Space
from cocity.network.services.organisations import organisation_create
from tests.factories import LibraryItemFactory, SpaceFactory, SpaceMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

RANDOM = re.compile(r"^library/files/\d{4}/[A-Za-z0-9_-]{24}\.pdf$")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _item(*, members_only: bool = False) -> tuple[LibraryItem, object]:
    visibility = Space.Visibility.MEMBERS if members_only else Space.Visibility.PUBLIC
    space = SpaceFactory(visibility=visibility)
    editor = UserFactory()
    SpaceMembershipFactory(space=space, user=editor, role=Role.EDITOR)
    item = LibraryItemFactory(space=space, author=editor)
    return item, editor


def _attach(item: LibraryItem, editor, content: bytes, name: str) -> ItemAttachment:
    attachment = library_services.attachment_add(
        user=editor, item=item, upload=upload(name, content)
    )
    LibraryItem.objects.filter(pk=item.pk).update(status=LibraryItem.Status.PUBLISHED)
    return attachment


def test_a_pdf_named_html_is_stored_under_a_random_pdf_name():
    item, editor = _item()
    attachment = _attach(item, editor, pdf_bytes(), "page.html")
    assert RANDOM.match(attachment.file.name), attachment.file.name
    other = _attach(item, editor, pdf_bytes(), "page.html")
    assert other.file.name != attachment.file.name
    assert attachment.name == "page.html"  # the sender's name is kept only as a label


def test_a_public_document_is_served_as_a_download_that_runs_nothing():
    item, editor = _item()
    attachment = _attach(item, editor, pdf_bytes(), "Plan for the yard.pdf")
    response = Client().get(attachment.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Plan for the yard.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "public, max-age=3600"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_an_image_is_shown_inline_with_its_own_type():
    organisation = organisation_create(
        creator=UserFactory(),
        name="Yard keepers",
        kind="civil_society",
        logo=upload("logo.svg.html", image_bytes("PNG")),
        logo_alt="Logo",
    )
    assert organisation.logo.name.endswith(".png")
    response = Client().get(organisation.logo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")


def test_a_members_only_file_is_refused_to_strangers_and_served_to_members():
    item, editor = _item(members_only=True)
    attachment = _attach(item, editor, pdf_bytes(), "minutes.pdf")
    url = attachment.file.url
    assert Client().get(url).status_code == 404  # a visitor
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url).status_code == 404
    member = UserFactory()
    SpaceMembershipFactory(space=item.space, user=member, role=Role.MEMBER)
    client = Client()
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_of_an_unpublished_item_is_hidden_like_its_page():
    item, editor = _item()
    attachment = library_services.attachment_add(
        user=editor, item=item, upload=upload("draft.pdf", pdf_bytes())
    )
    assert Client().get(item.get_absolute_url()).status_code == 404
    assert Client().get(attachment.file.url).status_code == 404
    client = Client()
    client.force_login(editor)
    assert client.get(attachment.file.url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/nothing/here.pdf",
        "/media/../settings.py",
        "/media/library/files/2026/%2e%2e/%2e%2e/x.pdf",
        "/media/library/files/2026/unknown.pdf",
    ],
)
def test_an_unknown_or_escaping_path_is_404(path):
    assert Client().get(path).status_code in (400, 404)


def test_a_file_stored_before_names_came_from_content_is_never_served_as_a_page():
    """An old upload kept its sender's name (``x.html``) though it starts like a PDF: it is sent
    as bytes to download, whatever its name says."""
    item, editor = _item()
    attachment = _attach(item, editor, pdf_bytes(), "ok.pdf")
    hostile = b"%PDF-1.4\n<html><script>alert(1)</script></html>"
    attachment.file.storage.save("library/files/2020/report.html", ContentFile(hostile))
    ItemAttachment.objects.filter(pk=attachment.pk).update(file="library/files/2020/report.html")
    response = Client().get("/media/library/files/2020/report.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_behind_nginx_the_view_sends_no_bytes_but_an_internal_redirect(settings):
    settings.COCITY_MEDIA_ACCEL_REDIRECT = "/_media/"
    item, editor = _item(members_only=True)
    attachment = _attach(item, editor, pdf_bytes(), "minutes.pdf")
    assert Client().get(attachment.file.url).status_code == 404
    client = Client()
    client.force_login(editor)
    response = client.get(attachment.file.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_media/{attachment.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_every_stored_file_field_is_named_by_content_and_served_by_the_view():
    """A new FileField or ImageField must be a cocity.core.media field and be registered with
    who may read it, or its files would keep the sender's name or answer 404 to everyone."""
    served = {(owner.model, owner.field) for owner in media.registered()}
    for model in apps.get_models():
        if not model.__module__.startswith("cocity."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                assert isinstance(field, media.FileField | media.ImageField), (model, field.name)
                assert (model, field.name) in served, (model, field.name)


def test_an_upload_is_parsed_once_from_its_check_to_its_stored_name(monkeypatch):
    from cocity.core import uploads

    item, editor = _item()
    parsed = []
    real = uploads._pdf
    monkeypatch.setattr(uploads, "_pdf", lambda handle: parsed.append(1) or real(handle))
    attachment = _attach(item, editor, pdf_bytes(), "page.html")
    assert RANDOM.match(attachment.file.name)
    assert len(parsed) == 1
