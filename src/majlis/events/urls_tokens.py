"""The event's API tokens, under /<lang>/<event>/manage/api-tokens/ (namespace events)."""

from django.urls import path

from . import views_tokens

urlpatterns = [
    path("", views_tokens.api_tokens, name="api-tokens"),
    path("<int:pk>/revoke/", views_tokens.api_token_revoke, name="api-token-revoke"),
]
