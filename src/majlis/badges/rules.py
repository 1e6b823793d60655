"""Badge capabilities, granted by event roles (``events.rules.ROLE_CAPABILITIES``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from majlis.events.rules import declare_event_capability

declare_event_capability("badges.issue", _("print, re-issue, revoke and hand over badges"))
declare_event_capability(
    "badges.manage_keys", _("rotate the keys that sign the badges, and withdraw a key that may have leaked")
)
