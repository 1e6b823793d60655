"""The events app's pages that belong to no single event: the platform's front page, a new event."""

from django.urls import path

from . import views, views_manage

urlpatterns = [
    path("", views.platform_home, name="platform-home"),
    path("manage/events/new/", views_manage.event_create, name="event-create"),
]
