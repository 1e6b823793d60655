"""E-mail for local use: print each message and keep a copy in the outbox folder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class ConsoleOutboxBackend(ConsoleBackend):
    def write_message(self, message) -> None:  # type: ignore[no-untyped-def]
        super().write_message(message)
        outbox = Path(settings.MAJLIS_OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid4().hex[:8]}.eml"
        (outbox / name).write_bytes(message.message().as_bytes())
