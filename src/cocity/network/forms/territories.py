"""Forms for territories (used by the Django admin): the model's own validation runs, and the
boundary is normalised to a bare Polygon or MultiPolygon geometry."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..geojson import normalise_boundary
from ..models import Territory
from ..services.territories import validate_children_kinds


class TerritoryAdminForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ("name", "code", "kind", "parent", "boundary")
        help_texts = {
            "code": _("Capital letters, digits, “-” or “_”: for example BE, BE-BRU, FR-75-11."),
            "boundary": _("A GeoJSON Polygon or MultiPolygon (a Feature is accepted too)."),
        }

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean_boundary(self) -> Any:
        value = self.cleaned_data.get("boundary")
        return normalise_boundary(value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind and self.instance.pk:
            try:
                validate_children_kinds(self.instance, kind)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
