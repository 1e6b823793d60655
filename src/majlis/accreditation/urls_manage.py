"""The organisers' participant pages, under /<lang>/<event>/manage/participants/ (namespace
events:accreditation-manage)."""

from django.urls import path

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
]
