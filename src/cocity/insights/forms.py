"""Forms parse and clean input; services validate the data and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core.text import clean_plain_text


class MapForm(forms.Form):
    measure = forms.CharField(required=False, max_length=120)


# --------------------------------------------------------------------------- the guided import


class ImportUploadForm(forms.Form):
    """The guided import's first step: the files as the city has them."""

    counts = forms.FileField(
        label=_("Counts (CSV or Excel)"),
        help_text=_(
            "One row per area, a column with the area's code and a column per group; any "
            "common delimiter and encoding."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx"}),
    )
    boundaries = forms.FileField(
        label=_("Boundaries (optional: GeoJSON, GeoPackage or zipped Shapefile)"),
        required=False,
        help_text=_(
            "The areas' outlines, in any projection the file states. Without them the places "
            "of the platform are used, matched by their codes."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.gpkg,.zip"}),
    )


class ImportChoiceForm(forms.Form):
    """The second step: which column is what, built from the columns the file has."""

    name = forms.CharField(label=_("Name of the data set"), max_length=200)
    source = forms.CharField(
        label=_("Source"), max_length=300, required=False, help_text=_("Who published the data.")
    )
    year = forms.IntegerField(label=_("Year of the data"), min_value=1800, max_value=2200)
    code_column = forms.ChoiceField(label=_("Column with the area's code"))
    name_column = forms.ChoiceField(label=_("Column with the area's name"), required=False)
    total_column = forms.ChoiceField(
        label=_("Total column"),
        required=False,
        help_text=_("Everyone living in the area; without it, the groups are added up."),
    )
    units = forms.ChoiceField(label=_("Areas"), widget=forms.RadioSelect)
    geography_name = forms.CharField(
        label=_("Name of these areas"),
        max_length=200,
        required=False,
        help_text=_("For example “IRIS” or “Census districts”."),
    )
    geography_version = forms.CharField(
        label=_("Version"),
        max_length=40,
        required=False,
        help_text=_("Areas change between censuses: for example 2021."),
    )
    code_property = forms.ChoiceField(label=_("Boundaries: code property"), required=False)
    name_property = forms.ChoiceField(label=_("Boundaries: name property"), required=False)
    replace = forms.BooleanField(
        label=_("Replace the data set of the same year"), required=False, widget=forms.HiddenInput
    )

    plain_fields = ("name", "source", "geography_name", "geography_version")

    def __init__(
        self,
        *args: Any,
        columns: list[str],
        properties: list[str],
        geographies: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.columns = columns
        pairs: list[tuple[str, Any]] = [(c, c) for c in columns]
        none: list[tuple[str, Any]] = [("", _("(none)"))]
        choice = self._choice_field
        choice("code_column").choices = pairs
        choice("name_column").choices = none + pairs
        choice("total_column").choices = none + pairs
        choice("units").choices = [
            ("places", _("Places already on the platform, matched by their codes")),
            ("new", _("New areas brought by this file (a new version of the city's areas)")),
            *geographies,
        ]
        props: list[tuple[str, Any]] = [(p, p) for p in properties]
        choice("code_property").choices = none + props
        choice("name_property").choices = none + props
        if not properties:
            del self.fields["code_property"], self.fields["name_property"]
        # one row per column of the file: is it a group, and its label
        for i, column in enumerate(columns):
            self.fields[f"group_{i}"] = forms.BooleanField(
                label=_("“%(column)s” is a group") % {"column": column}, required=False
            )
            self.fields[f"label_{i}"] = forms.CharField(
                label=_("Label of “%(column)s”") % {"column": column},
                max_length=200,
                required=False,
            )

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (for the types)
        return field

    def group_rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (column, self[f"group_{i}"], self[f"label_{i}"])
            for i, column in enumerate(self.columns)
        ]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.now().year + 1:
            raise ValidationError(_("Choose a year that has happened."))
        return int(year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.plain_fields:
            if isinstance(data.get(name), str):
                data[name] = clean_plain_text(data[name]).strip()
        groups = []
        for i, column in enumerate(self.columns):
            if data.get(f"group_{i}"):
                label = clean_plain_text(data.get(f"label_{i}") or "").strip() or column
                groups.append({"column": column, "label": label})
        if not groups:
            self.add_error(None, _("Tick at least one column as a group."))
        taken = {data.get("code_column"), data.get("total_column"), data.get("name_column")}
        for group in groups:
            if group["column"] in taken:
                self.add_error(
                    None,
                    _("“%(column)s” cannot be a group and the code, name or total too.")
                    % {"column": group["column"]},
                )
        data["groups"] = groups
        return data

    def choice(self) -> dict[str, Any]:
        """The choice as ``services.import_configure`` takes it."""
        data = self.cleaned_data
        keys = (
            "name",
            "source",
            "year",
            "code_column",
            "name_column",
            "total_column",
            "groups",
            "units",
            "geography_name",
            "geography_version",
            "code_property",
            "name_property",
        )
        return {key: data.get(key) or ("" if key != "groups" else []) for key in keys}

    @classmethod
    def initial_from(cls, choice: dict[str, Any], columns: list[str]) -> dict[str, Any]:
        """The form's initial values from a remembered (or guessed) choice."""
        initial = {k: v for k, v in choice.items() if k != "groups"}
        labels = {g["column"]: g.get("label") or g["column"] for g in choice.get("groups") or []}
        for i, column in enumerate(columns):
            initial[f"group_{i}"] = column in labels
            initial[f"label_{i}"] = labels.get(column, column)
        return initial
