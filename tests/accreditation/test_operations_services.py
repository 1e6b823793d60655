"""Operations that used to live in views and the admin, now services: register-and-submit, invitation codes,
organisations, event status, and programme sessions changed or deleted in the back office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from majlis.accreditation import services
from majlis.accreditation.models import Application, InvitationCode, SessionSeat
from majlis.core.models import AuditEntry
from majlis.events import services as event_services
from majlis.events.models import Event, Organisation
from majlis.programme import services as programme_services
from majlis.programme.models import Session, SessionKind
from tests.factories import make_accreditation_event, make_application, make_event, make_session, make_user

from .applicant_helpers import valid_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    start = timezone.localdate() + timedelta(days=60)
    return make_accreditation_event(start_date=start, end_date=start + timedelta(days=1))


@pytest.fixture
def admin_client(client, settings):
    settings.MAJLIS_REQUIRE_STAFF_2FA = False
    user = make_user(is_staff=True, is_superuser=True, password=None)
    client.force_login(user)
    client.user = user
    return client


def _registration_data(event, **overrides):
    """What the public form hands the service (no files: an online expert needs no photo check here)."""
    data = {
        "category": event.categories.get(code="expert"),
        "mode": "online",
        "family_name": "Karimova",
        "given_names": "Dilnoza",
        "nationality": "UZ",
        "organisation_name": "ISRS",
        "position": "Researcher",
        "email": "dilnoza@example.org",
        "consent": True,
    }
    return data | overrides


# --- Register and submit ---------------------------------------------------------------------------


def test_register_and_submit_makes_the_account_and_submits(event):
    application = services.register_and_submit(event, data=_registration_data(event))
    assert application.status == Application.Status.SUBMITTED
    assert application.user.email == "dilnoza@example.org"
    actions = set(
        AuditEntry.objects.filter(object_type="accreditation.Application", object_id=str(application.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"accreditation.created", "accreditation.submitted"} <= actions


def test_register_and_submit_counts_the_invitation_code_once(event):
    invitation, _code = services.create_invitation_code(event.categories.get(code="expert"), max_uses=1, actor=None)
    services.register_and_submit(event, data=_registration_data(event), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert AuditEntry.objects.filter(action="accreditation.invitationcode_redeemed", object_id=str(invitation.pk))


def test_register_and_submit_with_a_used_up_code_leaves_nothing_behind(event):
    invitation, _code = services.create_invitation_code(event.categories.get(code="expert"), max_uses=1, actor=None)
    InvitationCode.objects.filter(pk=invitation.pk).update(uses=1)
    with pytest.raises(ValidationError) as raised:
        services.register_and_submit(
            event, data=_registration_data(event, email="late@example.org"), invitation=invitation
        )
    assert "invitation_code" in raised.value.message_dict
    assert not Application.objects.filter(event=event).exists()
    assert not get_user_model().objects.filter(email="late@example.org").exists()


def test_register_and_submit_refused_application_keeps_the_code_unused(event):
    invitation, _code = services.create_invitation_code(event.categories.get(code="expert"), max_uses=1, actor=None)
    make_application(event, email="dilnoza@example.org", status=Application.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.register_and_submit(event, data=_registration_data(event), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_public_form_goes_through_register_and_submit(client, event):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .applicant_helpers import image_bytes

    data = valid_post(event)
    data["photo"] = SimpleUploadedFile("photo.jpg", image_bytes(400, 520), content_type="image/jpeg")
    response = client.post(reverse("accreditation:register", kwargs={"event": event.slug}), data)
    assert response.status_code == 302
    assert Application.objects.get(event=event, email=data["email"]).status == Application.Status.SUBMITTED


# --- Invitation codes ------------------------------------------------------------------------------


def test_update_invitation_code_is_audited_with_the_changes(event):
    invitation, _code = services.create_invitation_code(event.categories.get(code="expert"), max_uses=5, actor=None)
    services.update_invitation_code(invitation, label="Think tanks", max_uses=3, expires_at=None, actor=None)
    invitation.refresh_from_db()
    assert (invitation.label, invitation.max_uses) == ("Think tanks", 3)
    entry = AuditEntry.objects.get(action="accreditation.invitationcode_changed")
    assert entry.data["changes"]["max_uses"] == {"from": 5, "to": 3}
    # Nothing changed: no entry.
    services.update_invitation_code(invitation, label="Think tanks", max_uses=3, expires_at=None, actor=None)
    assert AuditEntry.objects.filter(action="accreditation.invitationcode_changed").count() == 1


def test_update_invitation_code_refuses_fewer_uses_than_made(event):
    invitation, _code = services.create_invitation_code(event.categories.get(code="expert"), max_uses=5, actor=None)
    InvitationCode.objects.filter(pk=invitation.pk).update(uses=2)
    with pytest.raises(ValidationError) as raised:
        services.update_invitation_code(invitation, label="", max_uses=1, expires_at=None, actor=None)
    assert raised.value.message_dict["max_uses"] == [
        "The code has been used 2 times: it must allow at least that many uses."
    ]


def test_admin_invitation_code_change_goes_through_the_service(admin_client, event):
    invitation, _code = services.create_invitation_code(event.categories.get(code="expert"), max_uses=5, actor=None)
    InvitationCode.objects.filter(pk=invitation.pk).update(uses=2)
    url = reverse("admin:accreditation_invitationcode_change", args=[invitation.pk])
    post = {
        "category": invitation.category_id,
        "label": "Experts",
        "max_uses": "1",
        "expires_at_0": "",
        "expires_at_1": "",
    }
    response = admin_client.post(url, post)
    assert response.status_code == 200  # the form shows the refusal
    assert "The code has been used 2 times" in response.content.decode()
    response = admin_client.post(url, post | {"max_uses": "4"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accreditation.invitationcode_changed")
    assert entry.actor == admin_client.user
    assert entry.data["changes"] == {"label": {"from": "", "to": "Experts"}, "max_uses": {"from": 5, "to": 4}}


# --- Organisations and event status ----------------------------------------------------------------


def test_create_organisation_is_audited_and_refuses_a_known_name(event):
    data = {"name_en": "  Shanghai Cooperation Organisation ", "acronym_en": "SCO", "kind": "igo"}
    organisation = event_services.create_organisation(data, actor=None, event=event)
    assert organisation.name_en == "Shanghai Cooperation Organisation"
    assert AuditEntry.objects.filter(action="events.organisation_created", event_slug=event.slug).exists()
    with pytest.raises(ValidationError) as raised:
        event_services.create_organisation({"name_en": "shanghai cooperation organisation"}, actor=None)
    assert "name_en" in raised.value.message_dict
    assert Organisation.objects.filter(name_en__iexact="shanghai cooperation organisation").count() == 1


def test_set_event_status_is_audited_once_per_change():
    event = make_event(status=Event.Status.DRAFT)
    assert event_services.set_event_status(event, Event.Status.PUBLISHED, actor=None, via="test")
    assert not event_services.set_event_status(event, Event.Status.PUBLISHED, actor=None)
    entry = AuditEntry.objects.get(action="event.published", event_slug=event.slug)
    assert entry.data == {"previous_status": "draft", "status": "published", "via": "test"}


def test_unpublish_returns_a_published_event_to_draft_only():
    event = make_event(status=Event.Status.PUBLISHED)
    event_services.unpublish_event(event, actor=None)
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    with pytest.raises(ValidationError):
        event_services.unpublish_event(event, actor=None)
    assert AuditEntry.objects.filter(action="event.draft", event_slug=event.slug).count() == 1


def test_admin_unpublish_action_and_form_status_change_go_through_the_service(admin_client):
    event = make_event(status=Event.Status.PUBLISHED)
    changelist = reverse("admin:events_event_changelist")
    admin_client.post(changelist, {"action": "unpublish_events", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    entry = AuditEntry.objects.get(action="event.draft", event_slug=event.slug)
    assert entry.data["via"] == "admin action" and entry.actor == admin_client.user


# --- Programme sessions in the back office ---------------------------------------------------------


def test_delete_session_is_audited(event):
    session = make_session(event)
    programme_services.delete_session(session, actor=None, via="test")
    assert not Session.objects.filter(pk=session.pk).exists()
    assert AuditEntry.objects.get(action="programme.session_deleted").data["guid"] == str(session.guid)


def test_delete_session_refused_while_people_hold_seats(event):
    session = make_session(event, kind=SessionKind.SIDE_EVENT, capacity=10)
    application = make_application(event, status=Application.Status.APPROVED)
    SessionSeat.objects.create(application=application, session=session, status=SessionSeat.Status.CONFIRMED)
    assert "cancel the session instead" in programme_services.deletion_refusal(session)
    with pytest.raises(ValidationError) as raised:
        programme_services.delete_session(session, actor=None)
    assert raised.value.code == "session_in_use"
    assert SessionSeat.objects.filter(session=session).exists()
    assert not AuditEntry.objects.filter(action="programme.session_deleted").exists()


def test_admin_session_delete_through_the_service(admin_client, event):
    used = make_session(event, kind=SessionKind.SIDE_EVENT, capacity=10)
    application = make_application(event, status=Application.Status.APPROVED)
    SessionSeat.objects.create(application=application, session=used, status=SessionSeat.Status.WAITLISTED)
    free = make_session(event)
    assert (
        admin_client.post(reverse("admin:programme_session_delete", args=[used.pk]), {"post": "yes"}).status_code == 403
    )
    assert Session.objects.filter(pk=used.pk).exists()
    response = admin_client.post(reverse("admin:programme_session_delete", args=[free.pk]), {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="programme.session_deleted")
    assert entry.data["via"] == "admin" and entry.actor == admin_client.user
    action_form = admin_client.get(reverse("admin:programme_session_changelist")).context["action_form"]
    assert action_form is None or "delete_selected" not in dict(action_form.fields["action"].choices)


def _change_form_post(client, url) -> dict:
    """The admin change form's current values as a POST (split date-times, inline management forms)."""
    response = client.get(url)
    data: dict = {}

    def put(form, name):
        bound = form[name]
        value = bound.value()
        key = form.add_prefix(name)
        if hasattr(bound.field.widget, "widgets") and hasattr(bound.field.widget, "decompress"):
            for index, part in enumerate(bound.field.widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif value is None or value is False:
            pass  # an unticked box or an empty field is not posted
        else:
            data[key] = "on" if value is True else str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = str(formset.management_form[name].value())
        for subform in formset.forms:
            for name in subform.fields:
                put(subform, name)
    return data


def test_admin_session_change_goes_through_update_session(admin_client, event):
    session = make_session(event, kind=SessionKind.SIDE_EVENT, capacity=10)
    url = reverse("admin:programme_session_change", args=[session.pk])
    post = _change_form_post(admin_client, url)
    post["capacity"] = "25"
    response = admin_client.post(url, post)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else None
    session.refresh_from_db()
    assert session.capacity == 25
    entry = AuditEntry.objects.get(action="programme.session_updated")
    assert entry.data["changes"] == {"capacity": {"from": 10, "to": 25}}  # the service's record
    assert entry.actor == admin_client.user


def test_more_room_in_a_session_moves_its_waitlist_up(event, django_capture_on_commit_callbacks):
    session = make_session(event, kind=SessionKind.SIDE_EVENT, capacity=1)
    first, second = (make_application(event, status=Application.Status.APPROVED, mode="in_person") for _ in range(2))
    SessionSeat.objects.create(application=first, session=session, status=SessionSeat.Status.CONFIRMED)
    waiting = SessionSeat.objects.create(application=second, session=session, status=SessionSeat.Status.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.update_session(session, actor=None, data={"capacity": 1})  # unchanged: nothing
    waiting.refresh_from_db()
    assert waiting.status == SessionSeat.Status.WAITLISTED
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.update_session(session, actor=None, data={"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == SessionSeat.Status.CONFIRMED
    assert AuditEntry.objects.filter(action="accreditation.session_seat_promoted", object_id=str(second.pk)).exists()
