"""Forms of co-production processes: parse and clean input (control characters stripped); the
services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cocity.accounts.types import Actor
from cocity.core.forms import (
    BoundedDateField,
    PlainTextMixin,
    bounded_formfield,
    offered_or_asked,
)
from cocity.core.geo import check_point_inside
from cocity.core.translations import translated
from cocity.network.models import Organisation, Territory, Topic

from .models import Action, Answer, Idea, Phase, PhaseKind, Process, ProgressUpdate
from .selectors import idea_places


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ProcessForm(PlainTextMixin, forms.ModelForm):
    plain_fields = ("title", "description")

    class Meta:
        model = Process
        fields = ("title", "slug", "description", "support_limit", "plan_title")


class PhaseForm(PlainTextMixin, forms.ModelForm):
    plain_fields = ("name", "description")

    class Meta:
        model = Phase
        formfield_callback = bounded_formfield
        fields = ("kind", "name", "starts_on", "ends_on", "description")
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }


class PhaseSwitchForm(forms.Form):
    phase = forms.ModelChoiceField(
        label=_("Active phase"),
        queryset=Phase.objects.none(),
        required=False,
        empty_label=_("Follow the dates"),
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = process.phases.all()  # type: ignore[attr-defined]


class IdeaForm(PlainTextMixin, forms.ModelForm):
    plain_fields = ("title", "body")
    attachments = MultipleFileField(
        label=_("Attachments (PDF or images: JPEG, PNG or WebP)"), required=False
    )

    class Meta:
        model = Idea
        fields = ("title", "body", "topic", "territory", "latitude", "longitude", "on_behalf_of")
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, user: Actor, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("name")  # type: ignore[attr-defined]
        territory = process.space.territory if process.space_id else None
        # The places under the space's territory (selectors.idea_places), and the idea's own
        # place when it is edited, so that saving never clears it.
        places = idea_places(territory)
        if self.instance.territory_id:
            places = places | Territory.objects.filter(pk=self.instance.territory_id)
        self.fields["territory"].queryset = places.order_by("path")  # type: ignore[attr-defined]
        self.fields["on_behalf_of"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            memberships__user=user
        ).order_by("name")
        self.fields["on_behalf_of"].empty_label = _("Myself")  # type: ignore[attr-defined]
        for name in ("territory", "on_behalf_of"):
            self.fields[name].label_from_instance = _name_shown  # type: ignore[attr-defined]
        self.fields["title"].widget.attrs.update(
            {
                "hx-get": reverse("plans:idea_similar", args=[process.slug]),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#similar-ideas",
                "hx-swap": "innerHTML",
                "autocomplete": "off",
            }
        )
        self.limit = territory if territory is not None and territory.boundary else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.limit is not None:
            try:
                check_point_inside(
                    self.limit.boundary,
                    data.get("latitude"),
                    data.get("longitude"),
                    place=self.limit.name,
                )
            except ValidationError as error:
                self.add_error("latitude", error)
        return data


class ReasonForm(PlainTextMixin, forms.Form):
    plain_fields = ("reason",)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AnswerForm(PlainTextMixin, forms.Form):
    plain_fields = ("reason",)
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices)
    reason = forms.CharField(
        label=_("Public reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class MergeForm(PlainTextMixin, forms.Form):
    plain_fields = ("title", "description")
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideas to merge"), queryset=Idea.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    action = forms.ModelChoiceField(
        label=_("Into an existing action"),
        queryset=Action.objects.none(),
        required=False,
        empty_label=_("A new proposed action"),
    )
    title = forms.CharField(label=_("Title of the new action"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
    )

    def __init__(self, *args: Any, process: Process, ideas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any idea id is accepted here: the service refuses ideas of another process by name.
        if ideas is not None:
            self.fields["ideas"].queryset = ideas  # type: ignore[attr-defined]
        self.fields["action"].queryset = process.actions.order_by("title")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("action") and not data.get("title"):
            self.add_error("title", _("Give the new action a title, or choose an existing action."))
        return data


class ActionForm(PlainTextMixin, forms.ModelForm):
    plain_fields = ("title", "description", "deliverables")

    class Meta:
        model = Action
        formfield_callback = bounded_formfield
        fields = (
            "title", "description", "topic", "lead_organisation", "partners", "deliverables",
            "starts_on", "due_on", "status",
        )  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
        }


class ProgressForm(PlainTextMixin, forms.ModelForm):
    plain_fields = ("text",)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress is a percentage from 0 to 100."),
            "max_value": _("Progress is a percentage from 0 to 100."),
        },
    )

    class Meta:
        model = ProgressUpdate
        formfield_callback = bounded_formfield
        fields = ("on", "text", "progress", "status", "link", "file")
        widgets = {
            "on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 4}),
        }


class PlanStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Action plan"), choices=Process.PlanState.choices)
    adopted_on = BoundedDateField(
        label=_("Adopted on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class IdeaFilterForm(forms.Form):
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("newest", _("newest")), ("supported", _("most supported")),
            ("discussed", _("most discussed")), ("random", _("random")),
        ],
    )  # fmt: skip
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.order_by("name"),
        required=False,
        empty_label=_("All topics"),
    )
    territory = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Territory.objects.none(),  # the places given (__init__)
        required=False,
        empty_label=_("Everywhere"),
        to_field_name="code",
    )
    answer = forms.ChoiceField(
        label=_("Answer"), required=False, choices=[("", _("Any")), *list(Answer.choices)]
    )
    merged = forms.ChoiceField(
        label=_("Became an action"),
        required=False,
        choices=[("", _("Any")), ("yes", _("yes")), ("no", _("not yet"))],
    )

    def __init__(self, *args: Any, places: QuerySet[Territory], **kwargs: Any) -> None:
        """``places``: the places offered (``selectors.idea_filter_places``: those of the
        process's ideas and those above them), not every place; a place named in the address
        is accepted too."""
        super().__init__(*args, **kwargs)
        field = self.fields["territory"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for mypy)
        field.queryset = offered_or_asked(self, "territory", places).order_by("path")
        field.label_from_instance = _name_shown  # type: ignore[method-assign]


def phase_kinds() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in PhaseKind.choices]


def _name_shown(obj: Any) -> str:
    """A choice's label: the row's name in the viewer's language."""
    return translated(obj, "name")
