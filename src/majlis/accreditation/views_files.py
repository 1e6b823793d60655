"""Personal files (photos, supporting documents, notes verbales), served only to those who may see them.

Allowed: the participant themself, the focal point of the application's delegation, and who may
see the event's applications (``accreditation.view``). Everyone else gets 404, never 403, so that
nobody learns whether a file exists. Every view is written to the audit log. The response can never run as a page: it is
sandboxed, never sniffed and never cached.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from majlis.core import audit, capabilities
from majlis.core.files import content_disposition
from majlis.core.permissions import login_required

from .models import Application, DelegationDocument

FILE_CSP = "default-src 'none'; sandbox"


def may_see_application_files(user: Any, application: Application) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if application.user_id is not None and application.user_id == user.pk:
        return True
    delegation = application.delegation
    # Another member's photo and documents are personal data: those who prepare the delegation's
    # members (its focal points) see them, not every negotiator or head of delegation.
    if delegation is not None and capabilities.has(user, "delegation.manage", delegation):
        return True
    return capabilities.has(user, "accreditation.view", application.event)


def may_see_delegation_document(user: Any, document: DelegationDocument) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    delegation = document.delegation
    if capabilities.has(user, "delegation.view", delegation):
        return True
    return capabilities.has(user, "accreditation.view", delegation.event)


def _visible_application(request: HttpRequest, pk: int) -> Application:
    application = Application.objects.select_related("event", "delegation").filter(pk=pk).first()
    if application is None or not may_see_application_files(request.user, application):
        raise Http404("No such file.")
    return application


def _file_response(file: FieldFile, name: str, content_type: str = "") -> FileResponse:
    if not file:
        raise Http404("No such file.")
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    content_type = content_type or mimetypes.guess_type(name)[0] or mimetypes.guess_type(file.name or "")[0] or ""
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(name, "inline")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Referrer-Policy"] = "no-referrer"
    return response


def _stored_extension(file: FieldFile) -> str:
    name = file.name or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else "bin"


@login_required
@require_GET
def photo(request: HttpRequest, application: int) -> FileResponse:
    app = _visible_application(request, application)
    name = f"photo-{app.pk}.{_stored_extension(app.photo)}"
    response = _file_response(app.photo, name)
    audit.record("accreditation.photo_viewed", request=request, obj=app, event_slug=app.event.slug)
    return response


@login_required
@require_GET
def supporting_document(request: HttpRequest, application: int) -> FileResponse:
    app = _visible_application(request, application)
    name = app.supporting_document_name or f"document-{app.pk}.{_stored_extension(app.supporting_document)}"
    response = _file_response(app.supporting_document, name)
    audit.record("accreditation.document_viewed", request=request, obj=app, event_slug=app.event.slug)
    return response


@login_required
@require_GET
def delegation_document(request: HttpRequest, document: int) -> FileResponse:
    doc = DelegationDocument.objects.select_related("delegation__event").filter(pk=document).first()
    if doc is None or not may_see_delegation_document(request.user, doc):
        raise Http404("No such file.")
    name = doc.original_name or f"{doc.kind or 'document'}-{doc.pk}.{_stored_extension(doc.file)}"
    response = _file_response(doc.file, name, doc.content_type)
    audit.record(
        "accreditation.delegation_document_viewed",
        request=request,
        obj=doc,
        event_slug=doc.delegation.event.slug,
        delegation=doc.delegation_id,
    )
    return response
