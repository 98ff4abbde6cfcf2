from django.urls import path

from . import views

app_name = "commons"

urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.map_page, name="map"),
    path("map.geojson", views.map_geojson, name="map_geojson"),
    path("pacts.csv", views.export_csv, name="export_csv"),
    path("pacts.geojson", views.export_geojson, name="export_geojson"),
    path("mine/", views.my_pacts, name="my_pacts"),
    path("registry/", views.commons_list, name="commons_list"),
    path("registry/new/<slug:org>/", views.commons_create, name="commons_create"),
    path("registry/<slug:slug>/", views.commons_detail, name="commons_detail"),
    path("registry/<slug:slug>/photo/", views.commons_photo_add, name="commons_photo_add"),
    path("registry/<slug:slug>/propose/", views.pact_create, name="pact_create"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/<slug:org>/", views.call_create, name="call_create"),
    path("calls/<slug:slug>/", views.call_detail, name="call_detail"),
    path("pacts/<int:pk>/", views.pact_detail, name="pact_detail"),
    path("pacts/<int:pk>/edit/", views.pact_edit, name="pact_edit"),
    path("pacts/<int:pk>/parties/new/", views.party_add, name="party_add"),
    path("pacts/<int:pk>/commitments/new/", views.commitment_add, name="commitment_add"),
    path("pacts/<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("pacts/<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("pacts/<int:pk>/photos/new/", views.photo_add, name="photo_add"),
    path("pacts/<int:pk>/act/<slug:action>/", views.pact_act, name="pact_act"),
    path("pacts/<int:pk>/sign/<int:party>/", views.pact_sign, name="pact_sign"),
    path("pacts/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path(
        "pacts/<int:pk>/comments/<int:comment_pk>/report/",
        views.comment_report,
        name="comment_report",
    ),
    path("pacts/<int:pk>/compete/", views.pact_compete, name="pact_compete"),
    path("pacts/<int:pk>/draft/", views.draft_edit, name="draft_edit"),
    path("pacts/<int:pk>/versions/<int:number>/", views.version_diff, name="version_diff"),
    path("pacts/<int:pk>/report/", views.report_file, name="report_file"),
]
