from django.urls import path

from . import views, views_compare, views_import, views_templates

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("datasets/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<int:pk>/delete/", views.dataset_delete, name="dataset_delete"),
    path("datasets/<int:pk>/units.csv", views.dataset_csv, name="dataset_csv"),
    path("datasets/<int:pk>/units.geojson", views.dataset_geojson, name="dataset_geojson"),
    path("compare/", views_compare.compare, name="compare"),
    path("imports/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("imports/<int:pk>/discard/", views_import.import_discard, name="import_discard"),
    path("<str:code>/", views.city, name="city"),
    path("<str:code>/areas.json", views.zoomed_areas, name="city_areas"),
    path("<str:code>/datasets/new/", views_import.upload, name="dataset_create"),
    path(
        "<str:code>/template.<str:kind>",
        views_templates.dataset_template,
        name="dataset_template",
    ),
]
