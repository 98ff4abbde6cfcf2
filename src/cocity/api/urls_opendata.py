from django.urls import path

from . import views_opendata

app_name = "open_data"

urlpatterns = [
    path("", views_opendata.index, name="index"),
    path("<str:scope_kind>/<str:key>/", views_opendata.package, name="package"),
    path("<str:scope_kind>/<str:key>/<str:name>", views_opendata.data_file, name="file"),
]
