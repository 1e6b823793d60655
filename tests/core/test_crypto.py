"""Encryption at rest: authenticated, keyed from the environment, rotatable without losing data."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from majlis.accreditation import services
from majlis.accreditation.models import Application
from majlis.core import crypto
from tests.accreditation.personal_data_helpers import application
from tests.factories import make_event

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def keys(monkeypatch):
    """Set MAJLIS_DATA_KEYS for the rest of the test: ``keys(NEW_KEY, OLD_KEY)``."""

    def use(*values: str) -> None:
        monkeypatch.setenv("MAJLIS_DATA_KEYS", ",".join(values))
        crypto.reset_keys_cache()

    yield use
    monkeypatch.undo()
    crypto.reset_keys_cache()


def stored_passport(pk: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT passport_number_encrypted FROM {Application._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return bytes(cursor.fetchone()[0])


def test_crypto_round_trip(keys):
    keys(OLD_KEY)
    for text in ("FA1234567", "Дилноза Каримова", "张明", ""):
        assert crypto.decrypt(crypto.encrypt(text)) == text
    assert crypto.decrypt(None) == ""


def test_crypto_same_text_encrypts_differently_each_time(keys):
    keys(OLD_KEY)
    assert crypto.encrypt("FA1234567") != crypto.encrypt("FA1234567")
    assert b"FA1234567" not in crypto.encrypt("FA1234567")


def test_crypto_tampered_token_raises(keys):
    keys(OLD_KEY)
    token = bytearray(crypto.encrypt("FA1234567"))
    middle = len(token) // 2
    token[middle] = ord("A") if token[middle] != ord("A") else ord("B")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(bytes(token))
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(b"not a token at all")


def test_crypto_wrong_key_raises(keys):
    keys(OLD_KEY)
    token = crypto.encrypt("FA1234567")
    keys(NEW_KEY)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_crypto_new_first_key_keeps_old_data_readable(keys):
    keys(OLD_KEY)
    old = crypto.encrypt("FA1234567")
    keys(NEW_KEY, OLD_KEY)
    assert crypto.decrypt(old) == "FA1234567"
    new = crypto.encrypt("AB7654321")
    assert Fernet(NEW_KEY.encode()).decrypt(new) == b"AB7654321"  # the first key encrypts
    assert Fernet(NEW_KEY.encode()).decrypt(crypto.rotate(old)) == b"FA1234567"


@pytest.mark.django_db
def test_rotate_data_keys_lets_the_old_key_go(keys):
    keys(OLD_KEY)
    event = make_event()
    applications = [application(event, passport=f"FA{1000000 + i}") for i in range(5)]
    without = application(event)
    before = {a.pk: stored_passport(a.pk) for a in applications}

    keys(NEW_KEY, OLD_KEY)
    out = io.StringIO()
    call_command("rotate_data_keys", "--batch-size", "2", stdout=out)
    assert "accreditation.Application.passport_number_encrypted: 5 value(s) re-encrypted" in out.getvalue()

    keys(NEW_KEY)  # the old key is removed
    for i, app in enumerate(applications):
        assert stored_passport(app.pk) != before[app.pk]
        app.refresh_from_db()
        assert services.passport_number(app, actor=None) == f"FA{1000000 + i}"
    without.refresh_from_db()
    assert without.passport_number_encrypted is None
    # The duplicate check still works: digests do not depend on the data keys.
    assert Application.objects.filter(passport_number_digest=services.passport_digest("FA1000003")).count() == 1


@pytest.mark.django_db
def test_rotate_data_keys_is_idempotent(keys):
    keys(OLD_KEY)
    app = application(make_event(), passport="FA1234567")
    keys(NEW_KEY, OLD_KEY)
    for _ in range(2):
        out = io.StringIO()
        call_command("rotate_data_keys", stdout=out)
        assert "1 value(s) re-encrypted" in out.getvalue()
    keys(NEW_KEY)
    app.refresh_from_db()
    assert crypto.decrypt(app.passport_number_encrypted) == "FA1234567"


@pytest.mark.django_db
def test_rotate_data_keys_reports_unreadable_values_and_leaves_them(keys):
    keys(OLD_KEY)
    readable = application(make_event(), passport="FA1234567")
    unreadable = application(make_event())
    Application.objects.filter(pk=unreadable.pk).update(passport_number_encrypted=Fernet(NEW_KEY).encrypt(b"X"))
    stuck = stored_passport(unreadable.pk)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 value"):
        call_command("rotate_data_keys", stdout=io.StringIO(), stderr=err)
    assert f"ids {unreadable.pk}" in err.getvalue()
    assert stored_passport(unreadable.pk) == stuck
    readable.refresh_from_db()
    assert crypto.decrypt(readable.passport_number_encrypted) == "FA1234567"


def test_crypto_digest_is_stable_and_keyed_by_purpose(keys):
    keys(OLD_KEY)
    first = crypto.digest("passport", "FA1234567")
    keys(NEW_KEY)
    assert crypto.digest("passport", "FA1234567") == first
    assert crypto.digest("passport", "FA1234568") != first
    assert crypto.digest("email", "FA1234567") != first
    assert len(first.split("$")[1]) == 64 and "FA1234567" not in first


def test_crypto_production_without_keys_is_refused(monkeypatch, settings):
    monkeypatch.delenv("MAJLIS_DATA_KEYS", raising=False)
    settings.PRODUCTION = True
    crypto.reset_keys_cache()
    try:
        with pytest.raises(ImproperlyConfigured, match="MAJLIS_DATA_KEYS"):
            crypto.encrypt("FA1234567")
    finally:
        settings.PRODUCTION = False
        crypto.reset_keys_cache()


def test_crypto_invalid_key_is_refused(keys):
    keys("not-a-fernet-key")
    with pytest.raises(ImproperlyConfigured, match="invalid key"):
        crypto.encrypt("FA1234567")
