"""Forms for events: they parse and clean; services decide."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cocity.core import images
from cocity.core.forms import BoundedDateField, BoundedDateTimeField
from cocity.core.geo import check_point_inside
from cocity.core.languages import LANGUAGE_NAMES
from cocity.core.text import clean_plain_text
from cocity.core.translations import translated
from cocity.network.models import Organisation, Space, Territory, Topic

from .models import Event, Material, Question, Series, Speaker


def _zone(value: str) -> str:
    value = clean_plain_text(value or "")
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone name such as Europe/Paris."),
            code="invalid_time_zone",
            params={"zone": value},
        )
    return value


def _codes(value: str) -> list[str]:
    return [
        bit.strip().lower()
        for bit in clean_plain_text(value or "").replace(";", ",").split(",")
        if bit.strip()
    ]


def language_choices() -> list[tuple[str, str]]:
    """The spoken languages, sorted by their name in the current language."""
    from .selectors import sort_key

    names = [(code, str(name)) for code, name in LANGUAGE_NAMES.items()]
    return [("", str(_("any language"))), *sorted(names, key=lambda c: sort_key(c[1]))]


class EventFilterForm(forms.Form):
    """The list's filters. The choices come from ``selectors.filter_choices`` (cached, limited
    to what the person may see); a chosen series, space, topic or city is read back by its
    slug or code, one query only when that filter is used."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("upcoming")), ("past", _("past")), ("all", _("any time"))],
    )
    series = forms.ChoiceField(label=_("Series"), required=False)
    space = forms.ChoiceField(label=_("Space"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("any kind")), *Event.Kind.choices]
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("any format")), *Event.Format.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    date_from = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["series"].choices = [("", _("any series")), *choices.series]
        fields["space"].choices = [("", _("any space")), *choices.spaces]
        fields["topic"].choices = [("", _("any topic")), *choices.topics]
        fields["city"].choices = [("", _("any city")), *choices.cities]
        fields["language"].choices = language_choices()

    def clean_q(self) -> str:
        return clean_plain_text(self.cleaned_data.get("q") or "")

    def clean_series(self) -> Series | None:
        slug = self.cleaned_data.get("series")
        return Series.objects.filter(slug=slug).first() if slug else None

    def clean_space(self) -> Space | None:
        slug = self.cleaned_data.get("space")
        return Space.objects.filter(slug=slug).first() if slug else None

    def clean_topic(self) -> Topic | None:
        slug = self.cleaned_data.get("topic")
        return Topic.objects.filter(slug=slug).first() if slug else None

    def clean_city(self) -> Territory | None:
        code = self.cleaned_data.get("city")
        return Territory.objects.filter(code=code).first() if code else None

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class RegistrationForm(forms.Form):
    """One field per organiser question; required questions are required."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=question.label,
                # Django renders help text as HTML: an organiser's text is escaped here.
                help_text=escape(question.help_text),
                required=question.required,
                max_length=2000,
            )
        self.questions = questions

    def answers(self) -> dict[str, str]:
        return {
            str(q.pk): clean_plain_text(self.cleaned_data.get(f"q{q.pk}") or "")
            for q in self.questions
        }


class CoordinateField(forms.DecimalField):
    """A latitude or longitude in degrees, kept to 5 decimals (about a metre) as the model
    stores it: a pin dropped on the map or a pasted coordinate may carry more."""

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        super().__init__(
            max_digits=8, decimal_places=5, min_value=-limit, max_value=limit, **kwargs
        )

    def to_python(self, value: Any) -> Any:
        number = super().to_python(str(value).replace(",", ".") if value else value)
        return None if number is None else round(number, 5)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Address name"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=400, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=30_000,
        widget=forms.Textarea,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices)
    series = forms.ModelChoiceField(
        label=_("Series"), required=False, queryset=Series.objects.none()
    )
    time_zone = forms.CharField(
        label=_("Time zone of the event"), max_length=64, initial="Europe/Paris"
    )
    extra_zones = forms.CharField(
        label=_("Also show times in"),
        required=False,
        max_length=400,
        help_text=_("Time zone names separated by commas, such as Europe/London."),
    )
    venue_name = forms.CharField(label=_("Venue"), required=False, max_length=200)
    venue_address = forms.CharField(label=_("Address"), required=False, max_length=300)
    territory = forms.ModelChoiceField(
        label=_("City"),
        required=False,
        queryset=Territory.objects.filter(kind=Territory.Kind.CITY).order_by("name"),
    )
    latitude = CoordinateField(
        label=_("Latitude"), required=False, limit=90, help_text=_("The venue on the map.")
    )
    longitude = CoordinateField(label=_("Longitude"), required=False, limit=180)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisers"), required=False, queryset=Organisation.objects.order_by("name")
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), required=False, queryset=Topic.objects.order_by("name")
    )
    languages = forms.CharField(
        label=_("Languages spoken"),
        required=False,
        max_length=100,
        help_text=_("Language codes separated by commas, such as en, fr."),
    )
    interpretation = forms.CharField(
        label=_("Interpretation offered"),
        required=False,
        max_length=200,
        help_text=_("Pairs separated by commas, such as fr>en, en>fr."),
    )
    online_url = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to confirmed registrants and organisers."),
    )
    registration_mode = forms.ChoiceField(
        label=_("Registration"), choices=Event.Registration.choices
    )
    external_registration_url = forms.URLField(
        label=_("Registration address"), required=False, assume_scheme="https"
    )
    reminder_offsets = forms.CharField(
        label=_("Reminders (minutes before each session)"),
        required=False,
        initial="1440, 60",
        help_text=_("For example 1440, 60: a day and an hour before."),
    )
    cover = images.PictureFormField(label=_("Cover image"))
    cover_alt = images.alt_form_field()
    cover_decorative = images.decorative_form_field()

    def __init__(
        self, *args: Any, series: Any = None, space: Space | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series if series is not None else Series.objects.none()  # type: ignore[attr-defined]
        for name in ("series", "territory", "organisations"):
            self.fields[name].label_from_instance = _name_shown  # type: ignore[attr-defined]
        # The place picker's outline, and the server's check: the space's territory.
        territory = space.territory if space is not None else None
        self.limit = territory if territory is not None and territory.boundary else None

    def clean_title(self) -> str:
        return clean_plain_text(self.cleaned_data["title"])

    def clean_summary(self) -> str:
        return clean_plain_text(self.cleaned_data.get("summary") or "")

    def clean_description(self) -> str:
        return clean_plain_text(self.cleaned_data.get("description") or "")

    def clean_venue_name(self) -> str:
        return clean_plain_text(self.cleaned_data.get("venue_name") or "")

    def clean_venue_address(self) -> str:
        return clean_plain_text(self.cleaned_data.get("venue_address") or "")

    def clean_time_zone(self) -> str:
        return _zone(self.cleaned_data["time_zone"])

    def clean_extra_zones(self) -> list[str]:
        return [
            _zone(z)
            for z in clean_plain_text(self.cleaned_data.get("extra_zones") or "").split(",")
            if z.strip()
        ]

    def clean_languages(self) -> list[str]:
        return _codes(self.cleaned_data.get("languages") or "")

    def clean_interpretation(self) -> list[str]:
        return [p.replace(" ", "") for p in _codes(self.cleaned_data.get("interpretation") or "")]

    def clean_reminder_offsets(self) -> list[int]:
        try:
            return [int(v) for v in _codes(self.cleaned_data.get("reminder_offsets") or "")]
        except ValueError as error:
            raise ValidationError(_("Give whole numbers of minutes, such as 1440, 60.")) from error

    def clean_cover_alt(self) -> str:
        return clean_plain_text(self.cleaned_data.get("cover_alt") or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        images.clean_picture(self, "cover")
        data = self.cleaned_data
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if "latitude" in data and "longitude" in data and (latitude is None) != (longitude is None):
            self.add_error(
                "latitude" if latitude is None else "longitude",
                _("Give both latitude and longitude for a map point, or neither."),
            )
        elif self.limit is not None:
            try:
                check_point_inside(self.limit.boundary, latitude, longitude, place=self.limit.name)
            except ValidationError as error:
                self.add_error("latitude", error)
        return data

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        return {
            **{
                f: getattr(event, f)
                for f in (
                    "title",
                    "slug",
                    "summary",
                    "description",
                    "kind",
                    "format",
                    "status",
                    "time_zone",
                    "venue_name",
                    "venue_address",
                    "online_url",
                    "registration_mode",
                    "external_registration_url",
                    "latitude",
                    "longitude",
                )
            },
            "series": event.series_id,
            "territory": event.territory_id,
            "organisations": list(event.organisations.all()),
            "topics": list(event.topics.all()),
            "extra_zones": ", ".join(event.extra_zones),
            "languages": ", ".join(event.languages),
            "interpretation": ", ".join(event.interpretation),
            "reminder_offsets": ", ".join(str(o) for o in event.reminder_offsets),
            **images.picture_initial(event, "cover"),
        }


class TrackForm(forms.Form):
    name = forms.CharField(label=_("Track name"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    capacity = forms.IntegerField(
        label=pgettext_lazy("seats of a track", "Places"), required=False, min_value=1
    )
    registration_deadline = BoundedDateTimeField(
        label=_("Registration deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_name(self) -> str:
        return clean_plain_text(self.cleaned_data["name"])

    def clean_description(self) -> str:
        return clean_plain_text(self.cleaned_data.get("description") or "")

    @staticmethod
    def initial_for(track: Any) -> dict[str, Any]:
        return {
            "name": track.name,
            "description": track.description,
            "capacity": track.capacity,
            "registration_deadline": track.registration_deadline,
        }


class SessionFields(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    day = BoundedDateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="Europe/Paris")

    def clean_title(self) -> str:
        return clean_plain_text(self.cleaned_data.get("title") or "")

    def clean_time_zone(self) -> str:
        return _zone(self.cleaned_data["time_zone"])


class SessionEditForm(SessionFields):
    """A session's title and times (wall-clock, in its zone); it stays in its track."""

    @staticmethod
    def initial_for(session: Any) -> dict[str, Any]:
        zone = zoneinfo.ZoneInfo(session.time_zone)
        start, end = session.start.astimezone(zone), session.end.astimezone(zone)
        return {
            "title": session.title,
            "day": start.date(),
            "start": start.time().replace(second=0, microsecond=0),
            "end": end.time().replace(second=0, microsecond=0),
            "time_zone": session.time_zone,
        }


