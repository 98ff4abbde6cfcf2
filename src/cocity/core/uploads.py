"""Every uploaded file is checked here, by what it is, never by its name or its declared type.

One rule per format, the same in every app:

- **PDF**: ``%PDF-`` in the first 1 KiB, then parsed by pypdf (cross-reference table, trailer,
  catalogue and page tree); at least one page; a PDF that needs a password to open is refused.
- **image**: JPEG, PNG or WebP as Pillow reads it (``Image.open`` limited to those three
  decoders, then ``verify()``); a decompression bomb is refused; an SVG is refused with its own
  message (it is a document that can carry scripts, not a picture).
- **office document**: a ZIP container. OpenDocument (odt, ods, odp): a ``mimetype`` member
  naming one of those three types. Office Open XML (docx, xlsx, pptx): a ``[Content_Types].xml``
  member naming the main part of one of those three; macro-enabled documents are refused.

Sizes are checked against ``settings.COCITY_MAX_UPLOAD_BYTES`` (one entry per kind, each from
its own environment variable: ``docs/configuration.md``): first the declared size against the
largest limit of the accepted kinds, before a byte is read, then against the detected kind's.

``check_upload`` returns what it found (``Detected``: kind, MIME type, extension), so a caller
can store the type; the stored file is named by its content (``detect``, used by the fields of
``cocity.core.media``), and served as the type its first bytes confirm (``served_type``).
``validate_pdf``, ``validate_image`` and ``validate_document`` are the same checks as field
validators (forms and models).

A file already stored (a committed ``FieldFile``, checked when it was uploaded) is not read
again when a model is validated once more.
"""

from __future__ import annotations

import contextlib
import warnings
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

PDF = "pdf"
IMAGE = "image"
OFFICE = "office"
KINDS = (PDF, IMAGE, OFFICE)
DOCUMENT = (PDF, OFFICE)


@dataclass(frozen=True)
class Detected:
    """What an upload is, from its content."""

    kind: str  # "pdf", "image" or "office"
    mimetype: str
    extension: str  # without the dot: "pdf", "jpg", "png", "webp", "docx", "odt"...


