"""Badges follow accreditation; the QR token is signed, compact and refused precisely when wrong."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from majlis.accreditation.models import Application, Category, Vetting
from majlis.accreditation.services import approve_application, update_application, withdraw_application
from majlis.accreditation.services.delegation_tools import set_vetting_status
from majlis.badges import services, tokens
from majlis.badges.models import Badge, RevokeReason
from majlis.badges.queries import face_for, revoked_badge_ids
from majlis.badges.verification import verify
from majlis.events.models import EventRole
from tests.factories import make_accreditation_event, make_application, make_role, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def event():
    # Badges are valid from three days before the first day: an event that opens tomorrow.
    today = timezone.localdate()
    return make_accreditation_event(
        slug="tashkent-test", start_date=today + timedelta(days=1), end_date=today + timedelta(days=2)
    )


@pytest.fixture
def officer(event):
    user = make_user(username="officer")
    make_role(event, EventRole.Role.ACCREDITATION_OFFICER, user)
    return user


def approved(event, officer, **kwargs):
    application = make_application(event, status=Application.Status.SUBMITTED, **kwargs)
    approve_application(application, actor=officer)
    return application


def test_approval_issues_one_badge_with_a_valid_token(event, officer):
    application = approved(event, officer, name_native="Жасур Каримов")
    badge = Badge.objects.get(application=application)
    assert badge.status == Badge.Status.ISSUED and badge.number == "0001"
    text = services.token_for(badge)
    assert len(text) == tokens.TEXT_LENGTH
    result = verify(event, text)
    assert result.ok and result.badge == badge
    face = face_for(badge, "ru")
    assert face.qr_text == text and face.name_native == "Жасур Каримов"
    # No personal data in the code: only ids, dates and the signature.
    raw = base64.urlsafe_b64decode(text + "=")
    assert application.family_name.encode() not in raw


def test_online_and_pending_participants_have_no_badge(event, officer):
    application = make_application(event, status=Application.Status.SUBMITTED, mode="online")
    approve_application(application, actor=officer)
    assert not Badge.objects.filter(application=application).exists()
    pending = make_application(event, status=Application.Status.SUBMITTED)
    services.sync_badge(pending)
    assert not Badge.objects.filter(application=pending).exists()


def test_one_altered_byte_is_forged_and_a_short_code_truncated(event, officer):
    badge = Badge.objects.get(application=approved(event, officer))
    raw = bytearray(base64.urlsafe_b64decode(services.token_for(badge) + "="))
    for position in (10, 30, 86):  # badge id, signature start, signature end
        altered = bytearray(raw)
        altered[position] ^= 0x01
        text = base64.urlsafe_b64encode(bytes(altered)).rstrip(b"=").decode()
        assert verify(event, text).refusal == tokens.Refusal.FORGED
    assert verify(event, services.token_for(badge)[:-8]).refusal == tokens.Refusal.TRUNCATED
    assert verify(event, "https://example.org/").refusal == tokens.Refusal.MALFORMED


def test_withdrawal_revokes_and_the_revocation_list_names_the_badge(event, officer):
    application = approved(event, officer)
    badge = Badge.objects.get(application=application)
    text = services.token_for(badge)
    withdraw_application(application, actor=officer, reason="Left the delegation")
    badge.refresh_from_db()
    assert badge.status == Badge.Status.REVOKED and badge.revoke_reason == RevokeReason.NOT_ACCREDITED
    assert verify(event, text).refusal == tokens.Refusal.REVOKED
    assert revoked_badge_ids(event.pk) == [badge.pk]


def test_category_change_reissues_under_the_same_number(event, officer):
    application = approved(event, officer)
    first = Badge.objects.get(application=application)
    old_text = services.token_for(first)
    press = Category.objects.get(event=event, code="media")
    application.category = press
    application.save(update_fields=["category"])
    services.sync_badge(application, actor=officer)
    first.refresh_from_db()
    second = Badge.objects.get(application=application, status=Badge.Status.ISSUED)
    assert first.revoke_reason == RevokeReason.CATEGORY_CHANGED
    assert (second.serial, second.revision, second.number) == (first.serial, 2, "0001-2")
    assert verify(event, old_text).refusal == tokens.Refusal.SUPERSEDED
    assert verify(event, services.token_for(second)).ok


def test_edited_name_sends_back_to_review_and_revokes(event, officer):
    application = approved(event, officer)
    update_application(application, data={"family_name": "Renamed"}, actor=officer)
    assert not Badge.objects.filter(application=application, status=Badge.Status.ISSUED).exists()


def test_refused_vetting_revokes(event, officer):
    application = approved(event, officer)
    vetter = make_user(username="vetter")
    make_role(event, EventRole.Role.SECURITY_OFFICER, vetter)
    set_vetting_status(application, status=Vetting.Status.REFUSED, note="Watch list", actor=vetter)
    badge = Badge.objects.get(application=application)
    assert badge.revoke_reason == RevokeReason.VETTING_REFUSED


def test_lost_badge_is_reissued_and_the_old_one_refused(event, officer):
    badge = Badge.objects.get(application=approved(event, officer))
    old_text = services.token_for(badge)
    new = services.reissue_lost(badge, actor=officer, note="Lost at the hotel")
    assert verify(event, old_text).refusal == tokens.Refusal.SUPERSEDED
    assert verify(event, services.token_for(new)).ok and new.revision == 2


def test_other_events_badge_and_unknown_key(event, officer):
    badge = Badge.objects.get(application=approved(event, officer))
    other = make_accreditation_event(slug="other-event", start_date=event.start_date, end_date=event.end_date)
    assert verify(other, services.token_for(badge)).refusal == tokens.Refusal.OTHER_EVENT
    private, public = tokens.new_key_pair()
    claims = tokens.Claims(tokens.key_id_for(public), event.pk, badge.pk, 1, 0, 2**31)
    assert verify(event, tokens.sign(claims, private)).refusal == tokens.Refusal.UNKNOWN_KEY


def test_expired_and_not_yet_valid(event, officer):
    badge = Badge.objects.get(application=approved(event, officer))
    text = services.token_for(badge)
    assert verify(event, text, at=badge.valid_until + timedelta(seconds=1)).refusal == tokens.Refusal.EXPIRED
    assert verify(event, text, at=badge.valid_from - timedelta(seconds=1)).refusal == tokens.Refusal.NOT_YET_VALID


def test_rotation_keeps_old_badges_withdrawal_reissues_them(event, officer):
    badge = Badge.objects.get(application=approved(event, officer))
    text = services.token_for(badge)
    services.rotate_key(event, actor=officer)
    assert verify(event, text).ok
    with pytest.raises(Exception, match="Say why"):
        services.rotate_key(event, actor=officer, withdraw=True)
    new_key = services.rotate_key(event, actor=officer, withdraw=True, reason="Laptop stolen")
    assert verify(event, text).refusal == tokens.Refusal.KEY_WITHDRAWN
    current = Badge.objects.get(application=badge.application, status=Badge.Status.ISSUED)
    assert current.key == new_key and verify(event, services.token_for(current)).ok
    assert [key.key_id for key in services.public_keys(event)] == [new_key.key_id]


def test_private_key_is_encrypted_at_rest(event, officer):
    badge = Badge.objects.get(application=approved(event, officer))
    key = badge.key
    assert len(bytes(key.public_key)) == 32
    assert bytes(key.private_key_encrypted).startswith(b"gAAAA")  # a Fernet token, not the raw key


def test_collected_needs_a_document_and_happens_once(event, officer):
    badge = Badge.objects.get(application=approved(event, officer))
    with pytest.raises(Exception, match="identity document"):
        services.mark_collected(badge, actor=officer, document="")
    services.mark_collected(badge, actor=officer, document="passport")
    with pytest.raises(Exception, match="already handed over"):
        services.mark_collected(badge, actor=officer, document="passport")
    badge.refresh_from_db()
    assert badge.collected_by == officer and badge.collected_at <= timezone.now()


def test_rotate_data_keys_re_encrypts_the_signing_key(event, officer, monkeypatch):
    import io

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from majlis.badges.models import SigningKey
    from majlis.core import crypto

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("MAJLIS_DATA_KEYS", old)
    crypto.reset_keys_cache()
    try:
        badge = Badge.objects.get(application=approved(event, officer))
        text = services.token_for(badge)
        before = bytes(badge.key.private_key_encrypted)
        monkeypatch.setenv("MAJLIS_DATA_KEYS", f"{new},{old}")
        crypto.reset_keys_cache()
        out = io.StringIO()
        call_command("rotate_data_keys", stdout=out)
        assert "badges.SigningKey.private_key_encrypted: 1 value(s) re-encrypted" in out.getvalue()
        monkeypatch.setenv("MAJLIS_DATA_KEYS", new)  # the old key is gone
        crypto.reset_keys_cache()
        key = SigningKey.objects.get(pk=badge.key_id)
        assert bytes(key.private_key_encrypted) != before
        badge.refresh_from_db()
        assert services.token_for(badge) == text  # same key pair, deterministic signature
    finally:
        monkeypatch.undo()
        crypto.reset_keys_cache()


def test_a_native_name_no_font_covers_is_left_off_the_card(event, officer):
    # Devanagari: no badge font has it; the Latin name is printed, the batch does not stop.
    badge = Badge.objects.get(application=approved(event, officer, name_native="अमित शर्मा"))
    assert face_for(badge).name_native == ""
    assert face_for(badge).name_latin
