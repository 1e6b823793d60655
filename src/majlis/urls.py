"""The root URLconf only composes the apps' URLconfs (each app owns its addresses and their access)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from majlis.api import api
from majlis.core.admin_site import admin_site

urlpatterns = [
    path("", include("majlis.core.urls_root")),
    path("", include("majlis.events.urls_root")),
    path("admin/", admin_site.urls),
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", include("majlis.events.urls_platform")),
    # Accreditation's account pages come first: "account/" below is core's catch-all for the rest.
    path("account/", include("majlis.accreditation.urls_platform")),
    path("account/", include("majlis.core.urls_account")),
    path("<slug:event>/", include("majlis.events.urls")),
    path("<slug:event>/", include("majlis.accreditation.urls_event")),
    path("<slug:event>/", include("majlis.badges.urls")),
    path("<slug:event>/", include("majlis.gates.urls")),
    prefix_default_language=True,
)

handler400 = "majlis.core.views.bad_request"
handler403 = "majlis.core.views.permission_denied"
handler404 = "majlis.core.views.page_not_found"
handler500 = "majlis.core.views.server_error"
