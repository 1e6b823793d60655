"""The participant's own data: see what is held, download all of it (JSON), ask for its deletion."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from majlis.core.files import content_disposition
from majlis.core.permissions import AuthenticatedHttpRequest, login_required

from . import personal_data
from .models import Application


class DeletionForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my applications and the data in them will be deleted."),
        required=True,
        error_messages={"required": gettext_lazy("Tick the box to confirm that you want your data deleted.")},
    )


def _applications(request: AuthenticatedHttpRequest) -> list[Application]:
    return list(
        Application.objects.filter(user=request.user)
        .select_related("event", "category")
        .order_by("-event__start_date", "pk")
    )


@login_required
@never_cache
@require_http_methods(["GET"])
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = _applications(request)
    rows = [
        {"application": a, "deletion_date": personal_data.deletion_date(a) if a.deletion_requested_at else None}
        for a in applications
    ]
    return render(request, "accreditation/my_data.html", {"rows": rows})


@login_required
@never_cache
@require_POST
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = personal_data.export_personal_data(request.user, request=request)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"majlis-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition(filename, "attachment")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def request_deletion(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = [a for a in _applications(request) if a.personal_data_purged_at is None]
    form = DeletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        counts = personal_data.request_deletion(request.user, request=request)
        if counts["postponed"]:
            messages.success(
                request,
                _(
                    "Your request is recorded. Data of applications approved for a conference that has not "
                    "ended yet will be deleted the day after it ends; everything else is deleted now."
                ),
            )
        else:
            messages.success(request, _("Your request is recorded and your data has been deleted."))
        return redirect("my-data:home")
    live = [a for a in applications if a.status in Application.Status.live()]
    context = {"form": form, "applications": applications, "live": live}
    return render(request, "accreditation/my_data_delete.html", context, status=400 if form.errors else 200)
