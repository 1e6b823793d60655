"""Included by the project under ``/<lang>/<event>/`` with the namespace ``gates``."""

from django.urls import path

from . import views_manage, views_scan

app_name = "gates"

urlpatterns: list = []

# --- The organisers' pages: zones, gates, scan log, conflicts, live attendance (gates.manage) ---------
urlpatterns += [
    path("manage/gates/", views_manage.zones, name="zones"),
    path("manage/gates/zones/<int:pk>/", views_manage.zone_edit, name="zone"),
    path("manage/gates/zones/<int:pk>/delete/", views_manage.zone_delete, name="zone-delete"),
    path("manage/gates/zones/<int:pk>/gates/", views_manage.gate_add, name="gate-add"),
    path("manage/gates/gates/<int:pk>/", views_manage.gate_edit, name="gate"),
    path("manage/gates/gates/<int:pk>/delete/", views_manage.gate_delete, name="gate-delete"),
    path("manage/gates/scans/", views_manage.scan_log, name="scans"),
    path("manage/gates/conflicts/", views_manage.conflicts, name="conflicts"),
    path(
        "manage/gates/conflicts/<int:pk>/acknowledge/",
        views_manage.conflict_acknowledge,
        name="conflict-acknowledge",
    ),
    path("manage/gates/live/", views_manage.live, name="live"),
    path("manage/gates/live/figures/", views_manage.live_figures, name="live-figures"),
]

# --- The gate page (officers and gate devices), its service worker and web app manifest (gates.scan) ---
urlpatterns += [
    path("gates/scan/", views_scan.scan, name="scan"),
    path("gates/device/", views_scan.device, name="device"),
    path("gates/sw.js", views_scan.service_worker, name="service-worker"),
    path("gates/manifest.webmanifest", views_scan.manifest, name="manifest"),
]
