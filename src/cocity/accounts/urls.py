from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/time-zone/", views.time_zone, name="time_zone"),
    path("me/export/", views.export_data, name="export"),
    path("me/delete/", views.delete_account, name="delete"),
    path("people/<int:pk>/", views.profile, name="profile"),
]
