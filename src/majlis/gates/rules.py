"""Venue access capabilities, granted by event roles (``events.rules.ROLE_CAPABILITIES``) and by the
scopes of gate devices' API tokens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from majlis.events.rules import declare_event_capability

declare_event_capability("gates.manage", _("set up zones and gates, and see attendance"))
declare_event_capability("gates.scan", _("scan badges at the gates"))
