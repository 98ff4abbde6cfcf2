from django.contrib import admin

from .models import Event, Material, Question, Registration, Series, Session, Speaker, Track


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("name", "space", "parent")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "space", "kind", "status", "starts_at")
    list_filter = ("status", "kind", "format")
    search_fields = ("title",)
    raw_id_fields = ("space", "series", "territory", "created_by")
    inlines = [SpeakerInline, MaterialInline, QuestionInline]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "capacity", "confirmed_count")
    raw_id_fields = ("event",)
    inlines = [SessionInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "track", "status", "created_at", "attended")
    list_filter = ("status",)
    raw_id_fields = ("event", "track", "user")
