from django.urls import path

from . import feeds, views

app_name = "library"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("new/", views.item_create, name="item_create"),
    path("<int:pk>/", views.item_detail, name="item_detail_short"),
    path("<int:pk>-<slug:slug>/", views.item_detail, name="item_detail"),
    path("<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/submit/", views.item_submit, name="item_submit"),
    path("<int:pk>/review/", views.item_review, name="item_review"),
    path("<int:pk>/archive/", views.item_archive, name="item_archive"),
    path("<int:pk>/comment/", views.item_comment, name="item_comment"),
    path("<int:pk>/translate/", views.item_translate, name="item_translate"),
    path("<int:pk>/documents/", views.attachment_add, name="attachment_add"),
    path("feeds/space/<slug:slug>/", feeds.SpaceFeed(), name="feed_space"),
    path("feeds/topic/<slug:slug>/", feeds.TopicFeed(), name="feed_topic"),
    path("feeds/kind/<str:kind>/", feeds.KindFeed(), name="feed_kind"),
    path("peers/", views.post_list, name="post_list"),
    path("peers/new/", views.post_create, name="post_create"),
    path("peers/<int:pk>/", views.post_detail, name="post_detail"),
    path("peers/<int:pk>/contact/", views.contact_send, name="contact_send"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/<int:pk>/answer/", views.contact_answer, name="contact_answer"),
]
