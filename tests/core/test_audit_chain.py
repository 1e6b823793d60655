"""The audit log is append-only and tamper-evident: a hash chain sealed after commit, checked by
``majlis verify-audit``, surviving purges of personal data, account deletions and key rotation."""

import base64
import io
import secrets
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from majlis.core import audit, crypto
from majlis.core.models import AuditEntry, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def write(n: int, **extra) -> list[AuditEntry]:
    return [audit.record(f"test.action_{i}", actor="tester", reason=f"reason {i}", n=i, **extra) for i in range(n)]


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", AuditEntry._meta.db_table), params)


def verify_command() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue() + err.getvalue() + str(error)
    return 0, out.getvalue() + err.getvalue()


def test_entries_are_sealed_when_their_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        write(3)
    assert len(hooks) == 1  # one sealing hook per transaction, however many entries
    entries = list(AuditEntry.objects.order_by("chain_position"))
    assert [e.chain_position for e in entries] == [1, 2, 3]
    assert all(len(e.entry_hash) == 64 and e.chain_key_id == crypto.current_digest_key_id() for e in entries)
    assert audit.verify().intact
    status, output = verify_command()
    assert status == 0 and "intact: 3 sealed" in output


def test_a_rolled_back_transaction_leaves_nothing_to_seal(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        write(1)
    try:
        with transaction.atomic():
            write(2)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert audit.seal() == 0
    assert AuditEntry.objects.count() == 1


def test_changing_an_entry_in_the_database_is_detected():
    entries = write(4)
    audit.seal()
    raw("UPDATE {table} SET reason = %s WHERE id = %s", ["a quieter reason", entries[1].pk])
    report = audit.verify()
    assert not report.intact
    assert "Entry 2 " in report.problems[0] and "does not match its seal" in report.problems[0]
    status, output = verify_command()
    assert status == 1 and "NOT intact" in output and "Entry 2 " in output


def test_removing_an_entry_is_detected():
    entries = write(4)
    audit.seal()
    raw("DELETE FROM {table} WHERE id = %s", [entries[2].pk])
    problems = audit.verify().problems
    assert any("positions 3 to 3 are missing" in problem for problem in problems)


def test_removing_the_last_entries_is_visible_in_the_head():
    write(3)
    audit.seal()
    head = audit.verify()
    assert (head.head_position, head.sealed) == (3, 3)


def test_renaming_an_object_without_a_redaction_is_detected_and_a_redaction_is_not():
    entries = write(2)
    audit.seal()
    raw("UPDATE {table} SET object_repr = %s WHERE id = %s", ["someone else", entries[0].pk])
    assert any("without a recorded redaction" in p for p in audit.verify().problems)
    audit.redact(AuditEntry.objects.filter(pk=entries[0].pk), "#1 (personal data removed)")
    assert audit.verify().intact


def test_the_orm_refuses_to_change_or_delete_entries():
    (entry,) = write(1)
    entry.reason = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.update(action="nothing.happened")
    assert AuditEntry.objects.get().reason == "reason 0"


def test_deleting_the_actors_account_keeps_the_chain_intact():
    user = get_user_model().objects.create_user("officer", "officer@example.org", "x")
    audit.record("test.done", actor=user)
    audit.seal()
    user.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor_id is None and entry.actor_label == "officer"
    assert audit.verify().intact


def test_entries_sealed_under_an_earlier_digest_key_verify_after_rotation(monkeypatch):
    first = f"a1:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"
    second = f"a2:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"
    monkeypatch.setenv("MAJLIS_DIGEST_KEYS", first)
    crypto.reset_keys_cache()
    try:
        write(2)
        audit.seal()
        monkeypatch.setenv("MAJLIS_DIGEST_KEYS", f"{second},{first}")
        crypto.reset_keys_cache()
        write(2)
        audit.seal()
        keys = list(AuditEntry.objects.order_by("chain_position").values_list("chain_key_id", flat=True))
        assert keys == ["a1", "a1", "a2", "a2"]
        assert audit.verify().intact
        monkeypatch.setenv("MAJLIS_DIGEST_KEYS", second)  # the old key was dropped too early
        crypto.reset_keys_cache()
        assert any("no longer configured" in p for p in audit.verify().problems)
    finally:
        monkeypatch.undo()
        crypto.reset_keys_cache()


def test_unsealed_entries_are_reported_and_sealed_by_the_job():
    write(2)
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    assert "2 entr(y/ies) not sealed yet" in err.getvalue()
    assert audit.seal_job(now=None) == "2 audit entr(y/ies) sealed"
    assert audit.verify().unsealed == 0


def test_purging_personal_data_redacts_names_and_keeps_the_chain():
    from majlis.accreditation.personal_data import purge_application
    from majlis.accreditation.services import passport_number
    from tests.accreditation.personal_data_helpers import application
    from tests.factories import make_event

    app = application(make_event(), passport="FA1234567")
    passport_number(app, actor="security officer")
    audit.seal()
    assert AuditEntry.objects.filter(object_repr__icontains="karimova").exists()
    purge_application(app, reason="retention over", now=timezone.now())
    audit.seal()
    assert not AuditEntry.objects.filter(object_repr__icontains="karimova").exists()
    assert AuditEntry.objects.filter(redacted_at__isnull=False).count() >= 2
    assert audit.verify().intact


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_concurrent_writers_and_sealers_give_one_gapless_chain(on_postgresql):
    writers, per_writer = 6, 15
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            for n in range(per_writer):
                with transaction.atomic():
                    audit.record("test.concurrent", actor=f"writer {i}", n=n)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    audit.seal()
    positions = list(AuditEntry.objects.order_by("chain_position").values_list("chain_position", flat=True))
    assert positions == list(range(1, writers * per_writer + 1))
    assert audit.verify().intact
