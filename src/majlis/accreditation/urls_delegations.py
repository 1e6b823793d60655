"""Delegation pages, under /<lang>/<event>/delegations/ (namespace events:delegations).

Organisers: the list, inviting a delegation, a delegation's page and the decisions on it.
Focal points: ``mine/`` (where the invitation leads) and their own delegation's pages.
"""

from django.urls import path

from . import views_delegation_tools as tools
from . import views_delegations as views

app_name = "delegations"

urlpatterns = [
    path("", views.delegation_list, name="list"),
    path("invite/", views.delegation_invite, name="invite"),
    path("export/<str:fmt>/", tools.delegation_export, name="export"),
    path("vetting/", tools.vetting_list, name="vetting"),
    path("<int:pk>/resend/", tools.resend_invitation, name="resend"),
    path("<int:pk>/members/<int:member>/resend/", tools.resend_member_invitation, name="member-resend"),
    path("<int:pk>/members/bulk/", tools.organiser_bulk, name="organiser-bulk"),
    path("<int:pk>/members/template/<str:fmt>/", tools.organiser_bulk_template, name="organiser-bulk-template"),
    path("<int:pk>/", views.delegation_detail, name="detail"),
    path("<int:pk>/decide/", views.delegation_decide, name="decide"),
    path("<int:pk>/categories/", views.delegation_set_categories, name="categories"),
    path("<int:pk>/members/<int:member>/decide/", views.member_decide, name="member-decide"),
    path("mine/", views.my_delegations, name="mine"),
    path("mine/<int:pk>/", views.focal_overview, name="focal"),
    path("mine/<int:pk>/accept/", views.focal_accept, name="focal-accept"),
    path("mine/<int:pk>/people/", views.focal_people_add, name="focal-people-add"),
    path("mine/<int:pk>/people/<int:membership>/remove/", views.focal_people_remove, name="focal-people-remove"),
    path("mine/<int:pk>/documents/", views.focal_upload, name="focal-upload"),
    path("mine/<int:pk>/members/new/", views.focal_member_new, name="focal-member-new"),
    path("mine/<int:pk>/members/invite/", views.focal_member_invite, name="focal-member-invite"),
    path("mine/<int:pk>/members/bulk/", tools.focal_bulk, name="focal-bulk"),
    path("mine/<int:pk>/members/template/<str:fmt>/", tools.focal_bulk_template, name="focal-bulk-template"),
    path("mine/<int:pk>/members/<int:member>/", views.focal_member_edit, name="focal-member-edit"),
    path("mine/<int:pk>/members/<int:member>/cancel/", views.focal_member_cancel, name="focal-member-cancel"),
    path("mine/<int:pk>/members/submit/", views.focal_submit_new_members, name="focal-submit-new"),
    path("mine/<int:pk>/head/", views.focal_head, name="focal-head"),
    path("mine/<int:pk>/submit/", views.focal_submit, name="focal-submit"),
]
