"""Signals of the programme, sent by its services once their transaction commits.

- ``programme_published``: a new ``ProgrammeVersion`` was published. Arguments: ``event``,
  ``version`` (the ``ProgrammeVersion``), ``actor``. Apps above the programme (hybrid access,
  notifications to speakers) react to it without the programme importing them.
"""

from django.dispatch import Signal

programme_published = Signal()
