"""E-mail for local use: print each message and keep a copy in the outbox folder."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class ConsoleOutboxBackend(ConsoleBackend):
    def write_message(self, message) -> None:  # type: ignore[no-untyped-def]
        super().write_message(message)
        outbox = Path(settings.MAJLIS_OUTBOX_DIR)
        # The outbox holds live log-in links: only the account running Majlis may read it.
        outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid4().hex[:8]}.eml"
        fd = os.open(outbox / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(message.message().as_bytes())
