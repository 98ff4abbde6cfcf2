"""The API's pages outside ``/api/v1/``: a person's access tokens, in their profile's area."""

from django.urls import path

from . import views_tokens

urlpatterns = [
    path("me/tokens/", views_tokens.tokens, name="api_tokens"),
    path("me/tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="api_token_revoke"),
]