class SessionForm(forms.Form):
    track: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Track"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    day = BoundedDateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="Europe/Paris")

    def __init__(self, *args: Any, tracks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = tracks  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        return clean_plain_text(self.cleaned_data.get("title") or "")

    def clean_time_zone(self) -> str:
        return _zone(self.cleaned_data["time_zone"])


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Speaker.Role.choices)
    bio = forms.CharField(
        label=_("Short biography"), max_length=2000, required=False, widget=forms.Textarea
    )
    portrait = images.PictureFormField(label=_("Portrait"))
    portrait_alt = images.alt_form_field()
    portrait_decorative = images.decorative_form_field()

    def clean_name(self) -> str:
        return clean_plain_text(self.cleaned_data["name"])

    def clean_affiliation(self) -> str:
        return clean_plain_text(self.cleaned_data.get("affiliation") or "")

    def clean_bio(self) -> str:
        return clean_plain_text(self.cleaned_data.get("bio") or "")

    def clean_portrait_alt(self) -> str:
        return clean_plain_text(self.cleaned_data.get("portrait_alt") or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        images.clean_picture(self, "portrait")
        return self.cleaned_data


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    file = forms.FileField(label=_("PDF file"), required=False)
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")

    def clean_title(self) -> str:
        return clean_plain_text(self.cleaned_data["title"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("file")) == bool(data.get("url")):
            raise ValidationError(_("Give either a PDF file or a link, not both."))
        return data


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=200)
    help_text = forms.CharField(label=_("Help"), max_length=300, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def clean_label(self) -> str:
        return clean_plain_text(self.cleaned_data["label"])

    def clean_help_text(self) -> str:
        return clean_plain_text(self.cleaned_data.get("help_text") or "")


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=10_000, widget=forms.Textarea)
    include_waitlist = forms.BooleanField(
        label=_("Also write to people on the wait list"), required=False
    )

    def clean_subject(self) -> str:
        return clean_plain_text(self.cleaned_data["subject"])

    def clean_body(self) -> str:
        return clean_plain_text(self.cleaned_data["body"])


def _name_shown(obj: Any) -> str:
    """A choice's label: the row's name in the viewer's language."""
    return translated(obj, "name")
