"""Cover images and portraits: checked, resized once on upload, served in a few widths.

One mechanism for every picture a page shows at the top or on a card (a space's, an event's, a
commons' and a pact's cover, a speaker's portrait); decision 0009 says why it is built this way.

**On the model**, a picture is four fields named from one prefix (``cover`` here)::

    cover = images.PictureField(_("cover image"), upload_to="spaces/covers/%Y/")
    cover_alt = images.alt_field()
    cover_decorative = images.decorative_field()
    cover_variants = images.variants_field()

The stored file is a WebP image at most ``widths[-1]`` pixels wide (1280 for a cover), with the
EXIF orientation applied and no metadata kept (no camera, no place, no date): the uploaded file
itself is never stored. Each smaller width is a file named from it: ``<token>.webp`` has
``<token>.320w.webp`` and ``<token>.640w.webp`` next to it. ``cover_variants`` lists the widths
and heights stored (``[[320, 180], [640, 360], [1280, 720]]``), so a page writes ``srcset``,
``width`` and ``height`` without opening a file. ``/media/`` serves a variant to whom may read
the original (``cocity.core.media.register(..., variants=True)``).

**In a service**, ``picture_set(row, "cover", upload=..., alt=..., decorative=...)`` checks the
upload with ``cocity.core.uploads`` (by content, ``COCITY_MAX_UPLOAD_BYTES["image"]``, SVG and
decompression bombs refused), decodes and resizes it in memory (a truncated file is refused
here), and leaves the files to be written by ``row.save()``, after ``full_clean()``: a refused
picture, or a row refused for another reason, leaves nothing in ``MEDIA_ROOT``. The files a
picture replaces are deleted once the transaction commits. ``upload=False`` removes the picture.

**The rule for alt text**: every uploaded picture has a text alternative, unless whoever
uploads it says it is decorative (then ``alt=""``). The form says so on the alt field
(``clean_picture``); the model field says it again in ``full_clean()``.

**In a template**, ``{% load images %}{% picture space.cover "card" %}``
(``templatetags/images.py``) renders the ``<img>`` with ``srcset``, ``sizes``, ``width``,
``height``, ``loading="lazy"`` and ``decoding="async"``; without a picture it renders a
pattern drawn from the row's id (an inline SVG, ``aria-hidden``), so cards keep their shape.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import secrets
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from cocity.core import media, uploads

COVER_WIDTHS = (400, 800, 1280)  # a card (23rem at most), a phone at 2x, a page header
PORTRAIT_WIDTHS = (160, 320, 640)
QUALITY = 80  # WebP quality: a 1280 px photograph in 60-150 kB, an illustration in 10-40 kB

NOT_READABLE = _("This image is damaged or incomplete; save it again and upload that copy.")
ALT_MISSING = _(
    "Describe the image for people who cannot see it, or tick “Decorative” if it says nothing "
    "the page does not say."
)
ALT_WITHOUT_IMAGE = _("There is no image to describe: upload one, or leave this empty.")


# --- the model fields ---------------------------------------------------------------------------


class PictureField(media.ImageField):
    """A stored picture: a WebP file named by a random token, with its smaller widths beside it.

    Its companions ``<name>_alt``, ``<name>_decorative`` and ``<name>_variants`` are declared on
    the model next to it (``alt_field()``, ``decorative_field()``, ``variants_field()``).
    """

    def __init__(self, *args: Any, widths: Sequence[int] = COVER_WIDTHS, **kwargs: Any) -> None:
        self.widths = tuple(widths)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)  # the services set it, never a model form
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.widths != COVER_WIDTHS:
            kwargs["widths"] = self.widths
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if value and model_instance is not None and not _described(model_instance, self.name):
            raise ValidationError(ALT_MISSING, code="alt_missing")

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            prepared = getattr(file.file, "cocity_picture", None)
            if prepared is None:  # not through picture_set: keep the shared naming rule
                return super().pre_save(model_instance, add)
            _store(file, prepared)
        return file


def alt_field() -> models.CharField:
    return models.CharField(
        _("text alternative"), max_length=300, blank=True, default="", editable=False
    )


def decorative_field() -> models.BooleanField:
    return models.BooleanField(_("decorative"), default=False, editable=False)


def variants_field() -> models.JSONField:
    return models.JSONField(_("stored widths"), default=list, blank=True, editable=False)


def _described(row: models.Model, name: str) -> bool:
    alt = (getattr(row, f"{name}_alt", "") or "").strip()
    return bool(alt) or bool(getattr(row, f"{name}_decorative", False))


# --- preparing an upload ------------------------------------------------------------------------


@dataclass
class Prepared:
    """An upload decoded and resized: WebP bytes per width, smallest first."""

    sizes: list[tuple[int, int]]
    blobs: list[bytes] = field(repr=False)

    @property
    def variants(self) -> list[list[int]]:
        return [[w, h] for w, h in self.sizes]


def prepare(upload: Any, *, widths: Sequence[int] = COVER_WIDTHS, field: str = "") -> Prepared:
    """Check ``upload`` (``cocity.core.uploads``), then decode it fully, turn it upright, drop
    its metadata and encode it as WebP at each of ``widths`` narrower than it (and at its own
    width when it is narrower than the largest). Raises ``ValidationError`` under ``field``."""
    uploads.check_upload(upload, (uploads.IMAGE,), field=field or None)
    handle = getattr(upload, "file", upload)
    handle.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(handle, formats=list(uploads.IMAGE_FORMATS)) as opened:
                opened.draft("RGB", (max(widths), max(widths)))  # JPEG: decode at a smaller scale
                image = ImageOps.exif_transpose(opened)  # loads every pixel: truncation fails here
                image = _plain(image)
    except Exception as error:  # Pillow raises many kinds of error for a damaged file
        raise _error(NOT_READABLE, "not_readable", field) from error
    finally:
        handle.seek(0)
    largest = min(image.width, max(widths))
    targets = sorted({w for w in widths if w < largest} | {largest})
    sizes: list[tuple[int, int]] = []
    blobs: list[bytes] = []
    current = image
    for width in reversed(targets):  # largest first, each from the one above: fast and sharp
        height = max(1, round(image.height * width / image.width))
        if (width, height) != current.size:
            current = current.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        current.save(buffer, "WEBP", quality=QUALITY, method=4)  # no exif, no xmp: none kept
        sizes.insert(0, (width, height))
        blobs.insert(0, buffer.getvalue())
    return Prepared(sizes, blobs)


def _plain(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency; nothing from the original's info."""
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    plain = image.convert("RGBA" if alpha else "RGB")
    plain.info = {}
    return plain


