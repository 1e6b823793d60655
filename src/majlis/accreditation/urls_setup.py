"""The organisers' registration set-up pages, under /<lang>/<event>/manage/ (namespace events:accreditation-setup)."""

from django.urls import path

from . import views_setup as views

app_name = "accreditation-setup"

urlpatterns = [
    path("registration/", views.registration_settings, name="registration"),
    path("registration/publish/", views.publish, name="publish"),
    path("registration/privacy-notice/", views.privacy_notice, name="privacy-notice"),
    path("invitation-codes/", views.invitation_codes, name="invitation-codes"),
    path("invitation-codes/<int:pk>/revoke/", views.revoke_invitation_code, name="revoke-invitation-code"),
]
