"""One rule per format (cocity.core.uploads): a file is what its content is, never what its name
or declared type says; each kind has its size limit from COCITY_MAX_UPLOAD_BYTES; the same bad
file gets the same message wherever it is uploaded, in English and in French."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cocity.core import uploads
from cocity.core.testing.files import (
    image_bytes,
    odf_bytes,
    ooxml_bytes,
    pdf_bytes,
    upload,
)

OOXML = "application/vnd.openxmlformats-officedocument."
DOCX, XLSX, PPTX = (f"{OOXML}wordprocessingml.document", f"{OOXML}spreadsheetml.sheet",
                    f"{OOXML}presentationml.presentation")  # fmt: skip
ODF = "application/vnd.oasis.opendocument."


def refused(accept, content, name="file.bin", **kwargs):
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload(name, content), accept, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("content", "accept", "kind", "mimetype", "extension"),
    [
        (pdf_bytes(), (uploads.PDF,), "pdf", "application/pdf", "pdf"),
        (pdf_bytes(3), uploads.DOCUMENT, "pdf", "application/pdf", "pdf"),
        (image_bytes("PNG"), (uploads.IMAGE,), "image", "image/png", "png"),
        (image_bytes("JPEG"), (uploads.IMAGE,), "image", "image/jpeg", "jpg"),
        (image_bytes("WEBP"), (uploads.IMAGE, uploads.PDF), "image", "image/webp", "webp"),
        (ooxml_bytes("docx"), uploads.DOCUMENT, "office", DOCX, "docx"),
        (ooxml_bytes("xlsx"), (uploads.OFFICE,), "office", XLSX, "xlsx"),
        (ooxml_bytes("pptx"), uploads.DOCUMENT, "office", PPTX, "pptx"),
        (odf_bytes("odt"), uploads.DOCUMENT, "office", ODF + "text", "odt"),
        (odf_bytes("ods"), uploads.DOCUMENT, "office", ODF + "spreadsheet", "ods"),
        (odf_bytes("odp"), uploads.KINDS, "office", ODF + "presentation", "odp"),
    ],
)  # fmt: skip
def test_real_files_are_detected_by_content_whatever_their_name(
    content, accept, kind, mimetype, extension
):
    file = upload("misleading-name.exe", content, "application/x-msdownload")
    detected = uploads.check_upload(file, accept)
    assert detected == uploads.Detected(kind, mimetype, extension)
    assert file.file.tell() == 0  # left ready to be stored


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


FAKE_PDFS = {
    "magic only": b"%PDF-1.4 hello",
    "magic and trailer, no structure": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "truncated real PDF": pdf_bytes()[:60],
    "password needed": pdf_bytes(password="secret"),
    "an executable": b"MZ\x90\x00" + b"\x00" * 200,
    "HTML": b"<html><script>alert(1)</script></html>",
    "empty": b"",
}


@pytest.mark.parametrize("content", FAKE_PDFS.values(), ids=FAKE_PDFS.keys())
def test_what_only_pretends_to_be_a_pdf_is_refused(content):
    error = refused((uploads.PDF,), content, "report.pdf")
    assert error.code == "not_accepted"
    assert error.messages == ["This file is not a PDF."]


FAKE_IMAGES = {
    "PNG signature, no image": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "truncated PNG": image_bytes("PNG", (64, 64))[:40],
    "GIF": image_bytes("GIF"),
    "BMP": image_bytes("BMP"),
    "PDF": pdf_bytes(),
    "text": b"just words",
}


@pytest.mark.parametrize("content", FAKE_IMAGES.values(), ids=FAKE_IMAGES.keys())
def test_what_is_not_a_jpeg_png_or_webp_is_refused(content):
    error = refused((uploads.IMAGE,), content, "photo.png")
    assert error.messages == ["This is not an image we can read (JPEG, PNG or WebP)."]


def test_an_svg_is_refused_with_its_own_reason_whatever_its_name():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    error = refused((uploads.IMAGE,), svg, "logo.png")
    assert error.code == "svg"
    assert "SVG images are not accepted" in error.messages[0]


def test_a_decompression_bomb_is_refused(settings):
    from PIL import Image

    content = image_bytes("PNG", (300, 300))
    old = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 300 * 300 // 2 - 1  # warning threshold below, error above twice
    try:
        error = refused((uploads.IMAGE,), content, "bomb.png")
    finally:
        Image.MAX_IMAGE_PIXELS = old
    assert error.code == "not_accepted"


FAKE_OFFICE = {
    "zip of anything": _zip({"readme.txt": b"hello"}),
    "content types without a main part": _zip({"[Content_Types].xml": b"<Types/>"}),
    "Word with macros": ooxml_bytes("docx", macros=True),
    "OpenDocument drawing": _zip({"mimetype": b"application/vnd.oasis.opendocument.graphics"}),
    "broken zip": b"PK\x03\x04" + b"\x00" * 100,
    "jar": _zip({"META-INF/MANIFEST.MF": b"Main-Class: X"}),
}


@pytest.mark.parametrize("content", FAKE_OFFICE.values(), ids=FAKE_OFFICE.keys())
def test_what_is_not_an_accepted_office_document_is_refused(content):
    error = refused(uploads.DOCUMENT, content, "notes.docx")
    assert error.messages == [
        "This file is not a PDF or an office document (Word, Excel, PowerPoint, OpenDocument)."
    ]


def test_each_accepted_set_has_its_message():
    assert set(uploads.NOT_ACCEPTED) == {
        frozenset(c)
        for c in [
            ("pdf",), ("image",), ("office",), ("pdf", "image"), ("pdf", "office"),
            ("image", "office"), ("pdf", "image", "office"),
        ]
    }  # fmt: skip
    with pytest.raises(ValueError):
        uploads.check_upload(upload("x", pdf_bytes()), ("exe",))


def test_sizes_come_from_one_setting_per_kind(settings):
    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 100}
    error = refused((uploads.PDF,), pdf_bytes(), "big.pdf")
    assert error.code == "too_large"
    assert error.messages == [
        f"The file is too large ({len(pdf_bytes())}\xa0bytes); the limit is 100\xa0bytes."
    ]
    # with PDF and images accepted, a large PDF passes the first (largest) check and is then
    # held to the PDF limit; the image limit does not apply to it
    settings.COCITY_MAX_UPLOAD_BYTES = {
        **settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 100, "image": 10_000_000
    }  # fmt: skip
    assert refused((uploads.PDF, uploads.IMAGE), pdf_bytes()).code == "too_large"
    assert uploads.check_upload(upload("p.png", image_bytes()), (uploads.PDF, uploads.IMAGE))
    # a named limit replaces the kind's: logos
    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "logo": 10}
    assert refused((uploads.IMAGE,), image_bytes(), limit="logo").code == "too_large"


def test_the_declared_size_is_refused_before_a_byte_is_read(settings):
    class Unreadable(SimpleUploadedFile):
        def read(self, *args, **kwargs):
            raise AssertionError("read")

    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 10}
    file = Unreadable("x.pdf", pdf_bytes())
    file.file.read = file.read  # type: ignore[method-assign]
    with pytest.raises(ValidationError, match="too large"):
        uploads.check_upload(file, (uploads.PDF,))


def test_an_error_can_be_put_under_a_field():
    error = refused((uploads.PDF,), b"nope", field="evidence_file")
    assert error.message_dict == {"evidence_file": ["This file is not a PDF."]}


def test_messages_are_in_french(_tiny_pdf_limit):
    errors = [refused(accept, b"MZ nothing") for accept in uploads.NOT_ACCEPTED]
    errors += [refused((uploads.IMAGE,), b"<svg/>"), refused((uploads.PDF,), b"x" * 200)]
    for error in errors:
        english = error.messages[0]
        with translation.override("fr"):
            french = error.messages[0]
        assert french != english, english


@pytest.fixture
def _tiny_pdf_limit(settings):
    settings.COCITY_MAX_UPLOAD_BYTES = {**settings.COCITY_MAX_UPLOAD_BYTES, "pdf": 100}


def test_detect_names_any_kind_by_content_and_nothing_else():
    assert uploads.detect(upload("x.html", pdf_bytes())).extension == "pdf"
    assert uploads.detect(upload("x.pdf", image_bytes("WEBP"))).extension == "webp"
    assert uploads.detect(upload("x.pdf", b"<html>hello</html>")) is None


@pytest.mark.parametrize(
    ("name", "head", "served"),
    [
        ("a/x.pdf", pdf_bytes()[:1024], "application/pdf"),
        ("a/x.png", image_bytes("PNG")[:1024], "image/png"),
        ("a/x.webp", image_bytes("WEBP")[:1024], "image/webp"),
        ("a/x.jpg", image_bytes("JPEG")[:1024], "image/jpeg"),
        ("a/x.png", pdf_bytes()[:1024], None),  # the name and the bytes disagree
        ("a/x.html", pdf_bytes()[:1024], None),  # not a type we store
        ("a/x.webp", b"RIFF\x00\x00\x00\x00WAVE", None),
        ("a/noextension", pdf_bytes()[:1024], None),
    ],
)
def test_a_stored_file_is_served_as_its_type_only_when_its_bytes_agree(name, head, served):
    found = uploads.served_type(name, head)
    assert (found.mimetype if found else None) == served


def test_a_stored_file_is_not_read_again():
    class Stored:  # a committed FieldFile: checked when it was uploaded
        _committed = True
        storage = object()
        name = "commons/2026/yard.webp"

        @property
        def file(self):  # pragma: no cover - must never be opened
            raise AssertionError("read a stored file")

    assert uploads.check_upload(Stored(), (uploads.IMAGE,)).mimetype == "image/webp"
