"""Included by the project under ``/<lang>/account/my-data/`` with the namespace ``my-data``."""

from django.urls import path

from . import views_personal_data

app_name = "my-data"

urlpatterns = [
    path("", views_personal_data.my_data, name="home"),
    path("download/", views_personal_data.export, name="export"),
    path("delete/", views_personal_data.request_deletion, name="delete"),
]
