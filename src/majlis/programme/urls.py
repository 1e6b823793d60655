"""Programme URLs, under /<lang>/<event>/ (see majlis.events.urls)."""

from django.urls import include, path

app_name = "programme"

urlpatterns = [
    path("", include("majlis.programme.urls_public")),
    path("", include("majlis.programme.urls_exports")),
    path("", include("majlis.programme.urls_changes")),
    path("manage/", include("majlis.programme.urls_manage")),
]
