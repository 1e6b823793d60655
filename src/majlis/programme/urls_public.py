"""The public programme pages, under /<lang>/<event>/ in the namespace events:programme."""

from django.urls import path

from . import views

urlpatterns = [
    path("programme/", views.programme, name="programme"),
    path("programme/print/", views.programme_print, name="programme-print"),
    path("sessions/<slug:slug>/", views.session_detail, name="session"),
    path("speakers/", views.speaker_list, name="speakers"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    path("speakers/<slug:slug>/photo/", views.speaker_photo, name="speaker-photo"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/toggle/<uuid:guid>/", views.agenda_toggle, name="agenda-toggle"),
]
