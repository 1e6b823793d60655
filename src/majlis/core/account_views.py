from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from majlis.core.permissions import login_required


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    roles = request.user.event_roles.select_related("event", "organisation").order_by(
        "-event__start_date", "event_id", "role"
    )
    from majlis.accreditation.models import Delegation

    delegations = Delegation.objects.filter(focal_point=request.user).select_related("event", "organisation")
    return render(request, "core/account_home.html", {"roles": roles, "delegations": delegations})
