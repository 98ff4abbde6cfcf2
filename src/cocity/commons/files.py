"""Uploaded files are checked by what they are, not by their names: images opened by Pillow,
PDFs by their magic bytes, both under a size limit (settings, read when checked)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError


def _check_size(upload: Any, limit: int) -> None:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def validate_image(upload: Any) -> None:
    _check_size(upload, getattr(settings, "COCITY_COMMONS_MAX_IMAGE_BYTES", 5_242_880))
    handle = getattr(upload, "file", upload)
    try:
        position = handle.tell()
        with Image.open(handle) as image:
            image.verify()
            fmt = image.format
        handle.seek(position)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This is not an image we can read (JPEG, PNG or WebP)."), code="not_image"
        ) from exc
    if fmt not in ("JPEG", "PNG", "WEBP"):
        raise ValidationError(
            _("This is not an image we can read (JPEG, PNG or WebP)."), code="not_image"
        )


def validate_pdf(upload: Any) -> None:
    _check_size(upload, getattr(settings, "COCITY_COMMONS_MAX_PDF_BYTES", 10_485_760))
    handle = getattr(upload, "file", upload)
    position = handle.tell()
    handle.seek(0)
    head = handle.read(1024)
    handle.seek(position)
    if b"%PDF-" not in head[:1024]:
        raise ValidationError(_("This file is not a PDF."), code="not_pdf")
