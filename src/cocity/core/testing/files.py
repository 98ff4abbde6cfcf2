"""Small real files for tests of uploads (``cocity.core.uploads`` reads them as a person's would
be read): a one-page PDF, images, office documents, and a few that only pretend to be one."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from cocity.core.uploads import ODF_TYPES, OOXML_TYPES


def pdf_bytes(pages: int = 1, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if password is not None:
        writer.encrypt(user_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, fmt)
    return buffer.getvalue()


VBA = "application/vnd.ms-office.vbaProject"


def ooxml_bytes(extension: str = "docx", *, macros: bool = False) -> bytes:
    main = next(m for m, (_type, ext) in OOXML_TYPES.items() if ext == extension)
    if macros:  # a Word document with macros (.docm) calls its main part this
        main = "application/vnd.ms-word.document.macroEnabled.main+xml"
    folder = {
        "docx": "word/document.xml",
        "xlsx": "xl/workbook.xml",
        "pptx": "ppt/presentation.xml",
    }
    part = folder[extension]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{part}" ContentType="{main}"/>'
        + (f'<Default Extension="bin" ContentType="{VBA}"/>' if macros else "")
        + "</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def odf_bytes(extension: str = "odt") -> bytes:
    mimetype = next(m for m, ext in ODF_TYPES.items() if ext == extension)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type=content_type or "application/octet-stream"
    )


def pdf_upload(name: str = "document.pdf", **kwargs: object) -> SimpleUploadedFile:
    return upload(name, pdf_bytes(**kwargs), "application/pdf")  # type: ignore[arg-type]


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG"), "image/png")


def jpeg_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG"), "image/jpeg")
