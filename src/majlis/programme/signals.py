"""Signals the programme sends so that the apps above it react without being imported here.

- ``programme_published`` (after commit): a new ``ProgrammeVersion`` was published. Arguments:
  ``event``, ``version`` (the ``ProgrammeVersion``), ``actor``. Apps above the programme (hybrid
  access, notifications to speakers) react to it.
- ``session_access_changed`` (after commit; sender: the Session class; ``session``, ``actor``,
  ``request``): who may attend a session changed; accreditation releases the seats of people the new
  rule leaves out.
- ``session_capacity_grew`` (after commit; sender: the Session class; ``session``): a session has
  more room; accreditation moves its waitlist up and tells the people promoted.
- ``session_deleting`` is sent by ``services.delete_session`` inside its transaction, with the locked
  ``session``, the ``actor`` and the ``request``, before the row is deleted. A receiver that raises a
  ``ValidationError`` refuses the deletion (accreditation does while people hold or wait for seats).
  Receivers only check: the signal is also sent to ask whether a deletion would be refused
  (``services.deletion_refusal``, which the back office uses to offer deletion or not).
"""

from __future__ import annotations

from django.dispatch import Signal

programme_published = Signal()
session_access_changed = Signal()
session_capacity_grew = Signal()
session_deleting = Signal()
