"""``majlis rotate-data-keys``: re-encrypt every encrypted column with the current (first) key, and
recompute every registered digest column (``crypto.register_digest_column``) that another key made.

Rotation: put a new key first in ``MAJLIS_DATA_KEYS`` or ``MAJLIS_DIGEST_KEYS`` (keeping the old ones
after it), restart, run this command, then remove the old keys. Running it again is harmless. Values are rewritten in
batches, each under row locks so that a concurrent change is never overwritten with an old value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from majlis.core import crypto

ENCRYPTED_SUFFIX = "_encrypted"


def encrypted_columns() -> list[tuple[type[models.Model], str]]:
    """Every ``BinaryField`` named ``*_encrypted`` in the project's models."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.BinaryField) and field.name.endswith(ENCRYPTED_SUFFIX)
    ]


def rewrite_in_batches(
    query: models.QuerySet[Any],
    fields: list[str],
    rewrite: Callable[[Any], None],
    batch_size: int,
    *,
    reads: tuple[str, ...] = (),
) -> tuple[int, list[Any]]:
    """Rewrite ``fields`` of every row of ``query`` with ``rewrite(row)`` (which may also read ``reads``),
    a batch at a time under row locks (a concurrent change is never overwritten with an old value).
    Returns the number of rows rewritten and the keys of those that could not be decrypted (left as
    they are)."""
    rewritten = 0
    unreadable: list[Any] = []
    last_pk: Any = None
    while True:
        with transaction.atomic():
            batch = query.order_by("pk")
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            rows = list(batch.select_for_update().only("pk", *fields, *reads)[:batch_size])
            if not rows:
                break
            changed = []
            for row in rows:
                try:
                    rewrite(row)
                except crypto.DecryptionError:
                    unreadable.append(row.pk)
                    continue
                changed.append(row)
            query.model._default_manager.bulk_update(changed, fields)
            rewritten += len(changed)
            last_pk = rows[-1].pk
    return rewritten, unreadable


def rotate_column(model: type[models.Model], field: str, batch_size: int) -> tuple[int, list[Any]]:
    """Re-encrypt one column; returns the number of values rewritten and the keys of unreadable rows."""

    def rotate(row: Any) -> None:
        setattr(row, field, crypto.rotate(getattr(row, field)))

    query = model._default_manager.filter(**{f"{field}__isnull": False})
    return rewrite_in_batches(query, [field], rotate, batch_size)


def redigest_column(column: crypto.DigestColumn, batch_size: int) -> tuple[int, list[Any]]:
    """Recompute the digests of one column not made with the current digest key."""
    model = apps.get_model(column.model_label)
    current = crypto.current_digest_key_id() + crypto.DIGEST_SEPARATOR

    def redigest(row: Any) -> None:
        value = crypto.decrypt(getattr(row, column.encrypted_field))
        setattr(row, column.digest_field, crypto.digest(column.purpose, value))

    query = (
        model._default_manager.exclude(**{column.digest_field: ""})
        .exclude(**{f"{column.digest_field}__startswith": current})
        .filter(**{f"{column.encrypted_field}__isnull": False})
    )
    return rewrite_in_batches(query, [column.digest_field], redigest, batch_size, reads=(column.encrypted_field,))


class Command(BaseCommand):
    help = (
        "Re-encrypt all encrypted personal data with the first key of MAJLIS_DATA_KEYS and recompute "
        "digests with the first key of MAJLIS_DIGEST_KEYS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        crypto.reset_keys_cache()
        failures = 0
        for model, field in encrypted_columns():
            rotated, unreadable = rotate_column(model, field, max(1, options["batch_size"]))
            self.stdout.write(f"{model._meta.label}.{field}: {rotated} value(s) re-encrypted with the current key.")
            if unreadable:
                failures += len(unreadable)
                shown = ", ".join(str(pk) for pk in unreadable[:20])
                self.stderr.write(
                    f"{model._meta.label}.{field}: {len(unreadable)} value(s) cannot be decrypted with any "
                    f"configured key (ids {shown}{', …' if len(unreadable) > 20 else ''}); they were left as they are."
                )
        for column in crypto.digest_columns():
            recomputed, unreadable = redigest_column(column, max(1, options["batch_size"]))
            self.stdout.write(
                f"{column.model_label}.{column.digest_field}: {recomputed} digest(s) recomputed with the current key."
            )
            failures += len(unreadable)
        if failures:
            raise CommandError(
                f"{failures} value(s) could not be decrypted: keep the old keys until they are resolved."
            )
