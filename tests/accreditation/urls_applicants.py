"""The project's URLs plus the applicant pages (and the URLs they link to), for as long as urls.py lacks them.

Only what the project does not route yet is added, so this module keeps working once it does.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, include, path

from majlis.urls import handler400, handler403, handler404, handler500  # noqa: F401
from majlis.urls import urlpatterns as project_urlpatterns


def _routed(namespace: str, patterns=project_urlpatterns) -> bool:  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver) and (
            pattern.namespace == namespace or _routed(namespace, pattern.url_patterns)
        ):
            return True
    return False


_missing = [
    path(prefix, include(module))
    for namespace, prefix, module in (
        ("applications", "account/applications/", "majlis.accreditation.urls_account"),
        ("accreditation-files", "account/files/", "majlis.accreditation.urls_files"),
        ("login-link", "account/login/link/", "majlis.accreditation.urls_login"),
        ("accreditation", "<slug:event>/", "majlis.accreditation.urls_event"),
    )
    if not _routed(namespace)
]

urlpatterns = (
    [*i18n_patterns(*_missing, prefix_default_language=True), *project_urlpatterns]
    if _missing
    else [*project_urlpatterns]
)
