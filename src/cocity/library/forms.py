from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from cocity.accounts.types import Viewer
from cocity.core.forms import BoundedDateField, PlainTextMixin
from cocity.core.languages import SPOKEN_LANGUAGES
from cocity.core.uploads import validate_document, validate_image
from cocity.network.models import Organisation, Space, Territory, Topic

from .models import LibraryItem, PeerPost
from .services import Figure, Link


class ItemForm(PlainTextMixin, forms.Form):
    plain_fields = ("title", "summary", "body", "cover_alt", "figures", "links")

    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=LibraryItem.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=60_000,
        widget=forms.Textarea,
        help_text=_("Markdown: **bold**, lists, links."),
    )
    language = forms.ChoiceField(label=_("Language of the original"), choices=SPOKEN_LANGUAGES)
    published_on = BoundedDateField(
        label=_("Publication date"),
        required=False,
        help_text=_("YYYY-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.all(), required=False
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("Places"), queryset=Territory.objects.all(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=Organisation.objects.all(), required=False
    )
    figures = forms.CharField(
        label=_("Outcomes and figures"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: what | value | unit, for example “People reached | 1200 | people”."
        ),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: address | title."),
    )
    cover = forms.ImageField(
        label=_("Cover image"),
        required=False,
        validators=[validate_image],
    )
    cover_alt = forms.CharField(
        label=_("Cover image text alternative"),
        required=False,
        max_length=300,
        help_text=_("Required with a cover image: what the image shows."),
    )

    def __init__(self, *args: Any, user: Viewer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["space"].queryset = (  # type: ignore[attr-defined]
                Space.objects.filter(memberships__user=user).order_by("name")
            )

    def clean_figures(self) -> list[Figure]:
        figures = []
        for number, line in enumerate((self.cleaned_data.get("figures") or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                if len(parts) not in (2, 3) or not parts[0]:
                    raise InvalidOperation
                value = Decimal(parts[1].replace(" ", "").replace(",", "."))
                if not value.is_finite() or abs(value) >= Decimal("1e14"):
                    raise InvalidOperation
            except InvalidOperation as exc:
                raise ValidationError(
                    _("Line %(number)d: write “what | value | unit” with a number as value."),
                    params={"number": number},
                ) from exc
            figures.append(Figure(parts[0][:120], value, (parts[2] if len(parts) > 2 else "")[:40]))
        return figures

    def clean_links(self) -> list[Link]:
        links = []
        for number, line in enumerate((self.cleaned_data.get("links") or "").splitlines(), 1):
            if not line.strip():
                continue
            url, _sep, title = (p.strip() for p in line.partition("|"))
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError as exc:
                raise ValidationError(
                    _("Line %(number)d: “%(url)s” is not a web address."),
                    params={"number": number, "url": url[:80]},
                ) from exc
            links.append(Link(url[:500], (title or url)[:200]))
        return links

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("cover") and not (cleaned.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Describe the cover image for people who cannot see it."))
        return cleaned


class TranslationForm(PlainTextMixin, forms.Form):
    plain_fields = ("title", "summary", "body")
    language = forms.ChoiceField(label=_("Language"), choices=SPOKEN_LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=500)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=60_000, widget=forms.Textarea
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument."),
        validators=[validate_document],
    )


class ReviewForm(PlainTextMixin, forms.Form):
    plain_fields = ("comment",)
    comment = forms.CharField(
        label=_("Comment to the author"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(PlainTextMixin, forms.Form):
    plain_fields = ("body",)
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PostForm(PlainTextMixin, forms.Form):
    plain_fields = ("text",)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Need or offer"), choices=PeerPost.Kind.choices)
    text = forms.CharField(
        label=_("In a few words"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.all(), required=False
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("Places"), queryset=Territory.objects.all(), required=False
    )

    def __init__(self, *args: Any, user: Viewer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
                Organisation.objects.filter(
                    memberships__user=user, memberships__role__in=["editor", "admin"]
                )
            )


class ContactForm(PlainTextMixin, forms.Form):
    plain_fields = ("message",)
    from_organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none()
    )
    to_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), widget=forms.HiddenInput
    )
    message = forms.CharField(
        label=_("Message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Viewer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["from_organisation"].queryset = (  # type: ignore[attr-defined]
                Organisation.objects.filter(memberships__user=user)
            )
            mine = list(self.fields["from_organisation"].queryset[:2])  # type: ignore[attr-defined]
            if len(mine) == 1:
                self.fields["from_organisation"].initial = mine[0].pk
