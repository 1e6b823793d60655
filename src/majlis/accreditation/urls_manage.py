"""The organisers' participant pages, under /<lang>/<event>/manage/participants/ (namespace
events:accreditation-manage)."""

from django.urls import path

from . import views_desks, views_mass_mail, views_visa
from . import views_manage as views

app_name = "accreditation-manage"

urlpatterns = [
    path("", views.participant_list, name="list"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("export/", views.export, name="export"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/passport/", views.passport_reveal, name="passport"),
    path("<int:pk>/sessions/invite/", views.session_invite, name="session-invite"),
    path(
        "<int:pk>/sessions/<int:session>/withdraw/",
        views.session_invitation_withdraw,
        name="session-invitation-withdraw",
    ),
    path("mail/<int:pk>/retry/", views.retry_mail, name="retry-mail"),
    path("<int:pk>/visa-letter/", views_visa.issue_visa_letter, name="visa-letter-issue"),
    path("<int:pk>/visa-letter/letter.pdf", views_visa.download_visa_letter, name="visa-letter-download"),
    path("desks/", views_desks.desks, name="desks"),
    path("desks/<int:pk>/", views_desks.desk_edit, name="desk-edit"),
    path("desks/<int:pk>/delete/", views_desks.desk_delete, name="desk-delete"),
    path("desks/letterhead/", views_desks.organiser_details, name="organiser-details"),
    path("mass-mail/", views_mass_mail.mailing_new, name="mass-mail-new"),
    path("mass-mail/<int:pk>/", views_mass_mail.mailing_preview, name="mass-mail-preview"),
    path("mass-mail/<int:pk>/send/", views_mass_mail.mailing_send, name="mass-mail-send"),
    path("mass-mail/<int:pk>/progress/", views_mass_mail.mailing_progress, name="mass-mail-progress"),
]
