"""Included by the project under ``/<lang>/account/applications/`` with the namespace ``applications``."""

from django.urls import path

from . import views_account, views_visa

app_name = "applications"

urlpatterns = [
    path("", views_account.application_list, name="list"),
    path("<int:pk>/", views_account.application_detail, name="detail"),
    path("<int:pk>/edit/", views_account.application_edit, name="edit"),
    path("<int:pk>/cancel/", views_account.application_cancel, name="cancel"),
    path("<int:pk>/reapply/", views_account.application_reapply, name="reapply"),
    path("<int:pk>/visa-letter/", views_visa.visa_letter, name="visa-letter"),
    path("<int:pk>/visa-letter/letter.pdf", views_visa.visa_letter_download, name="visa-letter-download"),
]
