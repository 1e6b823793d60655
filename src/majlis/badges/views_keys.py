"""The event's badge signing keys, under /<lang>/<event>/manage/badges/keys/ (``badges.manage_keys``).

The current key and the retired and withdrawn ones, each with its key id (what a gate shows) and
dates. Rotating starts signing with a new key (badges already printed keep working); withdrawing is
for a key that may have leaked: every key so far stops verifying and every issued badge is re-issued
(``services.rotate_key``). Private keys are never shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from majlis.core.forms import add_service_errors
from majlis.events.access import event_view
from majlis.events.models import Event

from . import services
from .forms import RotateKeyForm, WithdrawKeyForm
from .models import Badge, SigningKey
from .views_desk import desk_url

ROTATE = "rotate"
WITHDRAW = "withdraw"


@require_http_methods(["GET", "POST"])
@never_cache
@event_view("badges.manage_keys")
def keys(request: HttpRequest, event_obj: Event) -> HttpResponse:
    event = event_obj
    rotate_form = RotateKeyForm(prefix=ROTATE)
    withdraw_form = WithdrawKeyForm(prefix=WITHDRAW)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        form: RotateKeyForm | WithdrawKeyForm
        if action == WITHDRAW:
            form = withdraw_form = WithdrawKeyForm(request.POST, prefix=WITHDRAW)
        else:
            form = rotate_form = RotateKeyForm(request.POST, prefix=ROTATE)
        if form.is_valid():
            try:
                key = services.rotate_key(
                    event,
                    actor=request.user,
                    request=request,
                    withdraw=action == WITHDRAW,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if action == WITHDRAW:
                    message = _(
                        "Every earlier key is withdrawn and the badges are re-issued under key %(key)s: "
                        "print them again and exchange the cards at the desk."
                    )
                else:
                    message = _("New badges are now signed with key %(key)s; the printed badges keep working.")
                messages.success(request, message % {"key": key.key_id_hex})
                return redirect(desk_url("keys", event))
        status = 400
    context = {
        "event": event,
        "section": "manage",
        "desk_section": "keys",
        "keys": list(SigningKey.objects.filter(event=event).order_by("-created_at", "-pk")),
        "issued": Badge.objects.filter(event=event, status=Badge.Status.ISSUED).count(),
        "rotate_form": rotate_form,
        "withdraw_form": withdraw_form,
    }
    return render(request, "badges/manage/keys.html", context, status=status)
