"""Included by the project under ``/<lang>/account/files/`` with the namespace ``accreditation-files``."""

from django.urls import path

from . import views_files

app_name = "accreditation-files"

urlpatterns = [
    path("photo/<int:application>/", views_files.photo, name="photo"),
    path("document/<int:application>/", views_files.supporting_document, name="document"),
    path("delegation-document/<int:document>/", views_files.delegation_document, name="delegation-document"),
]
