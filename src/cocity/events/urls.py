from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("map.geojson", views.event_map, name="event_map"),
    path("me/", views.my_events, name="my_events"),
    path("me/calendar/<str:token>.ics", views.my_calendar, name="my_calendar"),
    path("series/<slug:slug>/", views.series_detail, name="series_detail"),
    path("series/<slug:slug>/calendar.ics", views.series_ics, name="series_ics"),
    path("series/<slug:slug>/feed.atom", views.series_feed, name="series_feed"),
    path("spaces/<slug:slug>/calendar.ics", views.space_ics, name="space_ics"),
    path("spaces/<slug:space_slug>/new/", views.event_create, name="event_create"),
    path(
        "registrations/cancel/<str:token>/", views.registration_cancel, name="registration_cancel"
    ),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/calendar.ics", views.event_ics, name="event_ics"),
    path("<slug:slug>/register/<int:track_id>/", views.event_register, name="event_register"),
    path("<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("<slug:slug>/manage/", views.event_manage, name="event_manage"),
    path("<slug:slug>/tracks/<int:track_id>/edit/", views.track_edit, name="track_edit"),
    path("<slug:slug>/tracks/<int:track_id>/delete/", views.track_delete, name="track_delete"),
    path("<slug:slug>/sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path(
        "<slug:slug>/sessions/<int:session_id>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path("<slug:slug>/registrants/", views.registrants, name="registrants"),
    path("<slug:slug>/registrants.csv", views.registrants_csv, name="registrants_csv"),
]