# Pillow's format name -> (MIME type, extension). GIF is not accepted: nobody needs animations.
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
_OOXML = "application/vnd.openxmlformats-officedocument."
# The main part's content type in [Content_Types].xml -> (the document's MIME type, extension).
OOXML_TYPES = {
    f"{_OOXML}wordprocessingml.document.main+xml": (f"{_OOXML}wordprocessingml.document", "docx"),
    f"{_OOXML}spreadsheetml.sheet.main+xml": (f"{_OOXML}spreadsheetml.sheet", "xlsx"),
    f"{_OOXML}presentationml.presentation.main+xml": (
        f"{_OOXML}presentationml.presentation",
        "pptx",
    ),
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_CONTENT_TYPES_MAX = 1_048_576  # [Content_Types].xml is a few KiB; never inflate more than this

TOO_LARGE = _("The file is too large (%(size)s); the limit is %(limit)s.")
SVG_REFUSED = _(
    "SVG images are not accepted because they can contain scripts. "
    "Upload a PNG, JPEG or WebP image instead."
)
NOT_ACCEPTED: dict[frozenset[str], _StrPromise] = {
    frozenset({PDF}): _("This file is not a PDF."),
    frozenset({IMAGE}): _("This is not an image we can read (JPEG, PNG or WebP)."),
    frozenset({OFFICE}): _(
        "This file is not an office document (Word, Excel, PowerPoint, OpenDocument)."
    ),
    frozenset({PDF, IMAGE}): _("This file is not a PDF or an image (JPEG, PNG or WebP)."),
    frozenset({PDF, OFFICE}): _(
        "This file is not a PDF or an office document (Word, Excel, PowerPoint, OpenDocument)."
    ),
    frozenset({IMAGE, OFFICE}): _(
        "This file is not an image (JPEG, PNG or WebP) or an office document "
        "(Word, Excel, PowerPoint, OpenDocument)."
    ),
    frozenset({PDF, IMAGE, OFFICE}): _(
        "This file is not a PDF, an image (JPEG, PNG or WebP) or an office document "
        "(Word, Excel, PowerPoint, OpenDocument)."
    ),
}


def max_upload_bytes(kind: str) -> int:
    """The limit for ``kind`` ("image", "logo", "pdf", "office", "csv", "geojson")."""
    return int(settings.COCITY_MAX_UPLOAD_BYTES[kind])


def check_size(upload: Any, kind: str, *, size: int | None = None) -> None:
    """Refuse ``upload`` (by its declared size, or ``size``) when it is over ``kind``'s limit."""
    limit = max_upload_bytes(kind)
    if size is None:
        size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def check_upload(
    upload: Any,
    accept: Collection[str],
    *,
    limit: str | None = None,
    field: str | None = None,
) -> Detected:
    """What ``upload`` is, if it is one of the ``accept`` kinds within its size limit.

    ``limit`` names the size limit to apply instead of the detected kind's (``"logo"``);
    ``field`` puts the error under that field name (for a service's ``ValidationError``).
    """
    try:
        return _check(upload, frozenset(accept), limit)
    except ValidationError as error:
        if field is None:
            raise
        raise ValidationError({field: error.error_list}) from error


def validate_pdf(upload: Any) -> None:
    """Field validator: a PDF within ``COCITY_MAX_UPLOAD_BYTES["pdf"]``."""
    check_upload(upload, (PDF,))


def validate_image(upload: Any) -> None:
    """Field validator: a JPEG, PNG or WebP image within ``COCITY_MAX_UPLOAD_BYTES["image"]``."""
    check_upload(upload, (IMAGE,))


def validate_document(upload: Any) -> None:
    """Field validator: a PDF or an office document, each within its kind's limit."""
    check_upload(upload, DOCUMENT)


# --- the checks ---------------------------------------------------------------------------------


def _check(upload: Any, accept: frozenset[str], limit: str | None) -> Detected:
    if not accept or not accept <= set(KINDS):
        raise ValueError(f"accept must be a non-empty subset of {KINDS}, not {sorted(accept)}")
    if getattr(upload, "_committed", False) and hasattr(upload, "storage"):
        # A stored file (FieldFile) was checked when it was uploaded; its type is its name's.
        return _from_stored_name(upload.name)
    limits = [limit] if limit else list(accept)
    largest = max(limits, key=max_upload_bytes)
    check_size(upload, largest)  # the declared size, before reading a byte
    detected = _detect(upload, accept)
    if detected is None:
        raise ValidationError(NOT_ACCEPTED[accept], code="not_accepted")
    if limit is None and len(limits) > 1:
        check_size(upload, detected.kind)
    with contextlib.suppress(AttributeError):  # kept for ``detect`` when it is stored
        _holder(upload).cocity_detected = detected
    return detected


def detect(upload: Any) -> Detected | None:
    """What ``upload`` is by its content (any kind, whatever its size), or None: the name a
    stored file gets (cocity.core.media) comes from this, never from the sender's name. An
    upload ``check_upload`` accepted is not read again: what it found is kept on the upload."""
    checked = getattr(_holder(upload), "cocity_detected", None)
    return checked if checked is not None else _detect(upload, frozenset(KINDS))


def _holder(upload: Any) -> Any:
    """The uploaded file itself, whether given as is or inside a model's (unsaved) FieldFile."""
    return upload.file if isinstance(upload, FieldFile) else upload


def _detect(upload: Any, accept: frozenset[str]) -> Detected | None:
    handle = getattr(upload, "file", upload)
    try:
        position = handle.tell()
    except (AttributeError, OSError):
        position = 0
    try:
        handle.seek(0)
        head = handle.read(1024)
        detected = None
        if PDF in accept and b"%PDF-" in head:
            detected = _pdf(handle)
        if detected is None and OFFICE in accept and head.startswith(b"PK\x03\x04"):
            detected = _office(handle)
        if detected is None and IMAGE in accept:
            if _is_svg(head):
                raise ValidationError(SVG_REFUSED, code="svg")
            detected = _image(handle)
    finally:
        handle.seek(position)
    return detected


# The first bytes each stored extension must start with to be served as its type.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
    **{ext: (b"PK\x03\x04",) for _, ext in OOXML_TYPES.values()},
    **dict.fromkeys(ODF_TYPES.values(), (b"PK\x03\x04",)),
}


