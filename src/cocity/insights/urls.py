from django.urls import path

from . import views, views_compare

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("datasets/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<int:pk>/delete/", views.dataset_delete, name="dataset_delete"),
    path("datasets/<int:pk>/units.csv", views.dataset_csv, name="dataset_csv"),
    path("datasets/<int:pk>/units.geojson", views.dataset_geojson, name="dataset_geojson"),
    path("compare/", views_compare.compare, name="compare"),
    path("<str:code>/", views.city, name="city"),
    path("<str:code>/areas.json", views.zoomed_areas, name="city_areas"),
    path("<str:code>/datasets/new/", views.dataset_create, name="dataset_create"),
]