def _error(message: Any, code: str, field: str) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: [error]}) if field else error


# --- writing and removing -----------------------------------------------------------------------


def picture_set(
    row: models.Model,
    name: str,
    *,
    upload: Any = None,
    alt: str = "",
    decorative: bool = False,
    field: str | None = None,
    prepared: Prepared | None = None,
) -> None:
    """Change the picture ``name`` of ``row`` (not saved): ``upload`` a new image, ``False`` to
    remove it, ``None`` to keep it; ``alt`` and ``decorative`` are always set. Files are written
    by ``row.save()``; those replaced are deleted when the transaction commits. ``prepared``:
    an image ``prepare`` already made (the demo draws each illustration once per process)."""
    model_field = row._meta.get_field(name)
    if not isinstance(model_field, PictureField):
        raise TypeError(f"{type(row).__name__}.{name} is not a PictureField")
    error_field = field or name
    current: FieldFile = getattr(row, name)
    old = (current.name or "", list(getattr(row, f"{name}_variants") or [])) if current else None
    if prepared is not None or (upload is not None and upload is not False):
        if prepared is None:
            prepared = prepare(upload, widths=model_field.widths, field=error_field)
        content = ContentFile(prepared.blobs[-1], name="picture.webp")
        content.cocity_picture = prepared  # type: ignore[attr-defined]
        setattr(row, name, content)
        setattr(row, f"{name}_variants", prepared.variants)
    elif upload is False:
        setattr(row, name, "")
        setattr(row, f"{name}_variants", [])
    has_picture = bool(getattr(row, name))
    alt = (alt or "").strip()
    if not has_picture and alt:
        raise ValidationError({f"{error_field}_alt": ALT_WITHOUT_IMAGE})
    setattr(row, f"{name}_alt", "" if decorative else alt)
    setattr(row, f"{name}_decorative", bool(decorative) and has_picture)
    if has_picture and not _described(row, name):
        raise ValidationError({f"{error_field}_alt": ALT_MISSING})
    if old is not None and (upload is not None or prepared is not None):
        storage = model_field.storage
        transaction.on_commit(lambda: delete_files(storage, *old))


def _store(file: FieldFile, prepared: Prepared) -> None:
    """Write the largest width under a random name, then each smaller width next to it; if any
    write fails, what was written is removed and the save fails."""
    written: list[str] = []
    try:
        file.save(f"{secrets.token_urlsafe(18)}.webp", file.file, save=False)
        written.append(file.name or "")
        for (width, _height), blob in zip(prepared.sizes[:-1], prepared.blobs[:-1], strict=True):
            wanted = variant_name(file.name or "", width)
            stored = file.storage.save(wanted, ContentFile(blob))
            written.append(stored)
            if stored != wanted:
                raise OSError(f"variant stored as {stored}, not {wanted}")
    except Exception:
        for name in written:
            with contextlib.suppress(OSError):
                file.storage.delete(name)
        raise


def delete_files(storage: Any, name: str, variants: Sequence[Sequence[int]]) -> None:
    """Remove a stored picture and its widths (best effort: a missing file is no error)."""
    names = [name] + [variant_name(name, w) for w, _h in variants[:-1]]
    for stored in names:
        with contextlib.suppress(OSError):
            storage.delete(stored)


def variant_name(name: str, width: int) -> str:
    """``spaces/covers/2026/<token>.webp`` -> ``spaces/covers/2026/<token>.640w.webp``."""
    stem = name.rsplit(".", 1)[0]
    return f"{stem}.{width}w.webp"


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    url: str
    width: int
    height: int


