"""Forms for territories (used by the Django admin): the model's own validation runs, and the
boundary is normalised to a bare Polygon or MultiPolygon geometry."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cocity.core.geo import BoundaryField

from ..models import Territory
from ..services.territories import validate_children_kinds


class TerritoryAdminForm(forms.ModelForm):
    boundary = BoundaryField(
        label=_("boundary (GeoJSON)"),
        required=False,
        help_text=_("A GeoJSON Polygon or MultiPolygon (a Feature is accepted too)."),
    )

    class Meta:
        model = Territory
        fields = ("name", "code", "kind", "parent", "boundary", "boundary_approximate")
        help_texts = {
            "code": _("Capital letters, digits, “-” or “_”: for example BE, BE-BRU, FR-75-11."),
        }

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind and self.instance.pk:
            try:
                validate_children_kinds(self.instance, kind)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
