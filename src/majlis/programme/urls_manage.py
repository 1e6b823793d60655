"""The organisers' programme pages, under /<lang>/<event>/manage/ (namespace events:programme)."""

from django.urls import path

from . import views_manage

urlpatterns = [
    path("programme/", views_manage.sessions, name="manage-sessions"),
    path("programme/sessions/new/", views_manage.session_create, name="manage-session-create"),
    path("programme/sessions/<int:pk>/", views_manage.session_edit, name="manage-session-edit"),
    path("programme/sessions/<int:pk>/speakers/", views_manage.session_speakers, name="manage-session-speakers"),
    path(
        "programme/sessions/<int:pk>/speakers/restore/",
        views_manage.speakers_restore,
        name="manage-speakers-restore",
    ),
    path(
        "programme/sessions/<int:pk>/speakers/<int:speaker>/remove/",
        views_manage.speaker_remove,
        name="manage-speaker-remove",
    ),
    path(
        "programme/sessions/<int:pk>/speakers/<int:speaker>/position/",
        views_manage.speaker_position,
        name="manage-speaker-position",
    ),
    path("programme/publish/", views_manage.publish, name="manage-publish"),
]
