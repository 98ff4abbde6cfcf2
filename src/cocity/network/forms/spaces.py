"""Forms about spaces: they parse and tidy input; the services decide and write."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cocity.core import images
from cocity.core.text import clean_plain_text
from cocity.core.translations import translated
from cocity.core.widgets import DatalistInput

from ..models import Organisation, Role, Space, Territory, Topic


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Territory) -> str:  # type: ignore[override]
        return f"{'— ' * obj.depth}{translated(obj, 'name')}"


class SlugOrNameChoiceField(forms.ModelChoiceField):
    """A row chosen by its slug or code (what links and suggestions send) or by its exact name
    (what people type): one query, whatever the number of rows; nothing is listed."""

    def to_python(self, value: Any) -> Any:
        value = clean_plain_text(str(value or ""))
        if not value:
            return None
        key = self.to_field_name or "pk"
        match = (
            self.queryset.filter(**{key: value}).first()  # type: ignore[union-attr]
            or self.queryset.filter(name__iexact=value).order_by("pk").first()  # type: ignore[union-attr]
        )
        if match is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return match


class SpaceFilterForm(forms.Form):
    """The directory's filters. Unknown values are ignored rather than reported."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Space.Kind.choices]
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    # Text inputs with a few dozen suggestions, not <select>s of every organisation and city
    # (5,000 options at the benchmark's scale cost 300 KB and most of the page's time).
    organisation = SlugOrNameChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        widget=DatalistInput,
    )
    city = SlugOrNameChoiceField(
        label=_("City"),
        required=False,
        queryset=Territory.objects.filter(kind=Territory.Kind.CITY),
        to_field_name="code",
        widget=DatalistInput,
    )

    def __init__(
        self, *args: Any, suggestions: dict[str, list[tuple[str, str]]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, key in (("organisation", "organisations"), ("city", "cities")):
            widget = self.fields[name].widget
            if isinstance(widget, DatalistInput):
                widget.suggestions = (suggestions or {}).get(key, [])

    def clean_q(self) -> str:
        return clean_plain_text(self.cleaned_data.get("q") or "")

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for ``selectors.spaces.space_list``."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "kind": data.get("kind") or "",
            "topic": data.get("topic"),
            "organisation": data.get("organisation"),
            "city": data.get("city"),
            "query": data.get("q") or "",
        }


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Space.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences shown in lists."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("You can use Markdown: *emphasis*, **bold**, lists and links."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this space"),
        choices=Space.Visibility.choices,
        initial=Space.Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_("A members-only space is invisible to everyone else."),
    )
    join_policy = forms.ChoiceField(
        label=_("Who can join"),
        choices=Space.JoinPolicy.choices,
        initial=Space.JoinPolicy.REQUEST,
        widget=forms.RadioSelect,
    )
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        required=False,
        queryset=Space.objects.none(),
        empty_label=_("Not part of another space"),
        help_text=_("Only spaces you manage are offered."),
    )
    territory = TerritoryChoiceField(
        label=_("Territory"),
        required=False,
        queryset=Territory.objects.order_by("path"),
        empty_label=_("No particular place"),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Owning organisations"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations where you are an editor or admin."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        required=False,
        queryset=Topic.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    cover = images.PictureFormField(label=_("Cover image"))
    cover_alt = images.alt_form_field()
    cover_decorative = images.decorative_form_field()

    def __init__(
        self,
        *args: Any,
        parents: QuerySet[Space],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = organisations  # type: ignore[attr-defined]
        for name in ("parent", "organisations"):
            self.fields[name].label_from_instance = _name_shown  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = clean_plain_text(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Give the space a name."))
        return name

    def clean_summary(self) -> str:
        return clean_plain_text(self.cleaned_data.get("summary") or "")

    def clean_description(self) -> str:
        return clean_plain_text(self.cleaned_data.get("description") or "")

    def clean_cover_alt(self) -> str:
        return clean_plain_text(self.cleaned_data.get("cover_alt") or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        images.clean_picture(self, "cover")
        return self.cleaned_data

    @staticmethod
    def initial_for(space: Space) -> dict[str, Any]:
        return {
            "name": space.name,
            "kind": space.kind,
            "summary": space.summary,
            "description": space.description,
            "visibility": space.visibility,
            "join_policy": space.join_policy,
            "parent": space.parent_id,
            "territory": space.territory_id,
            "organisations": list(space.organisations.all()),
            "topics": list(space.topics.all()),
            **images.picture_initial(space, "cover"),
        }


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the space's admins (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and why you would like to join."),
    )

    def clean_message(self) -> str:
        return clean_plain_text(self.cleaned_data.get("message") or "")


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


def _name_shown(obj: Any) -> str:
    """A choice's label: the row's name in the viewer's language."""
    return translated(obj, "name")