def sources(file: FieldFile) -> list[Source]:
    """Every stored width of a picture, smallest first (the last is the stored file itself)."""
    if not file:
        return []
    row, name = file.instance, file.field.name
    variants = list(getattr(row, f"{name}_variants", None) or [])
    if not variants:  # stored some other way: the file alone, of unknown size
        return [Source(file.url, 0, 0)]
    stored = file.name or ""
    found = [Source(file.storage.url(variant_name(stored, w)), w, h) for w, h in variants[:-1]]
    width, height = variants[-1]
    return [*found, Source(file.url, width, height)]


def alt_text(file: FieldFile) -> str:
    row, name = file.instance, file.field.name
    if getattr(row, f"{name}_decorative", False):
        return ""
    return str(getattr(row, f"{name}_alt", "") or "")


# --- the pattern when there is no picture -------------------------------------------------------

# Pairs of (background, shapes) with enough contrast to read as a pattern, none needed for text.
PALETTES = (
    ("#1d4e89", "#f2a541", "#7fb7be"),
    ("#2d6a4f", "#d8f3dc", "#95d5b2"),
    ("#6d2e46", "#f7d6e0", "#d5a021"),
    ("#264653", "#e9c46a", "#2a9d8f"),
    ("#3d348b", "#f7b801", "#7678ed"),
    ("#005f73", "#ee9b00", "#94d2bd"),
    ("#9b2226", "#fefae0", "#e9d8a6"),
    ("#40513b", "#edf1d6", "#9dc08b"),
)


def pattern_seed(*parts: Any) -> bytes:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()


def pattern_svg(seed: bytes, *, width: int = 320, height: int = 180) -> str:
    """An abstract pattern (a few circles and bands on a coloured ground) drawn from ``seed``:
    the same row always gets the same one. Plain SVG markup with no text and no script."""
    background, first, second = PALETTES[seed[0] % len(PALETTES)]
    shapes = [f'<rect width="{width}" height="{height}" fill="{background}"/>']
    for index in range(4):
        byte = seed[1 + index * 4 : 5 + index * 4]
        colour = first if index % 2 == 0 else second
        x, y = byte[0] * width // 255, byte[1] * height // 255
        if byte[2] % 3 == 0:  # a band across the picture
            angle = byte[3] % 180
            shapes.append(
                f'<rect x="{-width}" y="{y - 12 - byte[3] % 24}" width="{width * 3}" '
                f'height="{16 + byte[2] % 40}" fill="{colour}" opacity="0.55" '
                f'transform="rotate({angle} {x} {y})"/>'
            )
        else:
            radius = 20 + byte[3] * height // 400
            shapes.append(f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{colour}" opacity="0.7"/>')
    return "".join(shapes)


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name or "") if w[:1].isalpha()]
    letters = (words[0][:1] + (words[-1][:1] if len(words) > 1 else "")) if words else "?"
    return letters.upper()


# --- forms ---------------------------------------------------------------------------------------


class PictureFormField(forms.ImageField):
    """An image checked by ``cocity.core.uploads`` (declared size first, then content) before
    Django's own image field reads it; SVG is refused with its own message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("JPEG, PNG or WebP. It is resized for each screen; its metadata is removed."),
        )
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        uploads.check_upload(data, (uploads.IMAGE,))
        return super().to_python(data)


def alt_form_field(*, label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Text alternative"),
        required=False,
        max_length=300,
        help_text=_(
            "What the image shows, for people who cannot see it. Required with an image, "
            "unless it is decorative."
        ),
    )


def decorative_form_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Decorative: the image says nothing the page does not say"),
        required=False,
    )


def clean_picture(form: forms.BaseForm, name: str = "cover") -> None:
    """The form's half of the alt-text rule (call it from ``clean()``): an image, new or kept,
    needs a text alternative unless it is decorative; a text alternative needs an image. Leaves
    in ``cleaned_data[name]`` what the service takes: a new upload, ``False`` to remove the
    picture, or ``None`` to keep it as it is."""
    data = form.cleaned_data
    value = data.get(name)
    alt = (data.get(f"{name}_alt") or "").strip()
    data[f"{name}_alt"] = alt
    decorative = bool(data.get(f"{name}_decorative"))
    data[f"{name}_decorative"] = decorative
    if name in form.errors:
        return
    if value and not alt and not decorative:
        form.add_error(f"{name}_alt", ALT_MISSING)
    elif not value and alt:
        form.add_error(f"{name}_alt", ALT_WITHOUT_IMAGE)
    new = value is not None and value is not False and hasattr(value, "content_type")
    data[name] = value if (new or value is False) else None


def picture_initial(row: models.Model, name: str = "cover") -> dict[str, Any]:
    """A form's initial values for the picture ``name`` of ``row``."""
    return {
        name: getattr(row, name) or None,
        f"{name}_alt": getattr(row, f"{name}_alt"),
        f"{name}_decorative": getattr(row, f"{name}_decorative"),
    }
