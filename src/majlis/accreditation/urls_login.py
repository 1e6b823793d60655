"""Included by the project under ``/<lang>/account/login/link/``."""

from django.urls import path

from . import views_login

app_name = "login-link"

urlpatterns = [
    path("", views_login.request_link, name="request"),
    path("<str:token>/", views_login.confirm, name="confirm"),
]
