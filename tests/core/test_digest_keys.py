"""Digest keys with key ids: duplicate passports are still found across a digest-key rotation,
rotating SECRET_KEY changes nothing, and ``rotate-data-keys`` recomputes every digest."""

import base64
import hashlib
import io

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.test import override_settings

from majlis.accreditation import services
from majlis.accreditation.models import Application
from majlis.core import crypto
from tests.accreditation.personal_data_helpers import application
from tests.factories import make_event


def key(seed: str) -> str:
    # Fixed keys: test ids must be the same in every xdist worker.
    return base64.urlsafe_b64encode(hashlib.sha256(seed.encode()).digest()).decode().rstrip("=")


FIRST = f"d1:{key('first')}"
SECOND = f"d2:{key('second')}"


@pytest.fixture
def digest_keys(monkeypatch):
    def use(*values: str) -> None:
        monkeypatch.setenv("MAJLIS_DIGEST_KEYS", ",".join(values))
        crypto.reset_keys_cache()

    yield use
    monkeypatch.undo()
    crypto.reset_keys_cache()


def test_a_digest_names_its_key_and_depends_on_key_and_purpose(digest_keys):
    digest_keys(FIRST)
    first = crypto.digest("passport", "FA1234567")
    assert first.startswith("d1$") and len(first) == len("d1$") + 64
    assert crypto.digest_key_id(first) == "d1"
    assert crypto.digest("passport", "FA1234567") == first  # deterministic
    assert crypto.digest("audit", "FA1234567") != first
    digest_keys(SECOND, FIRST)
    second = crypto.digest("passport", "FA1234567")
    assert second.startswith("d2$") and second.split("$")[1] != first.split("$")[1]
    assert first in crypto.digest_candidates("passport", "FA1234567")
    assert crypto.digest_with("d1", "passport", "FA1234567") == first.split("$")[1]
    with pytest.raises(LookupError):
        crypto.digest_with("gone", "passport", "FA1234567")


def test_rotating_secret_key_leaves_digests_alone(digest_keys):
    digest_keys(FIRST)
    before = crypto.digest("passport", "FA1234567")
    with override_settings(SECRET_KEY="another-secret-key-" + "x" * 40):
        assert crypto.digest("passport", "FA1234567") == before


@pytest.mark.parametrize(
    "value",
    ["nocolon", "bad id!:" + key("bad"), "d1:" + base64.urlsafe_b64encode(b"short").decode(), f"{FIRST},{FIRST}"],
)
def test_malformed_digest_keys_are_refused(digest_keys, value):
    with pytest.raises(ImproperlyConfigured):
        digest_keys(value)
        crypto.digest("passport", "x")


@pytest.mark.django_db
def test_duplicates_are_found_across_a_digest_key_rotation_and_after_it(digest_keys):
    digest_keys(FIRST)
    event = make_event()
    first = application(event, passport="FA 123-4567")
    assert first.passport_number_digest.startswith("d1$")

    digest_keys(SECOND, FIRST)  # the new key is first; the old digest is still matched
    assert services.find_duplicates(event, passport="fa1234567")
    second = application(event, passport="FB7654321")
    assert second.passport_number_digest.startswith("d2$")
    with pytest.raises(ValidationError) as refused:
        services.update_application(second, data={"passport_number": "FA1234567"}, actor=None)
    assert "passport_number" in refused.value.message_dict

    out = io.StringIO()
    call_command("rotate_data_keys", stdout=out)
    assert "accreditation.Application.passport_number_digest: 1 digest(s) recomputed" in out.getvalue()
    digest_keys(SECOND)  # the old key is dropped
    first.refresh_from_db()
    assert first.passport_number_digest.startswith("d2$")
    assert services.find_duplicates(event, passport="FA1234567")
    assert not services.find_duplicates(event, passport="FC0000000")


@pytest.mark.django_db
def test_legacy_digests_keyed_from_secret_key_are_matched_then_recomputed(digest_keys):
    digest_keys(FIRST)
    event = make_event()
    app = application(event, passport="FA1234567")
    legacy = crypto._legacy_digest("passport", "FA1234567")
    Application.objects.filter(pk=app.pk).update(passport_number_digest=legacy)
    assert services.find_duplicates(event, passport="FA1234567")
    call_command("rotate_data_keys", stdout=io.StringIO())
    app.refresh_from_db()
    assert app.passport_number_digest == crypto.digest("passport", "FA1234567")
