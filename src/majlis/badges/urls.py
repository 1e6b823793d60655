"""Included by the project under ``/<lang>/<event>/`` with the namespace ``badges``."""

from django.urls import path

from . import views_desk, views_holder, views_keys

app_name = "badges"

urlpatterns = [
    path("manage/badges/", views_desk.badge_list, name="list"),
    path("manage/badges/<int:pk>/", views_desk.badge_detail, name="detail"),
    path("manage/badges/<int:pk>/badge.pdf", views_desk.badge_pdf, name="pdf"),
    path("manage/badges/<int:pk>/hand-over/", views_desk.hand_over, name="hand-over"),
    path("manage/badges/<int:pk>/reissue/", views_desk.reissue, name="reissue"),
    path("manage/badges/<int:pk>/revoke/", views_desk.revoke, name="revoke"),
    path("manage/badges/print/", views_desk.print_jobs, name="print"),
    path("manage/badges/print/<int:pk>/", views_desk.print_job, name="print-job"),
    path("manage/badges/print/<int:pk>/badges.pdf", views_desk.print_job_download, name="print-job-download"),
    path("manage/badges/keys/", views_keys.keys, name="keys"),
    path("my-badge/", views_holder.my_badge, name="mine"),
    path("my-badge/badge.pdf", views_holder.my_badge_pdf, name="mine-pdf"),
]
