from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.text import clean_plain_text


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=20_000)
    kind = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    topic = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    city = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    language = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    year = forms.CharField(required=False, max_length=4, widget=forms.HiddenInput)
    space = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    # Where to search: a capability's key (``selectors.WITHIN``); an unknown one is ignored.
    within = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def clean_q(self) -> str:
        return clean_plain_text(self.cleaned_data.get("q") or "")
