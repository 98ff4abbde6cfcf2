"""Uploaded files: stored under a random name, served only to whom may read their page.

**Storing.** Every uploaded file is a ``cocity.core.media.FileField`` or ``ImageField``: when a
new file is saved, its name becomes a random token with the extension of what the file *is*
(``cocity.core.uploads.detect``), under the field's ``upload_to`` folder. The sender's name and
extension are never used for a path (a PDF named ``page.html`` is stored as ``<token>.pdf``), and
a name cannot be guessed from another.

**Serving.** ``/media/<path>`` is one view (``cocity.core.views.media``). It finds the row that
holds ``<path>`` through this registry, asks the row's reader rule whether the viewer may read
it (the same permission as the page the file is shown on), and answers 404 otherwise, as the
page does. Each app registers its files in ``<app>/media.py`` (imported by
``CoreConfig.ready()``)::

    from cocity.core.media import register

    register(ItemAttachment, "file", can_read=lambda user, row: user.has_perm(
        "library.view_item", row.item), download_name=lambda row: row.name)

The response carries the type the file's first bytes confirm (``uploads.served_type``; anything
else is ``application/octet-stream``), ``X-Content-Type-Options: nosniff``, a
Content-Security-Policy that runs nothing, ``Content-Disposition: attachment`` for anything
that is not an image, and ``Cache-Control: private, no-store`` unless a visitor could read it
too. With ``COCITY_MEDIA_ACCEL_REDIRECT`` set (production behind nginx), the view sends no
bytes: it answers with ``X-Accel-Redirect`` and nginx sends the file from an ``internal``
location (``docs/deployment.md``).
"""

from __future__ import annotations

import posixpath
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from cocity.core import uploads

Reader = Callable[[Any, Any], bool]  # (viewer, row) -> may this viewer read the row's file?
# A smaller width of a stored picture: ``<token>.640w.webp`` beside ``<token>.webp``.
_VARIANT = re.compile(r"^(?P<stem>.+)\.(?P<width>\d{2,5})w\.webp$")


def random_name(file: Any) -> str:
    """A new name for ``file``: a random token and the extension of its content."""
    detected = uploads.detect(file)
    extension = detected.extension if detected is not None else "bin"
    return f"{secrets.token_urlsafe(18)}.{extension}"


class _RandomNameMixin:
    """Renames a new upload as it is saved: ``random_name`` under ``upload_to``."""

    attname: str

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.save(random_name(file), file.file, save=False)
        return file


class FileField(_RandomNameMixin, models.FileField):
    """A ``models.FileField`` whose stored name is random, with its content's extension."""


class ImageField(_RandomNameMixin, models.ImageField):
    """A ``models.ImageField`` whose stored name is random, with its content's extension."""


@dataclass(frozen=True)
class MediaOwner:
    """A model field whose files ``/media/`` serves, and who may read them."""

    model: type[models.Model]
    field: str
    folder: str  # the fixed start of ``upload_to``: "library/files/"
    can_read: Reader
    download_name: Callable[[Any], str] | None = None
    variants: bool = False  # smaller widths stored beside the file (cocity.core.images)

    def stored_name(self, path: str) -> str:
        """The name in the row for ``path``: itself, or the picture a width was made from."""
        if self.variants and (match := _VARIANT.match(path)):
            return f"{match['stem']}.webp"
        return path

    def row_for(self, path: str) -> models.Model | None:
        return self.model._default_manager.filter(**{self.field: self.stored_name(path)}).first()


_owners: dict[tuple[str, str], MediaOwner] = {}


def register(
    model: type[models.Model],
    field: str,
    *,
    can_read: Reader,
    download_name: Callable[[Any], str] | None = None,
    variants: bool = False,
) -> MediaOwner:
    upload_to = model._meta.get_field(field).upload_to  # type: ignore[union-attr]
    if not isinstance(upload_to, str):
        raise TypeError(f"{model.__name__}.{field}: upload_to must be a folder ('x/%Y/')")
    folder = upload_to.split("%", 1)[0]
    owner = MediaOwner(model, field, folder, can_read, download_name, variants)
    _owners[(model._meta.label, field)] = owner
    return owner


def registered() -> list[MediaOwner]:
    return list(_owners.values())


def find(path: str) -> tuple[MediaOwner, models.Model] | None:
    """The registered owner and row holding the stored file ``path``, if any."""
    path = posixpath.normpath(path)
    if path.startswith(("/", "..")) or "\x00" in path:
        return None
    for owner in _owners.values():
        if path.startswith(owner.folder):
            row = owner.row_for(path)
            if row is not None:
                return owner, row
    return None


def field_file(owner: MediaOwner, row: models.Model, path: str | None = None) -> FieldFile:
    """The row's file, or (``path`` of a smaller width, ``variants=True``) that width's file."""
    stored: FieldFile = getattr(row, owner.field)
    path = posixpath.normpath(path) if path else None
    if path is None or path == stored.name or owner.stored_name(path) != stored.name:
        return stored
    return FieldFile(row, stored.field, path)
