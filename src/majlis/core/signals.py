"""Sending a signal once the current transaction commits, so that other apps react to what happened.

Apps define their own signals (``accreditation.signals``, ``programme.signals``); the services send
them with ``send_on_commit`` so that a receiver never sees a change that is later rolled back, and a
change rolled back announces nothing. Receivers run after the commit: one that fails cannot undo the
change and must not break the caller's response, so each failure is logged (with its traceback) and
the other receivers still run.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger("majlis.signals")


def send_on_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send ``signal`` with ``kwargs`` once the current transaction commits (at once outside one)."""

    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error(
                    "Receiver %r of a signal from %r failed",
                    receiver,
                    sender,
                    exc_info=(type(result), result, result.__traceback__),
                )

    transaction.on_commit(send)
