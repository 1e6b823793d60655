"""The accreditation workflow: transitions, audit, duplicates, passports, edits after approval, bulk actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from majlis.accreditation import services
from majlis.accreditation.models import Application, Category, EventCapacity, PrivacyNotice
from majlis.core import crypto
from majlis.core.models import AuditEntry
from tests.factories import make_accreditation_event, make_application, make_event

from .services_helpers import PASSPORT, application_data, category, make_organiser, reviewed, set_capacity

S = Application.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_organiser(event)


def audit_actions(application) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="accreditation.Application", object_id=str(application.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Event setup ---------------------------------------------------------------------------------


def test_ensure_event_setup_creates_default_categories_in_three_languages():
    new_event = make_event()
    capacity = services.ensure_event_setup(new_event)
    assert isinstance(capacity, EventCapacity)
    categories = {c.code: c for c in Category.objects.filter(event=new_event)}
    assert len(categories) == 12
    assert categories["delegate"].required_document == "note_verbale"
    assert categories["organisation"].required_document == "nomination_letter"
    assert categories["media"].required_document == "press_card"
    assert {code for code, c in categories.items() if c.self_registration} == {"expert", "civil-society", "media"}
    assert {code for code, c in categories.items() if not c.public_listing_allowed} == {
        "organiser-staff",
        "interpreter",
        "security-support",
    }
    assert all(c.name_en and c.name_ru and c.name_uz for c in categories.values())
    assert categories["media"].name_ru == "СМИ"
    assert len({c.colour for c in categories.values()}) == 12


def test_ensure_event_setup_is_idempotent(event):
    Category.objects.filter(event=event, code="media").update(colour="#123456")
    services.ensure_event_setup(event)
    assert Category.objects.filter(event=event).count() == 12
    assert Category.objects.get(event=event, code="media").colour == "#123456"
    assert PrivacyNotice.objects.filter(event=event).count() == 1
    assert EventCapacity.objects.filter(event=event).count() == 1


def test_privacy_notice_v1_covers_collection_purpose_access_retention_rights_and_storage(event):
    notice = PrivacyNotice.objects.get(event=event)
    assert notice.version == 1
    assert "Uzbekistan" in notice.text_en and "180 days" in notice.text_en
    for phrase in ("passport number", "download", "deleted", "focal", "public list"):
        assert phrase in notice.text_en
    assert "Узбекистан" in notice.text_ru and "удалить" in notice.text_ru
    assert "Oʻzbekiston" in notice.text_uz and "yuklab olish" in notice.text_uz


# --- Creating ------------------------------------------------------------------------------------


def test_create_application_starts_in_draft_with_an_audit_entry(event, organiser):
    application = services.create_application(event, data=application_data(event), actor=organiser)
    assert application.status == S.DRAFT
    assert application.privacy_notice.version == 1 and application.consented_at
    entry = AuditEntry.objects.get(action="accreditation.created", object_id=str(application.pk))
    assert entry.actor == organiser and entry.event_slug == event.slug


def test_create_application_refuses_a_mode_the_category_does_not_allow(event):
    category(event, "security-support")
    data = application_data(event, category=category(event, "security-support"), mode="online")
    with pytest.raises(ValidationError) as error:
        services.create_application(event, data=data, actor=None)
    assert "mode" in error.value.message_dict


def test_create_application_refuses_a_category_of_another_event(event):
    other = make_event()
    services.ensure_event_setup(other)
    with pytest.raises(ValidationError) as error:
        services.create_application(event, data=application_data(event, category=category(other)), actor=None)
    assert "category" in error.value.message_dict


def test_create_application_refuses_a_passport_expiring_before_the_event_ends(event):
    data = application_data(event, passport_number=PASSPORT, passport_expiry=event.start_date)
    with pytest.raises(ValidationError) as error:
        services.create_application(event, data=data, actor=None)
    assert "passport_expiry" in error.value.message_dict


# --- Duplicates ----------------------------------------------------------------------------------


def test_duplicate_email_is_refused_case_insensitively(event):
    services.create_application(event, data=application_data(event), actor=None)
    data = application_data(event, email="Dilnoza.KARIMOVA@example.org", family_name="Other")
    with pytest.raises(services.DuplicateApplication) as error:
        services.create_application(event, data=data, actor=None)
    assert list(error.value.message_dict) == ["email"]
    assert "already exists" in error.value.message_dict["email"][0]


def test_duplicate_passport_is_refused_without_revealing_the_other_person(event):
    services.create_application(
        event, data=application_data(event, passport_number="ab 123-4567", family_name="Usmonov"), actor=None
    )
    data = application_data(event, email="someone.else@example.org", passport_number=PASSPORT)
    with pytest.raises(services.DuplicateApplication) as error:
        services.create_application(event, data=data, actor=None)
    assert isinstance(error.value, ValidationError)
    text = " ".join(error.value.messages)
    assert "passport" in text
    assert "Usmonov" not in text and "dilnoza" not in text.lower() and PASSPORT not in text


@pytest.mark.parametrize("status", [S.REJECTED, S.CANCELLED, S.WITHDRAWN])
def test_duplicate_check_ignores_closed_applications(event, status):
    make_application(event, email="dilnoza.karimova@example.org", status=status, passport_number=PASSPORT)
    application = services.create_application(event, data=application_data(event, passport_number=PASSPORT), actor=None)
    assert application.pk


def test_duplicate_check_is_per_event(event):
    other = make_event()
    services.ensure_event_setup(other)
    make_application(other, email="dilnoza.karimova@example.org", passport_number=PASSPORT)
    assert services.create_application(event, data=application_data(event, passport_number=PASSPORT), actor=None)


def test_update_to_an_email_already_used_is_refused(event):
    make_application(event, email="taken@example.org")
    application = make_application(event)
    with pytest.raises(services.DuplicateApplication):
        services.update_application(application, data={"email": "TAKEN@example.org"}, actor=None)


# --- Passport numbers ----------------------------------------------------------------------------


def test_passport_number_is_encrypted_and_the_column_never_holds_it(event):
    application = services.create_application(
        event, data=application_data(event, passport_number="ab 1234567"), actor=None
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number_encrypted, passport_number_digest FROM accreditation_application WHERE id = %s",
            [application.pk],
        )
        encrypted, digest = cursor.fetchone()
    assert PASSPORT.encode() not in bytes(encrypted)
    assert PASSPORT not in digest
    assert digest == crypto.digest("passport", PASSPORT)
    assert crypto.decrypt(encrypted) == PASSPORT


def test_passport_number_reading_is_audited(event, organiser):
    application = make_application(event, passport_number=PASSPORT)
    assert services.passport_number(application, actor=organiser) == PASSPORT
    entry = AuditEntry.objects.get(action="accreditation.passport_viewed")
    assert entry.actor == organiser and entry.object_id == str(application.pk)
    assert PASSPORT not in str(entry.data) and PASSPORT not in entry.reason


def test_passport_number_invalid_value_is_refused_without_echoing_it(event):
    application = make_application(event)
    with pytest.raises(ValidationError) as error:
        services.set_passport_number(application, "<script>12")
    assert "<script>" not in " ".join(error.value.messages)
    assert list(error.value.message_dict) == ["passport_number"]


def test_passport_number_never_appears_in_the_audit_log(event, organiser):
    application = services.create_application(event, data=application_data(event, passport_number=PASSPORT), actor=None)
    services.update_application(application, data={"passport_number": "ZX9876543"}, actor=organiser)
    for entry in AuditEntry.objects.all():
        dumped = f"{entry.data} {entry.reason} {entry.object_repr}"
        assert PASSPORT not in dumped and "ZX9876543" not in dumped


# --- Transitions ---------------------------------------------------------------------------------


def test_submit_application_moves_draft_to_submitted(event):
    application = services.create_application(event, data=application_data(event), actor=None)
    services.submit_application(application, actor=None)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.submitted_at


def test_submit_application_without_consent_is_refused(event):
    application = services.create_application(event, data=application_data(event, consent=False), actor=None)
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, actor=None)
    assert "privacy_notice" in error.value.message_dict


def test_submit_application_without_the_required_press_card_is_refused(event):
    data = application_data(event, category=category(event, "media"))
    application = services.create_application(event, data=data, actor=None)
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, actor=None)
    assert "supporting_document" in error.value.message_dict


def test_submit_application_refuses_an_incomplete_draft(event):
    data = application_data(event)
    data.pop("position")
    application = services.create_application(event, data=data, actor=None)
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, actor=None)
    assert "position" in error.value.message_dict


def test_submit_application_without_approval_goes_straight_to_approved(event):
    data = application_data(event, category=category(event, "interpreter"))
    application = services.create_application(event, data=data, actor=None)
    services.submit_application(application, actor=None)
    assert application.status == S.APPROVED
    assert audit_actions(application) == [
        "accreditation.created",
        "accreditation.submitted",
        "accreditation.approved",
    ]


def test_submit_application_without_approval_is_waitlisted_when_full(event):
    set_capacity(event, 0)
    data = application_data(event, category=category(event, "interpreter"))
    application = services.create_application(event, data=data, actor=None)
    services.submit_application(application, actor=None)
    assert application.status == S.WAITLISTED and application.waitlisted_at


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("submit", {S.DRAFT}),
        ("start_review", {S.SUBMITTED}),
        ("approve", {S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED}),
        ("waitlist", {S.SUBMITTED, S.UNDER_REVIEW}),
        ("reject", {S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED, S.APPROVED}),
        ("cancel", {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.WAITLISTED}),
        ("withdraw", {S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.WAITLISTED}),
    ],
)
def test_transition_allowed_only_from_its_states(event, organiser, action, allowed):
    functions = {
        "submit": lambda a: services.submit_application(a, actor=organiser),
        "start_review": lambda a: services.start_review(a, actor=organiser),
        "approve": lambda a: services.approve_application(a, actor=organiser),
        "waitlist": lambda a: services.waitlist_application(a, actor=organiser),
        "reject": lambda a: services.reject_application(a, actor=organiser, reason="Not eligible."),
        "cancel": lambda a: services.cancel_application(a, actor=organiser),
        "withdraw": lambda a: services.withdraw_application(a, actor=organiser, reason="Security advice."),
    }
    notice = PrivacyNotice.objects.get(event=event)
    for status in S.values:
        application = make_application(event, status=status, privacy_notice=notice)
        before = AuditEntry.objects.count()
        if status in allowed:
            functions[action](application)
            application.refresh_from_db()
            assert application.status != status or action == "approve"
            assert AuditEntry.objects.count() > before
        else:
            with pytest.raises(ValidationError) as error:
                functions[action](application)
            assert error.value.code == "transition_not_allowed"
            application.refresh_from_db()
            assert application.status == status
            assert AuditEntry.objects.count() == before


def test_approve_application_records_who_when_and_why(event, organiser):
    application = reviewed(event)
    services.approve_application(application, actor=organiser, reason="Speaker in panel 2.")
    application.refresh_from_db()
    assert application.status == S.APPROVED and application.decided_at
    entry = AuditEntry.objects.get(action="accreditation.approved", object_id=str(application.pk))
    assert entry.actor == organiser and entry.reason == "Speaker in panel 2." and entry.at
    assert entry.data["previous_status"] == S.UNDER_REVIEW


def test_start_review_moves_submitted_to_under_review(event, organiser):
    application = make_application(event, status=S.SUBMITTED)
    services.start_review(application, actor=organiser)
    assert application.status == S.UNDER_REVIEW
    assert audit_actions(application) == ["accreditation.review_started"]


@pytest.mark.parametrize("function", [services.reject_application, services.withdraw_application])
def test_reject_and_withdraw_need_a_reason(event, organiser, function):
    application = reviewed(event)
    with pytest.raises(ValidationError) as error:
        function(application, actor=organiser, reason="  ")
    assert "reason" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_reject_application_keeps_the_reason(event, organiser):
    application = reviewed(event)
    services.reject_application(application, actor=organiser, reason="The category is for experts only.")
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.decision_reason == "The category is for experts only."
    entry = AuditEntry.objects.get(action="accreditation.rejected")
    assert entry.reason == "The category is for experts only."


def test_rejected_applicant_can_apply_again(event, organiser):
    first = services.create_application(event, data=application_data(event, passport_number=PASSPORT), actor=None)
    services.submit_application(first, actor=None)
    services.reject_application(first, actor=organiser, reason="Wrong category.")
    again = services.create_application(event, data=application_data(event, passport_number=PASSPORT), actor=None)
    services.submit_application(again, actor=None)
    assert again.status == S.SUBMITTED


def test_closed_application_cannot_be_edited(event):
    application = make_application(event, status=S.CANCELLED)
    with pytest.raises(ValidationError) as error:
        services.update_application(application, data={"position": "Director"}, actor=None)
    assert error.value.code == "closed"


# --- Editing after approval ----------------------------------------------------------------------


def test_key_data_edit_after_approval_sends_back_to_review(event, organiser):
    application = reviewed(event)
    services.approve_application(application, actor=organiser)
    services.update_application(application, data={"family_name": "Karimova-Usmonova"}, actor=None)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW and application.decided_at is None
    entry = AuditEntry.objects.get(action="accreditation.back_to_review")
    assert entry.data["fields"] == ["family_name"] and entry.data["previous_status"] == S.APPROVED


def test_passport_change_after_approval_sends_back_to_review(event, organiser):
    application = reviewed(event, passport_number=PASSPORT)
    services.approve_application(application, actor=organiser)
    services.update_application(application, data={"passport_number": "ZX9876543"}, actor=None)
    assert application.status == S.UNDER_REVIEW


def test_same_passport_written_differently_is_not_a_change(event, organiser):
    application = reviewed(event, passport_number=PASSPORT)
    services.approve_application(application, actor=organiser)
    services.update_application(application, data={"passport_number": "ab-1234567"}, actor=None)
    assert application.status == S.APPROVED


def test_minor_edit_after_approval_keeps_the_approval(event, organiser):
    application = reviewed(event)
    services.approve_application(application, actor=organiser)
    services.update_application(application, data={"dietary_needs": "Vegetarian", "phone": "+998711234567"}, actor=None)
    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.dietary_needs == "Vegetarian"
    assert AuditEntry.objects.get(action="accreditation.updated").data["fields"] == ["dietary_needs", "phone"]


def test_update_application_refuses_status_in_data(event):
    application = make_application(event)
    with pytest.raises(ValueError):
        services.update_application(application, data={"status": S.APPROVED}, actor=None)


# --- Bulk ----------------------------------------------------------------------------------------


def test_bulk_transition_reports_per_item_errors(event, organiser):
    good = reviewed(event)
    closed = make_application(event, status=S.CANCELLED)
    other = reviewed(event)
    results = services.bulk_transition([good, closed, other], "reject", actor=organiser, reason="Late application.")
    outcome = {application.pk: error for application, error in results}
    assert outcome[good.pk] is None and outcome[other.pk] is None
    assert "cannot be rejected" in outcome[closed.pk]
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[good.pk] == S.REJECTED and statuses[closed.pk] == S.CANCELLED and statuses[other.pk] == S.REJECTED


def test_bulk_transition_approves_in_submission_order_until_full(event, organiser):
    set_capacity(event, 2)
    applications = [reviewed(event) for _ in range(3)]
    results = services.bulk_transition(list(reversed(applications)), "approve", actor=organiser)
    assert [error for _a, error in results] == [None, None, None]
    statuses = [Application.objects.get(pk=a.pk).status for a in applications]
    assert statuses == [S.APPROVED, S.APPROVED, S.WAITLISTED]


def test_bulk_transition_reject_without_reason_is_refused(event, organiser):
    application = reviewed(event)
    with pytest.raises(ValidationError):
        services.bulk_transition([application], "reject", actor=organiser)


def test_bulk_transition_unknown_action_is_refused(event, organiser):
    with pytest.raises(ValueError):
        services.bulk_transition([], "delete", actor=organiser)


# --- Deletion request ----------------------------------------------------------------------------


def test_request_deletion_cancels_and_marks_the_application(event):
    application = reviewed(event)
    services.request_deletion(application, actor=None)
    application.refresh_from_db()
    assert application.status == S.CANCELLED and application.deletion_requested_at
    assert "accreditation.deletion_requested" in audit_actions(application)
