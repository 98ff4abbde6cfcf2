"""Forms parse and clean input; services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import BoundedDateField, PlainTextMixin
from cocity.core.translations import translated
from cocity.network.models import Organisation

from .currencies import ISO_4217, normalise_currency
from .models import FrameworkItem, MeasureLink, Status


class DateInput(forms.DateInput):
    input_type = "date"


class AmountField(forms.DecimalField):
    default_error_messages = {"invalid": _("Give the amount as a number, for example 1250000.50.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = _("An amount cannot be negative.")


class CurrencyField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("min_length", 3)
        kwargs.setdefault("help_text", _("ISO 4217 code, for example EUR, GBP or SEK."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        code = normalise_currency(super().clean(value) or "")
        if code and code not in ISO_4217:
            raise ValidationError(
                _("“%(code)s” is not an ISO 4217 currency code (for example EUR, GBP, SEK)."),
                params={"code": code},
            )
        return code


class PledgeForm(PlainTextMixin, forms.Form):
    plain_fields = ("title", "signed_by", "statement")
    organisation = forms.ModelChoiceField(
        label=_("Pledging organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20_000,
        help_text=_("What the organisation commits to. Markdown is allowed."),
    )
    principles = forms.ModelMultipleChoiceField(
        label=_("Principles served"),
        queryset=FrameworkItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    signed_by = forms.CharField(label=_("Signed by"), max_length=200)
    signed_on = BoundedDateField(label=_("Signed on"), widget=DateInput)

    def __init__(
        self, *args: Any, framework: Any = None, organisations: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            self.fields["organisation"].label_from_instance = _name_shown  # type: ignore[attr-defined]
        field = self.fields["principles"]
        field.queryset = FrameworkItem.objects.filter(framework=framework).exclude(  # type: ignore[attr-defined]
            kind=FrameworkItem.Kind.CHAPTER
        )
        field.label_from_instance = lambda item: f"{item.code}. {item.label}"  # type: ignore[attr-defined]


class MeasureForm(PlainTextMixin, forms.Form):
    plain_fields = ("description", "department", "indicator_name", "indicator_unit", "link_title")
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    amount = AmountField(label=_("Budget"))
    currency = CurrencyField(label=_("Currency"), initial="EUR")
    starts_on = BoundedDateField(label=_("Starts on"), widget=DateInput)
    ends_on = BoundedDateField(label=_("Ends on"), widget=DateInput)
    department = forms.CharField(label=_("Responsible department"), max_length=200, required=False)
    indicator_name = forms.CharField(label=_("Target indicator"), max_length=200, required=False)
    indicator_unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    indicator_baseline = forms.DecimalField(
        label=_("Baseline value"), max_digits=18, decimal_places=4, required=False
    )
    indicator_target = forms.DecimalField(
        label=_("Target value"), max_digits=18, decimal_places=4, required=False
    )
    link_kind = forms.ChoiceField(
        label=_("Linked item kind"),
        choices=[("", "—"), *MeasureLink.Kind.choices],
        required=False,
    )
    link_title = forms.CharField(label=_("Linked item title"), max_length=200, required=False)
    link_url = forms.CharField(
        label=_("Linked item address"),
        max_length=500,
        required=False,
        help_text=_(
            "An event, library item or action: its address on this site (for example "
            "/events/winter-dialogue/); another page: /... or https://."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("A measure cannot end before it starts."))
        indicator = [data.get(k) for k in ("indicator_baseline", "indicator_target")]
        if data.get("indicator_name") and None in indicator:
            self.add_error("indicator_target", _("Give the baseline and the target value."))
        if data.get("link_url") and not data.get("link_kind"):
            data["link_kind"] = MeasureLink.Kind.OTHER
        if (
            data.get("link_url")
            and data.get("link_kind") == MeasureLink.Kind.OTHER
            and not data.get("link_title")
        ):
            self.add_error("link_title", _("Give the linked page a title."))
        return data


class LinkForm(PlainTextMixin, forms.Form):
    """A link from a measure: to an event, a library item or an action by its address on this
    site (the service finds the item and checks that it is public), or to another page."""

    plain_fields = ("title",)
    kind = forms.ChoiceField(
        label=_("The link leads to"), choices=MeasureLink.Kind.choices, widget=forms.RadioSelect
    )
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_(
            "Open the event, library item or action on this site and copy its address, for "
            "example /events/winter-dialogue/ or /library/12-housing-first/. Another page: "
            "/... or https://."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_(
            "Needed for another page; an event, library item or action shows its own title."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == MeasureLink.Kind.OTHER and not data.get("title"):
            self.add_error("title", _("Give the linked page a title."))
        return data


class ReportForm(PlainTextMixin, forms.Form):
    plain_fields = ("narrative",)
    measure = forms.TypedChoiceField(label=_("Measure"), coerce=int)
    reported_on = BoundedDateField(label=_("Report date"), widget=DateInput)
    spent = AmountField(label=_("Spent so far"))
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    narrative = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
    )
    evidence_url = forms.URLField(label=_("Evidence (link)"), required=False, assume_scheme="https")
    evidence_file = forms.FileField(label=_("Evidence (PDF)"), required=False)

    def __init__(self, *args: Any, pledge: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measures = list(pledge.measures.all())
        self.fields["measure"].choices = [(m.pk, str(m)) for m in measures]  # type: ignore[attr-defined]
        self.indicator_fields: list[tuple[str, Any]] = []
        for measure in measures:
            for indicator in measure.indicators.all():
                name = f"indicator_{indicator.pk}"
                label = _("%(indicator)s (%(unit)s), latest value") % {
                    "indicator": indicator.name,
                    "unit": indicator.unit or "—",
                }
                self.fields[name] = forms.DecimalField(
                    label=label, max_digits=18, decimal_places=4, required=False
                )
                self.indicator_fields.append((name, indicator))

    def indicator_values(self) -> dict[int, Any]:
        measure_id = self.cleaned_data["measure"]
        return {
            indicator.pk: self.cleaned_data.get(name)
            for name, indicator in self.indicator_fields
            if indicator.measure_id == measure_id
        }


class DocumentForm(PlainTextMixin, forms.Form):
    plain_fields = ("title",)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("PDF file"))


class TotalsForm(forms.Form):
    currency = CurrencyField(label=_("Show totals in"), required=False)
    on = BoundedDateField(label=_("Exchange rates of"), widget=DateInput, required=False)


class FrameworkForm(PlainTextMixin, forms.Form):
    plain_fields = ("name", "description", "items")
    name = forms.CharField(label=_("Name"), max_length=300)
    slug = forms.SlugField(label=_("Short name for the address"), max_length=100)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    items = forms.CharField(
        label=_("Principles or goals"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One a line: a code, a full stop and a name, for example “A1. Housing”."),
    )

    def clean_items(self) -> list[tuple[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            code, dot, name = line.partition(".")
            if not dot or not code.strip() or not name.strip() or len(code.strip()) > 20:
                raise ValidationError(
                    _("Line %(number)s: write a code, a full stop and a name."),
                    params={"number": number},
                )
            rows.append((code.strip(), name.strip()))
        if not rows:
            raise ValidationError(_("Give at least one principle or goal."))
        return rows


def _name_shown(obj: Any) -> str:
    """A choice's label: the row's name in the viewer's language."""
    return translated(obj, "name")
