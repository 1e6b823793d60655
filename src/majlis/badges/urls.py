"""Included by the project under ``/<lang>/<event>/`` with the namespace ``badges``."""

from django.urls import path  # noqa: F401

app_name = "badges"

urlpatterns: list = []
