"""Accreditation's pages under /<lang>/account/: log-in links, the person's applications, data and files."""

from django.urls import include, path

urlpatterns = [
    path("login/link/", include("majlis.accreditation.urls_login")),
    path("applications/", include("majlis.accreditation.urls_account")),
    path("my-data/", include("majlis.accreditation.urls_my_data")),
    path("files/", include("majlis.accreditation.urls_files")),
]
