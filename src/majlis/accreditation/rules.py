"""Accreditation's capabilities, granted by event roles (``events.rules.ROLE_CAPABILITIES``).

Passport numbers and security vetting are capabilities of their own so that an event can give them
to its security officers only; delegation-level rights (a focal point acting for a delegation) are
decided by delegation membership, not by these event-wide capabilities.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from majlis.events.rules import declare_event_capability

declare_event_capability("accreditation.view", _("see applications, delegations and their documents"))
declare_event_capability("accreditation.decide", _("approve, wait-list, reject and withdraw accreditations"))
declare_event_capability(
    "accreditation.manage", _("set up accreditation: categories, capacity, invitation codes, desks, settings")
)
declare_event_capability("accreditation.mail", _("send e-mails to participants and focal points"))
declare_event_capability("accreditation.view_passports", _("see and export passport numbers (audited)"))
declare_event_capability("accreditation.vet", _("set the security vetting status of participants"))
