from django.urls import path

from cocity.core import views_translations

app_name = "translations"
urlpatterns = [
    path("<str:app_label>/<str:model_name>/<int:pk>/", views_translations.edit, name="edit"),
]
