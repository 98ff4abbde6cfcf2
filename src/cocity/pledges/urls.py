from django.urls import path

from . import views

app_name = "pledges"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<slug:slug>/pledge/", views.pledge_create, name="pledge_create"),
    path(
        "campaigns/<slug:slug>/export.csv",
        views.campaign_export,
        {"fmt": "csv"},
        name="campaign_export_csv",
    ),
    path(
        "campaigns/<slug:slug>/export.json",
        views.campaign_export,
        {"fmt": "json"},
        name="campaign_export_json",
    ),
    path("p/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("p/<int:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("p/<int:pk>/publish/", views.pledge_publish, name="pledge_publish"),
    path("p/<int:pk>/measures/new/", views.measure_add, name="measure_add"),
    path("p/<int:pk>/measures/<int:measure_id>/links/new/", views.link_add, name="link_add"),
    path("p/<int:pk>/links/<int:link_id>/remove/", views.link_remove, name="link_remove"),
    path("p/<int:pk>/reports/new/", views.report_file, name="report_file"),
    path("p/<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("by/<slug:slug>/", views.organisation_pledges, name="organisation_pledges"),
    path("frameworks/new/", views.framework_create, name="framework_create"),
    path("frameworks/<slug:slug>/", views.framework_detail, name="framework_detail"),
    path(
        "frameworks/<slug:framework>/<str:code>/",
        views.principle_detail,
        name="principle_detail",
    ),
]
