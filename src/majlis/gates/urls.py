"""Included by the project under ``/<lang>/<event>/`` with the namespace ``gates``."""

from django.urls import path

from . import views_scan

app_name = "gates"

urlpatterns: list = []

# The gate page (officers and gate devices) and its service worker.
urlpatterns += [
    path("gates/scan/", views_scan.scan, name="scan"),
    path("gates/device/", views_scan.device, name="device"),
    path("gates/sw.js", views_scan.service_worker, name="service-worker"),
    path("gates/manifest.webmanifest", views_scan.manifest, name="manifest"),
]
