"""An individual registers on the public form: account, invitation code, application and submission at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from majlis.events.models import Event

from .. import capacity
from ..models import Application, InvitationCode
from ._common import user_for_email
from .applications import create_application
from .invitation_codes import redeem_invitation_code
from .transitions import submit_application


@transaction.atomic
def register_and_submit(
    event: Event,
    *,
    data: dict[str, Any],
    user: Any = None,
    invitation: InvitationCode | None = None,
    request: Any = None,
) -> Application:
    """Create and submit an individual's application within the registration dates, in one transaction.

    The owner is ``user`` (signed in) or the account of the e-mail address, made if new (they log in by
    e-mail link); an invitation code counts one use. Any refusal (a ValidationError by field) undoes it all:
    no account, no use of the code, no application.
    """
    category = data.get("category")
    if category is not None and not category.needs_approval:
        # The submission below takes a seat: the event's lock first, as capacity.py orders the locks.
        capacity.lock_event(event)
    owner = user or user_for_email(data["email"])
    if invitation is not None:
        redeem_invitation_code(invitation, actor=owner, request=request)
    application = create_application(event, data=data, actor=owner, user=owner, request=request, self_registration=True)
    submit_application(application, actor=owner, request=request, self_registration=True)
    return application
