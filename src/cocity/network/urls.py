from django.urls import path

from .views import organisations, spaces, territories

app_name = "network"

urlpatterns = [
    # Organisations
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path(
        "organisations/<slug:slug>/", organisations.organisation_detail, name="organisation_detail"
    ),
    path(
        "organisations/<slug:slug>/edit/", organisations.organisation_edit, name="organisation_edit"
    ),
    path(
        "organisations/<slug:slug>/members/",
        organisations.organisation_members,
        name="organisation_members",
    ),
    path(
        "organisations/<slug:slug>/leave/",
        organisations.organisation_leave,
        name="organisation_leave",
    ),
    # Spaces
    path("spaces/", spaces.space_list, name="space_list"),
    path("spaces/new/", spaces.space_create, name="space_create"),
    path("spaces/<slug:slug>/", spaces.space_detail, name="space_detail"),
    path("spaces/<slug:slug>/edit/", spaces.space_edit, name="space_edit"),
    path("spaces/<slug:slug>/join/", spaces.space_join, name="space_join"),
    path("spaces/<slug:slug>/leave/", spaces.space_leave, name="space_leave"),
    path("spaces/<slug:slug>/members/", spaces.space_members, name="space_members"),
    path(
        "spaces/<slug:slug>/requests/<int:request_id>/",
        spaces.join_request_decide,
        name="join_request_decide",
    ),
    path("spaces/<slug:slug>/invite/", spaces.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", spaces.invitation_respond, name="invitation_respond"),
    # Places and topics
    path("places/", territories.territory_list, name="territory_list"),
    path("places/boundary.geojson", territories.territory_boundary, name="territory_boundary"),
    path("places/<str:code>/", territories.territory_detail, name="territory_detail"),
    path("topics/<slug:slug>/", territories.topic_detail, name="topic_detail"),
]
