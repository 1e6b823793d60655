"""Exports of the published programme, under /<lang>/<event>/ (namespace events:programme)."""

from django.urls import path

from . import views_exports as views

urlpatterns = [
    path("programme.ics", views.programme_ics, name="programme-ics"),
    path("sessions/<slug:slug>.ics", views.session_ics, name="session-ics"),
    path("schedule.xml", views.schedule_xml, name="schedule-xml"),
    path("schedule.json", views.schedule_json, name="schedule-json"),
    path("programme.pdf", views.programme_pdf, name="programme-pdf"),
    path("agenda.ics/<str:token>/", views.agenda_ics, name="agenda-ics"),
    path("agenda/feed/", views.agenda_feed, name="agenda-feed"),
]
