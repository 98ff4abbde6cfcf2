from django import forms
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        required=False,
        help_text=_("Shown on your contributions. You can change it later."),
    )

    def signup(self, request, user) -> None:  # type: ignore[no-untyped-def]
        user.display_name = self.cleaned_data.get("display_name", "")
        user.save(update_fields=["display_name"])
