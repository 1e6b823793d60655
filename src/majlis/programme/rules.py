"""The programme's capabilities: who edits the programme, who drafts side events, who sees streams.

Granted by event roles (``events.rules.ROLE_CAPABILITIES``). Accreditation extends
``programme.view_streams`` to approved online participants from its own ``rules.py``, so that the
programme never asks accreditation directly.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from majlis.events.rules import declare_event_capability

declare_event_capability("programme.edit", _("edit the programme, publish it and manage session seats"))
declare_event_capability("programme.draft", _("propose side events for the programme"))
declare_event_capability("programme.view_streams", _("watch the sessions' live streams"))