def served_type(name: str, head: bytes) -> Detected | None:
    """The type a stored file is served as: its extension's, when the extension is one we store
    and the file's first bytes agree (checked fully when it was uploaded); otherwise None, and
    the file is sent as ``application/octet-stream`` to download (a file stored before names came
    from content may carry its sender's ``.html``)."""
    extension = (name or "").rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    extension = "jpg" if extension == "jpeg" else extension
    signatures = _SIGNATURES.get(extension, ())
    starts_right = any(head.startswith(sig) for sig in signatures)
    if not starts_right and not (extension == "pdf" and b"%PDF-" in head):  # (a preamble)
        return None
    if extension == "webp" and head[8:12] != b"WEBP":
        return None
    return _from_stored_name(name)


def _from_stored_name(name: str) -> Detected:
    extension = (name or "").rsplit(".", 1)[-1].lower()
    for mimetype, ext in IMAGE_FORMATS.values():
        if extension in (ext, "jpeg" if ext == "jpg" else ext):
            return Detected(IMAGE, mimetype, ext)
    for mimetype, ext in [*OOXML_TYPES.values(), *((m, e) for m, e in ODF_TYPES.items())]:
        if extension == ext:
            return Detected(OFFICE, mimetype, ext)
    return Detected(PDF, "application/pdf", "pdf")


def _is_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<") and b"<svg" in text


def _pdf(handle: Any) -> Detected | None:
    handle.seek(0)
    try:
        reader = PdfReader(handle, strict=False)
        if reader.is_encrypted:
            try:
                if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    return None  # it needs a password: nobody could read it
            except DependencyError:  # AES without the optional crypto library: parsed is enough
                return Detected(PDF, "application/pdf", "pdf")
        if len(reader.pages) < 1:
            return None
    except Exception:  # pypdf raises many kinds of error for a broken file
        return None
    return Detected(PDF, "application/pdf", "pdf")


def _image(handle: Any) -> Detected | None:
    handle.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(handle, formats=list(IMAGE_FORMATS)) as image:
                image_format = image.format
                image.verify()
    except Exception:  # Pillow raises many kinds of error for a file that is no image
        return None
    if image_format not in IMAGE_FORMATS:
        return None
    mimetype, extension = IMAGE_FORMATS[image_format]
    return Detected(IMAGE, mimetype, extension)


def _office(handle: Any) -> Detected | None:
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            members = {info.filename: info for info in archive.infolist()}
            mimetype_member = members.get("mimetype")
            if mimetype_member is not None:
                if mimetype_member.file_size > 100:
                    return None
                value = archive.read(mimetype_member).decode("ascii", "replace").strip()
                extension = ODF_TYPES.get(value)
                return Detected(OFFICE, value, extension) if extension else None
            types_member = members.get("[Content_Types].xml")
            if types_member is None or types_member.file_size > _CONTENT_TYPES_MAX:
                return None
            content_types = archive.read(types_member)
    except Exception:  # zipfile and zlib raise many kinds of error for a bad file
        return None
    if b"vbaProject" in content_types or b"macroEnabled" in content_types:
        return None  # macros: not accepted
    for main, (mimetype, extension) in OOXML_TYPES.items():
        if main.encode() in content_types:
            return Detected(OFFICE, mimetype, extension)
    return None
