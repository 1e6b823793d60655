"""The project's URLs plus the log-in link, personal file and my-data URLs, for as long as urls.py lacks them."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from majlis.urls import handler400, handler403, handler404, handler500  # noqa: F401
from majlis.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *i18n_patterns(
        path("account/login/link/", include("majlis.accreditation.urls_login")),
        path("account/files/", include("majlis.accreditation.urls_files")),
        path("account/my-data/", include("majlis.accreditation.urls_my_data")),
        prefix_default_language=True,
    ),
    *project_urlpatterns,
]
