"""Included by the project under ``/<lang>/<event>/`` with the namespace ``gates``."""

from django.urls import path  # noqa: F401

app_name = "gates"

urlpatterns: list = []
