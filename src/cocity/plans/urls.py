from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("new/<slug:space_slug>/", views.process_create, name="process_create"),
    path("<slug:slug>/", views.process_detail, name="process_detail"),
    path("<slug:slug>/edit/", views.process_edit, name="process_edit"),
    path("<slug:slug>/phases/", views.phase_add, name="phase_add"),
    path("<slug:slug>/phases/switch/", views.phase_switch, name="phase_switch"),
    path("<slug:slug>/follow/", views.process_follow, name="process_follow"),
    path("<slug:slug>/ideas/", views.idea_list, name="idea_list"),
    path("<slug:slug>/ideas/new/", views.idea_create, name="idea_create"),
    path("<slug:slug>/ideas/similar/", views.idea_similar, name="idea_similar"),
    path("<slug:slug>/ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("<slug:slug>/ideas/<int:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("<slug:slug>/ideas/<int:pk>/comment/", views.idea_comment, name="idea_comment"),
    path("<slug:slug>/ideas/<int:pk>/support/", views.idea_support, name="idea_support"),
    path("<slug:slug>/ideas/<int:pk>/follow/", views.idea_follow, name="idea_follow"),
    path("<slug:slug>/ideas/<int:pk>/answer/", views.idea_answer, name="idea_answer"),
    path("<slug:slug>/comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("<slug:slug>/report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("<slug:slug>/merge/", views.merge, name="merge"),
    path("<slug:slug>/actions/new/", views.action_edit, name="action_create"),
    path("<slug:slug>/actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("<slug:slug>/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("<slug:slug>/actions/<int:pk>/follow/", views.action_follow, name="action_follow"),
    path("<slug:slug>/actions/<int:pk>/comment/", views.action_comment, name="action_comment"),
    path("<slug:slug>/actions/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("<slug:slug>/plan/", views.plan, name="plan"),
    path("<slug:slug>/plan/print/", views.plan, {"printable": True}, name="plan_print"),
    path("<slug:slug>/plan.csv", views.plan_csv, name="plan_csv"),
    path("<slug:slug>/plan/state/", views.plan_state, name="plan_state"),
]
