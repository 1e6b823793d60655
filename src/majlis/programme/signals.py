"""Signals of the programme app, for the layers above it (accreditation holds the seats of sessions).

``session_deleting`` is sent by ``services.delete_session`` inside its transaction, with the locked
``session``, the ``actor`` and the ``request``, before the row is deleted. A receiver that raises a
``ValidationError`` refuses the deletion (accreditation does while people hold or wait for seats).
Receivers only check: the signal is also sent to ask whether a deletion would be refused
(``services.deletion_refusal``, which the back office uses to offer deletion or not).
"""

from django.dispatch import Signal

session_deleting = Signal()
