"""Signals the programme sends, once their transaction commits, so that the apps above it react
without being imported here.

- ``programme_published``: a new ``ProgrammeVersion`` was published. Arguments: ``event``,
  ``version`` (the ``ProgrammeVersion``), ``actor``. Apps above the programme (hybrid access,
  notifications to speakers) react to it.
- ``session_access_changed`` (sender: the Session class; ``session``, ``actor``, ``request``): who
  may attend a session changed; accreditation releases the seats of people the new rule leaves out.
"""

from __future__ import annotations

from django.dispatch import Signal

programme_published = Signal()
session_access_changed = Signal()
