"""The admin for events, through the services (``cocity.core.admin``): a track's new capacity
moves the wait list up exactly as the organiser's page does; seat counters, event dates and
revisions are kept by the services and only shown here. Speakers, materials, questions and
sessions are shown on their event or track and changed on the organiser's pages; registrations
are only shown (people register and cancel through the site)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cocity.accounts.types import signed_in
from cocity.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
from .models import Event, Material, Question, Registration, Series, Session, Speaker, Track


@admin.register(Series)
class SeriesAdmin(ServiceAdmin):
    list_display = ("name", "space", "parent")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("space", "parent")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("space", "created_at") if obj else ("created_at",)

    def create(self, request: HttpRequest, obj: Series, form: Any) -> Series:
        data = form.cleaned_data
        return services.series_create(
            space=data["space"],
            name=data["name"],
            slug=data["slug"],
            parent=data.get("parent"),
            summary=data.get("summary", ""),
            description=data.get("description", ""),
        )

    def update(self, request: HttpRequest, obj: Series, form: Any) -> None:
        data = form.cleaned_data
        services.series_update(
            series=obj,
            name=data["name"],
            slug=data["slug"],
            parent=data.get("parent"),
            summary=data.get("summary", ""),
            description=data.get("description", ""),
        )


class SpeakerInline(ReadOnlyInline):
    model = Speaker


class MaterialInline(ReadOnlyInline):
    model = Material


class QuestionInline(ReadOnlyInline):
    model = Question


# Kept by the services: dates from the sessions, the calendar revision, the times of writes.
EVENT_DERIVED = ("starts_at", "ends_at", "sequence", "created_by", "created_at", "updated_at")


@admin.register(Event)
class EventAdmin(ServiceAdmin):
    list_display = ("title", "space", "kind", "status", "starts_at")
    list_filter = ("status", "kind", "format")
    search_fields = ("title",)
    raw_id_fields = ("space", "series", "territory")
    inlines = [SpeakerInline, MaterialInline, QuestionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("space", *EVENT_DERIVED) if obj else EVENT_DERIVED

    @staticmethod
    def _fields(form: Any) -> dict[str, Any]:
        return {
            name: form.cleaned_data[name]
            for name in services.EVENT_FIELDS
            if name in form.cleaned_data
        }

    def create(self, request: HttpRequest, obj: Event, form: Any) -> Event:
        return services.event_create(
            space=form.cleaned_data["space"],
            actor=signed_in(request),
            organisations=form.cleaned_data.get("organisations", ()),
            topics=form.cleaned_data.get("topics", ()),
            **self._fields(form),
        )

    def update(self, request: HttpRequest, obj: Event, form: Any) -> None:
        services.event_update(
            event=obj,
            actor=signed_in(request),
            organisations=form.cleaned_data.get("organisations"),
            topics=form.cleaned_data.get("topics"),
            **self._fields(form),
        )


class SessionInline(ReadOnlyInline):
    model = Session


@admin.register(Track)
class TrackAdmin(ServiceAdmin):
    """Capacity through ``track_update``: more places promote the wait list, in order; fewer
    places than people confirmed is refused, on the form."""

    list_display = ("name", "event", "capacity", "confirmed_count")
    raw_id_fields = ("event",)
    inlines = [SessionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("event", "position", "confirmed_count") if obj else ("confirmed_count",)

    def create(self, request: HttpRequest, obj: Track, form: Any) -> Track:
        data = form.cleaned_data
        return services.track_create(
            event=data["event"],
            name=data["name"],
            description=data.get("description", ""),
            capacity=data.get("capacity"),
            registration_deadline=data.get("registration_deadline"),
            position=data.get("position") or 0,
        )

    def update(self, request: HttpRequest, obj: Track, form: Any) -> None:
        data = form.cleaned_data
        services.track_update(
            track=obj,
            name=data["name"],
            description=data.get("description", ""),
            capacity=data.get("capacity"),
            registration_deadline=data.get("registration_deadline"),
        )

    def delete(self, request: HttpRequest, obj: Track) -> None:
        services.track_delete(track=obj)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("user", "event", "track", "status", "created_at", "attended")
    list_filter = ("status",)
    raw_id_fields = ("event", "track", "user")
