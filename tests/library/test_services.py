from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cocity.core.testing import files
from cocity.library import services
from cocity.library.models import ItemAttachment, LibraryItem, ReviewComment
from cocity.search.models import Document

pytestmark = pytest.mark.django_db


def test_draft_review_publish_archive(editorial, mailoutbox, django_capture_on_commit_callbacks):
    space, author, editor = editorial
    item = services.item_create(
        user=author,
        space=space,
        kind="case_study",
        title="Bologna: let's do it together",
        summary="The collaborative city.",
        body="Pacts of collaboration between residents and the city.",
        published_on=date(2019, 3, 14),
        figures=[services.Figure("Pacts signed", Decimal("500"), "pacts")],
        links=[services.Link("https://example.org/bologna", "Source")],
    )
    assert item.status == LibraryItem.Status.DRAFT
    assert not Document.objects.exists()  # drafts are never searchable
    services.item_submit(user=author, item=item)
    with pytest.raises(PermissionDenied):
        services.item_publish(user=author, item=item)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_return(user=editor, item=item, comment="Add the budget, please.")
    item.refresh_from_db()
    assert item.status == LibraryItem.Status.DRAFT
    assert ReviewComment.objects.get(item=item).body == "Add the budget, please."
    assert "Add the budget" in mailoutbox[-1].body
    services.item_submit(user=author, item=item)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_publish(user=editor, item=item, comment="Thank you")
    item.refresh_from_db()
    assert item.status == LibraryItem.Status.PUBLISHED and item.published_at
    document = Document.objects.get(provider="library.item", object_id=item.pk)
    assert document.year == 2019 and document.kind == "library.case_study"
    assert item.figures.get().value == Decimal("500")
    services.item_archive(user=editor, item=item)
    assert not Document.objects.exists()


def test_return_needs_a_comment(editorial):
    space, author, editor = editorial
    item = services.item_create(user=author, space=space, kind="news", title="T", summary="S")
    services.item_submit(user=author, item=item)
    with pytest.raises(ValidationError):
        services.item_return(user=editor, item=item, comment=" ")
    item.refresh_from_db()
    assert item.status == LibraryItem.Status.IN_REVIEW


def test_non_member_cannot_draft(space_factory, user_factory):
    with pytest.raises(PermissionDenied):
        services.item_create(
            user=user_factory(), space=space_factory(), kind="news", title="T", summary="S"
        )
    assert not LibraryItem.objects.exists()


def test_figures_only_where_the_kind_has_them(editorial):
    space, author, _editor = editorial
    with pytest.raises(ValidationError):
        services.item_create(
            user=author,
            space=space,
            kind="manifesto",
            title="T",
            summary="S",
            figures=[services.Figure("Budget", Decimal("1"), "EUR")],
        )
    assert not LibraryItem.objects.exists()


def test_translation_is_indexed(editorial, publish):
    space, author, editor = editorial
    item = publish(author=author, editor=editor, space=space, body="Social housing for families.")
    services.translation_save(
        user=editor,
        item=item,
        language="fr",
        title="Logement",
        summary="Résumé",
        body="Le logement social pour les familles.",
    )
    assert "logement social" in Document.objects.get().body
    with pytest.raises(ValidationError):
        services.translation_save(
            user=editor, item=item, language="en", title="x", summary="y", body=""
        )


def _pdf() -> SimpleUploadedFile:
    return files.pdf_upload("report.pdf")


def _docx() -> SimpleUploadedFile:
    return files.upload("notes.docx", files.ooxml_bytes("docx"))


def _odt() -> SimpleUploadedFile:
    return files.upload("notes.odt", files.odf_bytes("odt"))


@pytest.mark.parametrize(
    ("make", "mimetype"),
    [
        (_pdf, "application/pdf"),
        (_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (_odt, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_documents_accepted_by_their_bytes(editorial, make, mimetype):
    space, author, _editor = editorial
    item = services.item_create(user=author, space=space, kind="news", title="T", summary="S")
    attachment = services.attachment_add(user=author, item=item, upload=make())
    assert attachment.mimetype == mimetype


def test_executable_renamed_pdf_is_refused(editorial):
    space, author, _editor = editorial
    item = services.item_create(user=author, space=space, kind="news", title="T", summary="S")
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100)
    with pytest.raises(ValidationError, match="not a PDF"):
        services.attachment_add(user=author, item=item, upload=fake)
    assert not ItemAttachment.objects.exists()


def test_huge_file_refused_by_size_before_reading(editorial):
    space, author, _editor = editorial
    item = services.item_create(user=author, space=space, kind="news", title="T", summary="S")

    class Huge:
        name = "big.pdf"
        size = 200 * 1024 * 1024

        def read(self, *args):  # pragma: no cover - must never be called
            raise AssertionError("read a 200 MB file")

    with pytest.raises(ValidationError, match="too large"):
        services.attachment_add(user=author, item=item, upload=Huge())
    assert not ItemAttachment.objects.exists()
