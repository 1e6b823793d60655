"""The audit log: every state change and every access to personal data writes one entry.

The log is append-only (``AuditEntry`` refuses changes and deletions) and tamper-evident: once the
transaction that wrote entries commits, ``seal`` chains them — each gets the next position and an
HMAC (a digest key of ``core.crypto``, whose id is stored) over its content and the previous entry's
hash. ``verify`` (``majlis verify-audit``) recomputes the chain and names the first entry that was
changed, removed or reordered. Sealing after commit, not at insert, keeps audited transactions from
serialising on the log; the scheduler seals anything a failed hook left behind.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from . import crypto
from .models import AuditEntry
from .throttle import client_address

logger = logging.getLogger(__name__)

CHAIN_PURPOSE = "audit-chain"
REPR_PURPOSE = "audit-object"
SEAL_BATCH = 500
# An advisory lock number of PostgreSQL for "one sealer at a time" (any constant unique to Majlis).
SEAL_LOCK = 0x6D616A6C6973


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's real address: behind a trusted proxy (MAJLIS_TRUSTED_PROXIES), not the proxy's."""
    return client_address(request)


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    event_slug: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
    client: str | None = None,
    on_behalf_of: str = "",
    **data: Any,
) -> AuditEntry:
    """Write one entry. ``client`` is the client's address when there is no request (a task
    acting on behalf of a request passes the address the request came from).

    ``on_behalf_of`` names who the actor acted for (``"accreditation.delegation:12"``: a person
    acting for their delegation); it is kept in the entry's data, so the hash chain covers it. Core
    knows no conference: to it this is only a string."""
    if on_behalf_of:
        data["on_behalf_of"] = on_behalf_of
    if actor is None and request is not None:
        actor = request.user
    user = actor if getattr(actor, "is_authenticated", False) else None
    object_repr = str(obj)[:300] if obj is not None else ""
    entry = AuditEntry.objects.create(
        actor=user,
        actor_label=(user.get_username() if user else str(actor or "system"))[:200],
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=object_repr,
        repr_digest=crypto.digest(REPR_PURPOSE, object_repr),
        event_slug=event_slug,
        reason=reason,
        data=data,
        ip_address=client_ip(request) if request is not None else (client or None),
    )
    _seal_after_commit()
    return entry


def _seal_after_commit() -> None:
    """Seal once the current transaction commits (at once outside one); one hook per transaction."""
    pending = getattr(connection, "run_on_commit", None) or []
    if any(hook[1] is _seal_quietly for hook in pending):
        return
    transaction.on_commit(_seal_quietly)


def _seal_quietly() -> None:
    # Sealing must never fail the request whose work just committed: the scheduler seals later.
    try:
        seal()
    except DatabaseError:
        logger.warning("Sealing the audit log failed; the scheduled job will seal the entries.", exc_info=True)


def canonical(entry: AuditEntry, previous_hash: str) -> str:
    """The text an entry's hash covers: everything it records but the actor's user id (which a deleted
    account clears) and the object's name (covered through ``repr_digest``, so that it can be redacted)."""
    at = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    content = [
        entry.chain_position,
        previous_hash,
        at,
        entry.actor_label,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.repr_digest,
        entry.event_slug,
        entry.reason,
        entry.data,
        entry.ip_address or "",
    ]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])


def _head() -> tuple[int, str]:
    last = AuditEntry.objects.filter(chain_position__isnull=False).order_by("-chain_position").first()
    return (last.chain_position or 0, last.entry_hash) if last is not None else (0, "")


def seal(*, batch: int = SEAL_BATCH) -> int:
    """Chain every committed entry not chained yet, in the order they were written; returns how many.

    One sealer at a time: an advisory lock on PostgreSQL; on SQLite the single writer, and the unique
    position, make a concurrent sealer fail harmlessly (the next run seals what it left).
    """
    sealed = 0
    key_id = crypto.current_digest_key_id()
    while True:
        try:
            with transaction.atomic():
                _lock_chain()
                position, previous = _head()
                pending = list(AuditEntry.objects.filter(chain_position__isnull=True).order_by("id")[:batch])
                for entry in pending:
                    position += 1
                    entry.chain_position = position
                    entry.chain_key_id = key_id
                    entry.entry_hash = crypto.digest_with(key_id, CHAIN_PURPOSE, canonical(entry, previous))
                    previous = entry.entry_hash
                AuditEntry.objects.bulk_update(pending, ["chain_position", "chain_key_id", "entry_hash"])
        except IntegrityError:
            return sealed  # another sealer took these positions first
        sealed += len(pending)
        if len(pending) < batch:
            return sealed


def redact(entries: models.QuerySet[AuditEntry], replacement: str) -> int:
    """Replace the object's name in these entries (a purge of personal data); the chain stays intact
    because it covers the name's digest, and ``redacted_at`` shows that the name was removed."""
    return entries.update(object_repr=replacement[:300], redacted_at=timezone.now())


@dataclass
class Verification:
    sealed: int = 0
    unsealed: int = 0
    oldest_unsealed: datetime | None = None
    head_position: int = 0
    head_hash: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _sealed_entries() -> Iterator[AuditEntry]:
    last = 0
    while True:
        chunk = list(AuditEntry.objects.filter(chain_position__gt=last).order_by("chain_position")[:SEAL_BATCH])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].chain_position or last


def verify(*, max_problems: int = 20) -> Verification:
    """Recompute the whole chain; every problem found is described (up to ``max_problems``)."""
    report = Verification()
    expected_position, previous = 1, ""
    for entry in _sealed_entries():
        position = entry.chain_position or 0
        if position != expected_position:
            report.problems.append(f"Entries at positions {expected_position} to {position - 1} are missing (removed).")
        try:
            expected = crypto.digest_with(entry.chain_key_id, CHAIN_PURPOSE, canonical(entry, previous))
        except LookupError:
            report.problems.append(
                f"Entry {position} (id {entry.pk}) was sealed with digest key {entry.chain_key_id!r}, "
                "which is no longer configured."
            )
            expected = entry.entry_hash
        if expected != entry.entry_hash:
            report.problems.append(
                f"Entry {position} (id {entry.pk}, {entry.action}) does not match its seal: it was changed, "
                "or an entry before it was removed or changed."
            )
        if entry.redacted_at is None and entry.repr_digest:
            key_id = crypto.digest_key_id(entry.repr_digest)
            try:
                name_matches = entry.repr_digest.endswith(crypto.digest_with(key_id, REPR_PURPOSE, entry.object_repr))
            except LookupError:
                name_matches = True  # that key is gone; the chain itself was checked above
            if not name_matches:
                report.problems.append(
                    f"Entry {position} (id {entry.pk}): the object's name was changed without a recorded redaction."
                )
        report.sealed += 1
        report.head_position, report.head_hash = position, entry.entry_hash
        previous, expected_position = entry.entry_hash, position + 1
        if len(report.problems) >= max_problems:
            break
    unsealed = AuditEntry.objects.filter(chain_position__isnull=True)
    report.unsealed = unsealed.count()
    first = unsealed.order_by("at").first()
    report.oldest_unsealed = first.at if first is not None else None
    return report


def seal_job(*, now: datetime) -> str:
    """The scheduler's fallback: seal whatever a failed after-commit hook left."""
    return f"{seal()} audit entr(y/ies) sealed"


UNSEALED_GRACE = timedelta(minutes=5)
