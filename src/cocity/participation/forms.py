from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.text import clean_plain_text

from .models import Comment, NotificationPreference


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    stance = forms.ChoiceField(
        label=_("Your stance"),
        choices=Comment.Stance.choices,
        initial=Comment.Stance.NEUTRAL,
        required=False,  # a reply, or a comment without a stance: neutral
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_stance(self) -> str:
        return self.cleaned_data["stance"] or Comment.Stance.NEUTRAL

    def clean_body(self) -> str:
        body = clean_plain_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Write something first."))
        return body


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def clean_reason(self) -> str:
        reason = clean_plain_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("Say why you report it."))
        return reason


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("hide", _("Hide it")), ("keep", _("Keep it"))]
    )
    reason = forms.CharField(label=_("Reason (shown publicly when hidden)"), max_length=500)

    def clean_reason(self) -> str:
        reason = clean_plain_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("Give the reason for your decision."))
        return reason


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ("email",)
        widgets = {"email": forms.RadioSelect}
