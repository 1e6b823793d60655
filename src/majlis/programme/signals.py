"""Signals the programme sends so that the apps above it react without being imported here.

``session_access_changed`` (sender: Session class; ``session``, ``actor``, ``request``): sent once the
transaction that changed who may attend a session has committed; accreditation releases the seats of
people the new rule leaves out.
"""

from __future__ import annotations

from django.dispatch import Signal

session_access_changed = Signal()
