"""The public list of published programme versions, under /<lang>/<event>/ (namespace events:programme)."""

from django.urls import path

from . import views_changes

urlpatterns = [
    path("programme/changes/", views_changes.changes, name="changes"),
]
