import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.languages import SPOKEN_LANGUAGES
from cocity.core.text import clean_plain_text
from cocity.core.timezones import valid_zone


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        required=False,
        help_text=_("Shown on your contributions. You can change it later."),
    )

    # Filled by static/cocity/js/timezone.js with the browser's zone, so a new account starts
    # with it; without JavaScript it stays empty and the site's zone applies until the person
    # chooses one in their profile.
    time_zone = forms.CharField(
        required=False,
        strip=True,
        widget=forms.HiddenInput(attrs={"data-device-zone": ""}),
    )  # no max_length: a value too long is dropped by clean_time_zone, never an error

    def clean_display_name(self) -> str:
        return clean_plain_text(self.cleaned_data.get("display_name", ""))

    def clean_time_zone(self) -> str:
        """The device's zone, if it is one we know: a browser sending a name we do not know (or
        a hand-made request) leaves the account without a zone rather than refusing the
        sign-up for a field the person cannot see."""
        return valid_zone(self.cleaned_data.get("time_zone", "").strip()) or ""

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.time_zone = self.cleaned_data.get("time_zone", "")
        user.save(update_fields=["display_name", "time_zone"])


class TimeZoneForm(forms.Form):
    """One zone, from the offer of the device's zone (includes/timezone_offer.html)."""

    time_zone = forms.CharField(label=_("Time zone"), widget=forms.HiddenInput)

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if valid_zone(name) is None:
            raise forms.ValidationError(
                _("“%(zone)s” is not a time zone name such as Europe/Paris."),
                code="invalid_time_zone",
                params={"zone": name[:64]},
            )
        return name


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """IANA zone names people recognise ("Europe/Paris", "UTC"), without the system's aliases
    such as "localtime" or "Factory"."""
    names = (name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    return [(name, name) for name in sorted(names) if not name.startswith(("posix", "right/"))]


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.parent_id and obj.parent is not None:
            return f"{obj.name} ({obj.parent.name})"
        return obj.name


class HomeNeighbourhoodField(TerritoryChoiceField):
    """Offers the places of one city (``queryset``) but accepts any neighbourhood or district
    (``accepted``): a place of another city, sent by a stale page or by hand, then reaches
    ``User.clean`` and is refused with "This neighbourhood is not in <city>." rather than the
    bare "Select a valid choice", and without listing every city's places to say so."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.accepted: Any = None  # set by the form, with the queryset

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        accepted: Any = self.accepted if self.accepted is not None else self.queryset
        key = self.to_field_name or "pk"
        if isinstance(value, accepted.model):
            value = getattr(value, key)
        try:
            return accepted.get(**{key: value})
        except (ValueError, TypeError, accepted.model.DoesNotExist):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class ProfileForm(forms.Form):
    """The public profile: the view passes ``cleaned_data`` to ``services.profile_update``."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        required=False,
        help_text=_("Shown on your profile and your contributions."),
    )
    bio = forms.CharField(
        label=_("About me"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few words others see on your profile. Markdown is allowed."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("We use them to suggest dialogues and events you can follow."),
    )
    machine_translation = forms.BooleanField(
        label=_("Show machine translations"),
        required=False,
        help_text=_(
            "What others wrote in another language is shown machine-translated, labelled, when "
            "nobody has translated it yet. Untick to read the originals instead."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times are shown in this zone."),
    )
    home_city = TerritoryChoiceField(
        label=_("Home city"),
        queryset=None,
        required=False,
        empty_label=_("(none)"),
    )
    # Only the home city's places are offered: a city may bring thousands of areas (decision
    # 0011), and every city's on every profile page would weigh megabytes. Without JavaScript a
    # person who changes city saves first, then finds the new city's places here.
    home_neighbourhood = HomeNeighbourhoodField(
        label=_("Home neighbourhood or district"),
        queryset=None,
        required=False,
        empty_label=_("(none)"),
        help_text=_(
            "It must be in your home city. If you change your home city, save; then its "
            "neighbourhoods and districts are offered here."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        from cocity.network.models import Territory

        super().__init__(*args, **kwargs)
        zones = [("", _("(not set)")), *time_zone_choices()]
        current = (self.initial or {}).get("time_zone")
        if current and current not in dict(zones):  # an alias set elsewhere: keep it choosable
            zones.append((current, current))
        self.fields["time_zone"].choices = zones  # type: ignore[attr-defined]
        self.fields["home_city"].queryset = (  # type: ignore[attr-defined]
            Territory.objects.filter(kind=Territory.Kind.CITY)
            .select_related("parent")
            .order_by("name", "id")
        )
        places = Territory.objects.filter(
            kind__in=[Territory.Kind.NEIGHBOURHOOD, Territory.Kind.DISTRICT]
        )
        hood = self.fields["home_neighbourhood"]
        hood.accepted = places  # type: ignore[attr-defined]
        city_id = self._home_city_id()
        # The city's path first (one lookup by key), so the subtree is a LIKE with a constant
        # prefix that the path index serves, not a scan of every city's places.
        city_path = (
            Territory.objects.filter(pk=city_id, kind=Territory.Kind.CITY)
            .values_list("path", flat=True)
            .first()
            if city_id is not None
            else None
        )
        if city_path is None:
            hood.queryset = places.none()  # type: ignore[attr-defined]
            hood.help_text = _(
                "Choose your home city and save; then its neighbourhoods and districts are "
                "offered here."
            )
        else:
            hood.queryset = (  # type: ignore[attr-defined]
                places.filter(path__startswith=city_path).select_related("parent").order_by("path")
            )

    def _home_city_id(self) -> int | None:
        """The city whose places are offered: the one submitted when the form is bound (so a
        form shown again with errors lists the city chosen), else the person's current one."""
        if self.is_bound:
            raw = self.data.get(self.add_prefix("home_city"))
        else:
            raw = (self.initial or {}).get("home_city")
        raw = getattr(raw, "pk", raw)  # a Territory given as initial
        try:
            city_id = int(raw)  # type: ignore[arg-type]  # None is caught below
        except (TypeError, ValueError):
            return None
        return city_id if 0 < city_id < 2**63 else None  # a hand-made value the database refuses

    def clean_display_name(self) -> str:
        return clean_plain_text(self.cleaned_data.get("display_name", ""))

    def clean_bio(self) -> str:
        return clean_plain_text(self.cleaned_data.get("bio", ""))


class DeleteAccountForm(forms.Form):
    confirm_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Type the e-mail address of your account to confirm."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self) -> str:
        value = self.cleaned_data["confirm_email"].strip()
        if self.user is not None and value.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("This is not the e-mail address of your account."), code="confirm_mismatch"
            )
        return value
