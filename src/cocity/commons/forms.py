"""Forms: parse and clean input (plain text stripped of control characters); the rules of the
domain are in models and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cocity.core import images
from cocity.core.forms import BoundedDateField, PlainTextMixin, bounded_formfield, offered_or_asked
from cocity.core.geo import check_point_inside
from cocity.core.text import clean_plain_text
from cocity.core.translations import translated, translation_columns
from cocity.core.uploads import validate_image, validate_pdf
from cocity.network.models import Territory, Topic

from .models import Commitment, Commons, Pact, PactParty, PactPhoto

DATE = forms.DateInput(attrs={"type": "date"})


class PactFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *Pact.State.choices]
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("any")), *Pact.Kind.choices]
    )
    commons_kind = forms.ChoiceField(
        label=_("Kind of commons"),
        required=False,
        choices=[("", _("any")), *Commons.Kind.choices],
    )
    territory = forms.ModelChoiceField(
        label=_("Neighbourhood or city"),
        required=False,
        queryset=Territory.objects.none(),  # the places given (__init__)
        to_field_name="code",
        empty_label=_("anywhere"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("any"),
    )
    year = forms.IntegerField(
        label=_("Year proposed"), required=False, min_value=1990, max_value=2100
    )
    overdue = forms.BooleanField(label=_("Only overdue steps"), required=False)
    # A hub's "See all" (network.selectors.hubs.hub_filter): carried along as the filters change;
    # the registry and the commons list read them through the hub's scope.
    space = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    organisation = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    place = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def __init__(self, *args: Any, places: QuerySet[Territory], **kwargs: Any) -> None:
        """``places``: the places offered (``selectors.filter_places``: those holding rows and
        those above them), not every place; a place named in the address is accepted too."""
        super().__init__(*args, **kwargs)
        field = self.fields["territory"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for mypy)
        field.queryset = (
            offered_or_asked(self, "territory", places)
            .exclude(kind=Territory.Kind.COUNTRY)
            .only("id", "code", "name", "path", *translation_columns())
            .order_by("path")
        )
        field.label_from_instance = lambda obj: translated(obj, "name")  # type: ignore[method-assign]

    def filters(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}


class CommonsForm(PlainTextMixin, forms.ModelForm):
    shape = forms.CharField(
        label=_("Shape (GeoJSON polygon)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a GeoJSON Polygon or MultiPolygon, longitude before latitude."),
    )
    cover = images.PictureFormField(label=_("Cover image"))
    cover_alt = images.alt_form_field()
    cover_decorative = images.decorative_form_field()

    class Meta:
        model = Commons
        fields = (
            "name",
            "slug",
            "kind",
            "description",
            "owner",
            "owner_name",
            "owner_consent",
            "department",
            "territory",
            "latitude",
            "longitude",
            "condition",
            "topics",
        )

    def clean_shape(self) -> Any:
        return self.cleaned_data.get("shape") or None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        images.clean_picture(self, "cover")
        territory = data.get("territory")
        if territory is not None and territory.boundary:  # the point inside its place
            try:
                check_point_inside(
                    territory.boundary,
                    data.get("latitude"),
                    data.get("longitude"),
                    place=territory.name,
                )
            except ValidationError as error:
                self.add_error("latitude", error)
        return data


class PhotoForm(PlainTextMixin, forms.Form):
    image = forms.ImageField(label=_("Photo"), validators=[validate_image])
    alt_text = forms.CharField(
        label=_("Text alternative"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )


class PactPhotoForm(PhotoForm):
    when = forms.ChoiceField(label=_("Before or after"), choices=PactPhoto.When.choices)


class CallForm(PlainTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Short name in the address"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    opens_on = BoundedDateField(label=_("Open from"), widget=DATE)
    closes_on = BoundedDateField(label=_("Open until"), widget=DATE)
    commons = forms.ModelMultipleChoiceField(
        label=_("Commons open for proposals"),
        queryset=Commons.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commons"].queryset = Commons.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class PactForm(PlainTextMixin, forms.ModelForm):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Propose on behalf of"),
        required=False,
        queryset=None,
        empty_label=_("myself"),
        help_text=_("An organisation you belong to; you are its contact person."),
    )
    cover = images.PictureFormField(label=_("Cover image"))
    cover_alt = images.alt_form_field()
    cover_decorative = images.decorative_form_field()

    class Meta:
        model = Pact
        formfield_callback = bounded_formfield
        fields = (
            "title",
            "kind",
            "level",
            "objectives",
            "starts_on",
            "ends_on",
            "resources_offered",
            "resources_requested",
            "responsibilities",
            "renewal_terms",
            "termination_terms",
            "reporting_duties",
            "indicators",
        )
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(
        self, *args: Any, organisations: Any = None, fixed_kind: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        from cocity.network.models import Organisation

        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for mypy)
        field.queryset = organisations if organisations is not None else Organisation.objects.none()
        if fixed_kind:
            del self.fields["kind"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        images.clean_picture(self, "cover")
        return data

    def _post_clean(self) -> None:  # the service validates the instance
        pass


class PactEditForm(PactForm):
    class Meta(PactForm.Meta):
        fields = tuple(f for f in PactForm.Meta.fields if f != "kind")  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]


class PartyForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (PactParty.Role.PROPONENT, _("proponent")),
            (PactParty.Role.COSIGNER, _("co-signer")),
        ],
    )
    email = forms.EmailField(
        label=_("E-mail of the person (or the organisation's contact person)"),
        help_text=_("They need an account on this site."),
    )
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation (optional)"), required=False, queryset=None, to_field_name="slug"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from cocity.network.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_email(self) -> Any:
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(_("Nobody has an account with this address."))
        return user


class CommitmentForm(PlainTextMixin, forms.Form):
    party: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Party"), queryset=None)
    category = forms.ChoiceField(label=_("Category"), choices=Commitment.Category.choices)
    description = forms.CharField(
        label=_("What this party commits to"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, pact: Pact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = pact.parties.select_related("organisation", "person")  # type: ignore[attr-defined]


class ActivityForm(PlainTextMixin, forms.Form):
    description = forms.CharField(label=_("Activity"), max_length=500)
    starts_on = BoundedDateField(label=_("From"), widget=DATE)
    ends_on = BoundedDateField(label=_("Until"), widget=DATE)


class DocumentForm(PlainTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("PDF file"), validators=[validate_pdf])


class TransitionForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (published)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("Shared draft (Markdown)"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    note = forms.CharField(label=_("What you changed"), max_length=300, required=False)

    def clean_text(self) -> str:
        # Keep line breaks (they are the diff), drop other control characters.
        return "".join(
            ch for ch in self.cleaned_data["text"] if ch in "\n\t" or ord(ch) >= 32
        ).replace("\r", "")

    def clean_note(self) -> str:
        return clean_plain_text(self.cleaned_data["note"])


class ReportForm(PlainTextMixin, forms.Form):
    period_start = BoundedDateField(label=_("Period from"), widget=DATE)
    period_end = BoundedDateField(label=_("Period until"), widget=DATE)
    summary = forms.CharField(
        label=_("What was done"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    hours = forms.IntegerField(
        label=_("Volunteer hours contributed"), min_value=0, max_value=1_000_000
    )
    photo = forms.ImageField(
        label=_("Photo (optional)"), required=False, validators=[validate_image]
    )
    photo_alt = forms.CharField(
        label=_("Text alternative of the photo"), max_length=300, required=False
    )

    def __init__(self, *args: Any, indicators: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.indicator_names = list(indicators)
        for i, name in enumerate(self.indicator_names):
            self.fields[f"indicator_{i}"] = forms.CharField(
                label=name, max_length=200, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("photo") and not data.get("photo_alt"):
            self.add_error("photo_alt", _("Describe the photo for people who cannot see it."))
        return data

    def indicator_values(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"indicator_{i}", "")
            for i, name in enumerate(self.indicator_names)
            if self.cleaned_data.get(f"indicator_{i}")
        }
