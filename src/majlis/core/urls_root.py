"""Core's addresses outside any language prefix: the root redirect, the health check, the icon."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.root_redirect, name="root"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
