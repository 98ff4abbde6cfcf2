"""Attachments are checked by what they are, not by their names, and by size before reading."""

import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

OOXML_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
NOT_ACCEPTED = _(
    "This file is not a PDF or an office document (Word, Excel, PowerPoint, OpenDocument)."
)


def max_attachment_bytes() -> int:
    return int(getattr(settings, "COCITY_LIBRARY_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))


def check_size(upload: Any) -> None:
    limit = max_attachment_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def detect_document_type(upload: Any) -> str:
    """The MIME type of a PDF, OOXML or ODF document, from its bytes; refuse anything else."""
    check_size(upload)  # by the declared size, before reading a byte
    handle = getattr(upload, "file", upload)
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(handle) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                    if mimetype.startswith("application/vnd.oasis.opendocument."):
                        return mimetype
                if "[Content_Types].xml" in names:
                    for prefix, mimetype in OOXML_TYPES.items():
                        if any(name.startswith(prefix) for name in names):
                            return mimetype
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        finally:
            handle.seek(0)
    raise ValidationError(NOT_ACCEPTED, code="bad_type")
