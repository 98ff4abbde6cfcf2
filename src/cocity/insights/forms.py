"""Forms parse and clean input; services validate the data and write."""

from __future__ import annotations

import codecs
from functools import cached_property
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core import uploads
from cocity.core.text import clean_plain_text

from .services import parse_groups


def _read_text(upload: Any, kind: str) -> str:
    """The text of an upload within ``COCITY_MAX_UPLOAD_BYTES[kind]`` (``cocity.core.uploads``)."""
    uploads.check_size(upload, kind)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    if "\x00" in text:
        raise ValidationError(_("The file is not text."))
    return str(text)


def _check_text(upload: Any, kind: str) -> None:
    """``_read_text``'s checks chunk by chunk, for a large upload that is stored as it came
    and read by the background task: it is never held in memory whole."""
    uploads.check_size(upload, kind)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    has_nul = False
    try:
        for chunk in upload.chunks():
            decoder.decode(chunk)
            has_nul = has_nul or b"\x00" in chunk
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    if has_nul:
        raise ValidationError(_("The file is not text."))
    upload.seek(0)


class DataSetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(
        label=_("Source"), max_length=300, required=False, help_text=_("Who published the data.")
    )
    year = forms.IntegerField(label=_("Year"), min_value=1800, max_value=2200)
    groups = forms.CharField(
        label=_("Groups"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "One group per line: the CSV column, then “=” and a label, e.g. “abroad = Born abroad”."
        ),
    )
    total_column = forms.CharField(
        label=_("Total column"),
        max_length=100,
        required=False,
        help_text=_("Optional: the column with everyone living in the area."),
    )
    id_column = forms.CharField(label=_("Territory code column"), max_length=100, initial="code")
    counts = forms.FileField(label=_("Counts (CSV)"), help_text=_("One row per territory code."))
    boundaries = forms.FileField(
        label=_("Boundaries (GeoJSON)"),
        required=False,
        help_text=_("Optional: otherwise the boundaries of the territory tree are used."),
    )
    id_property = forms.CharField(
        label=_("Code property in the GeoJSON"), max_length=100, initial="code", required=False
    )

    plain_fields = ("name", "source", "groups", "total_column", "id_column", "id_property")

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.now().year + 1:
            raise ValidationError(_("Choose a year that has happened."))
        return int(year)

    @cached_property
    def queued(self) -> bool:
        """Whether the uploads are large enough (``COCITY_INSIGHTS_ASYNC_BYTES`` together) to
        be checked and written in the background: then ``counts`` and ``boundaries`` are the
        uploaded files, checked as text but not read into memory; otherwise their text."""
        sizes = [getattr(self.files.get(name), "size", 0) or 0 for name in ("counts", "boundaries")]
        return sum(sizes) > settings.COCITY_INSIGHTS_ASYNC_BYTES

    def clean_counts(self) -> Any:
        upload = self.cleaned_data["counts"]
        if self.queued:
            _check_text(upload, "csv")
            return upload
        return _read_text(upload, "csv")

    def clean_boundaries(self) -> Any:
        upload = self.cleaned_data.get("boundaries")
        if not upload:
            return None
        if self.queued:
            _check_text(upload, "geojson")
            return upload
        return _read_text(upload, "geojson")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.plain_fields:
            if isinstance(data.get(name), str):
                data[name] = clean_plain_text(data[name]).strip()
        if data.get("groups") is not None:
            data["group_list"] = parse_groups(data["groups"])
            if not data["group_list"]:
                self.add_error("groups", _("Name at least one group column."))
        return data


class MapForm(forms.Form):
    measure = forms.CharField(required=False, max_length=120)
