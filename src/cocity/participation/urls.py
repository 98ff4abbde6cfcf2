from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("spaces/<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("spaces/<slug:slug>/moderation/<int:pk>/", views.report_decide, name="report_decide"),
    path("spaces/<slug:slug>/activity/", views.activity, name="activity"),
    path("spaces/<slug:slug>/follow/", views.space_follow, name="space_follow"),
    # Content that belongs to an organisation rather than a space (pacts).
    path(
        "organisations/<slug:slug>/moderation/",
        views.moderation,
        {"venue": "organisation"},
        name="organisation_moderation",
    ),
    path(
        "organisations/<slug:slug>/moderation/<int:pk>/",
        views.report_decide,
        {"venue": "organisation"},
        name="organisation_report_decide",
    ),
    path(
        "organisations/<slug:slug>/activity/",
        views.activity,
        {"venue": "organisation"},
        name="organisation_activity",
    ),
]
