"""Forms for organisations: they parse and clean input; the services decide and write."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cocity.core import uploads
from cocity.core.text import clean_plain_text
from cocity.core.translations import translated
from cocity.core.widgets import DatalistInput

from ..models import Organisation, Role, Territory
from .spaces import SlugOrNameChoiceField


class TerritoryChoiceField(forms.ModelChoiceField):
    """A territory chosen by code, shown indented under its parents."""

    def label_from_instance(self, obj: Territory) -> str:
        return "\u2003" * obj.depth + translated(obj, "name")


class LogoField(forms.ImageField):
    """An image checked by ``cocity.core.uploads`` (size first, then content) before Django's
    own image field reads it; SVG is refused outright."""

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        uploads.check_upload(data, (uploads.IMAGE,), limit="logo")
        return super().to_python(data)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )
    # A text input with the most used cities as suggestions, not a <select> of every city.
    city = SlugOrNameChoiceField(
        label=_("City"),
        required=False,
        queryset=Territory.objects.filter(kind=Territory.Kind.CITY),
        to_field_name="code",
        widget=DatalistInput,
    )

    def __init__(
        self, *args: Any, city_suggestions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        for name in ("kind", "city"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""
        widget = self.fields["city"].widget
        if isinstance(widget, DatalistInput):
            widget.suggestions = city_suggestions or []

    def clean_q(self) -> str:
        return clean_plain_text(self.cleaned_data.get("q") or "")


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    home_territory = TerritoryChoiceField(
        label=_("Home territory"),
        required=False,
        queryset=Territory.objects.order_by("path"),
        to_field_name="code",
        empty_label=_("None"),
        help_text=_("The city, district or neighbourhood the organisation is based in."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea,
        help_text=_("You can use Markdown: **bold**, *italic*, lists and links."),
    )
    logo = LogoField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP image, at most 1 MB. SVG is not accepted."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    logo_alt = forms.CharField(
        label=_("Text alternative for the logo"),
        required=False,
        max_length=200,
        help_text=_("Required with a logo: what the logo shows, for people who cannot see it."),
    )

    def clean_name(self) -> str:
        name = clean_plain_text(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Give the organisation a name."))
        return name

    def clean_logo_alt(self) -> str:
        return clean_plain_text(self.cleaned_data.get("logo_alt") or "")

    def clean_description(self) -> str:
        value = self.cleaned_data.get("description") or ""
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32).strip()

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments for organisation_create/organisation_update."""
        data = self.cleaned_data
        logo = data.get("logo")
        arguments: dict[str, Any] = {
            "name": data["name"],
            "kind": data["kind"],
            "home_territory": data.get("home_territory"),
            "website": data.get("website") or "",
            "description": data.get("description") or "",
            "logo_alt": data.get("logo_alt") or "",
            "logo": None,
        }
        if logo is False:
            arguments["remove_logo"] = True
        elif logo is not None and hasattr(logo, "content_type"):
            arguments["logo"] = logo  # a new upload, not the logo already stored
        return arguments


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class MemberRoleForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberRemoveForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
