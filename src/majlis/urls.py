from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from majlis.api import api
from majlis.core import views as core_views
from majlis.core.admin_site import admin_site
from majlis.events import views as event_views
from majlis.events import views_manage as event_manage_views

urlpatterns = [
    path("", core_views.root_redirect, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("logos/<int:pk>/", event_views.organisation_logo, name="organisation-logo"),
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", core_views.platform_home, name="platform-home"),
    path("account/login/link/", include("majlis.accreditation.urls_login")),
    path("account/applications/", include("majlis.accreditation.urls_account")),
    path("account/my-data/", include("majlis.accreditation.urls_my_data")),
    path("account/files/", include("majlis.accreditation.urls_files")),
    path("account/", include("majlis.core.urls_account")),
    path("manage/events/new/", event_manage_views.event_create, name="event-create"),
    path("<slug:event>/", include("majlis.events.urls")),
    path("<slug:event>/", include("majlis.accreditation.urls_event")),
    prefix_default_language=True,
)

handler400 = "majlis.core.views.bad_request"
handler403 = "majlis.core.views.permission_denied"
handler404 = "majlis.core.views.page_not_found"
handler500 = "majlis.core.views.server_error"
