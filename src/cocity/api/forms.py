"""The form of the personal access tokens page: a name and the scopes, each with what it allows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import PlainTextMixin

from .auth import SCOPES

# What each scope allows, in the reader's language (``auth.SCOPES`` holds the English names).
SCOPE_EXPLANATIONS = {
    "read": _("read what you may see, members-only spaces included"),
    "write:events": _("register for event tracks and cancel registrations"),
    "write:plans": _("post ideas, support them and comment on them"),
    "write:network": _("follow spaces and organisations"),
    "write:pledges": _("submit progress reports on your pledges' measures"),
}


def scope_choices() -> list[tuple[str, Any]]:
    return [(scope, SCOPE_EXPLANATIONS.get(scope, text)) for scope, text in SCOPES.items()]


class TokenForm(PlainTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, to recognise it later: “City website”, “My script”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        widget=forms.CheckboxSelectMultiple,
        choices=scope_choices,
        initial=["read"],
        help_text=_("Choose only what the tool needs. You can revoke the token at any time."),
    )
