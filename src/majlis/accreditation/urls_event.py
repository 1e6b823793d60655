"""Included by the project under ``/<lang>/<event>/`` with the namespace ``accreditation``."""

from django.urls import path

from . import views_public, views_register

app_name = "accreditation"

urlpatterns = [
    path("register/", views_register.register, name="register"),
    path("register/done/", views_register.registered, name="registered"),
    path("register/photo/<str:token>/", views_register.pending_photo, name="pending-photo"),
    path("participants/", views_public.participant_list, name="participants"),
]
