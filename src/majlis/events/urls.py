from django.urls import include, path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_home, name="home"),
    path("news/", views.news_list, name="news-list"),
    path("news/<slug:slug>/", views.news_detail, name="news-detail"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/<slug:slug>/<str:file_language>/", views.document_file, name="document-file"),
    path("contacts/", views.contacts, name="contacts"),
    path("background/", views.background, name="background"),
    path("", include("majlis.programme.urls")),
    path("delegations/", include("majlis.accreditation.urls_delegations")),
    path("manage/participants/", include("majlis.accreditation.urls_manage")),
    path("manage/api-tokens/", include("majlis.events.urls_tokens")),
    path("manage/", include("majlis.accreditation.urls_setup")),
]
