"""The events app's addresses outside any language prefix (organisation logos, cached by browsers)."""

from django.urls import path

from . import views

urlpatterns = [
    path("logos/<int:pk>/", views.organisation_logo, name="organisation-logo"),
]
