"""The accreditation back office: pages load, codes are shown once, personal data stays read-only and
the passport number and log-in tokens never appear."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from majlis.accreditation.admin import CODE_ALPHABET, generate_invitation_code
from majlis.accreditation.forms import code_digest, find_invitation_code
from majlis.accreditation.models import (
    Application,
    Category,
    Delegation,
    DelegationDocument,
    EventCapacity,
    InvitationCode,
    LoginLink,
    PrivacyNotice,
    SessionSeat,
)
from majlis.core import outbox
from majlis.core.models import AuditEntry, OutboxMessage
from tests.factories import (
    PDF_BYTES,
    make_accreditation_event,
    make_application,
    make_organisation,
    make_session,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return make_user(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, settings, admin_user):
    settings.MAJLIS_REQUIRE_STAFF_2FA = False
    client.force_login(admin_user)
    return client


@pytest.fixture
def data():
    event = make_accreditation_event()
    organisation = make_organisation(name_en="Ministry of Foreign Affairs of Kazakhstan", acronym_ru="МИД РК")
    delegation = Delegation.objects.create(
        event=event,
        organisation=organisation,
        kind=Delegation.Kind.MEMBER_STATE,
        country="KZ",
        focal_point_email="fp@example.org",
    )
    document = DelegationDocument(
        delegation=delegation,
        kind="note_verbale",
        original_name="note-verbale.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )
    document.file.save("note.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    application = make_application(
        event,
        family_name="Ivanov",
        given_names="Ivan",
        name_native="Иван Иванов",
        delegation=delegation,
        passport_number="N12345678",
        status=Application.Status.SUBMITTED,
        gender="male",
    )
    SessionSeat.objects.create(application=application, session=make_session(event, capacity=10))
    InvitationCode.objects.create(category=Category.objects.get(event=event, code="expert"), code_hash="a" * 64)
    notification = OutboxMessage.objects.create(
        key="n1",
        event_id=event.pk,
        related=outbox.related_key(application),
        recipient="ivanov@example.org",
        language="ru",
        template="received",
        subject="Received",
        status=OutboxMessage.Status.GAVE_UP,
        attempts=5,
        last_error="boom",
    )
    user = make_user()
    LoginLink.objects.create(user=user, token_hash="f" * 64, expires_at=timezone.now() + timedelta(minutes=20))
    return {"event": event, "delegation": delegation, "application": application, "notification": notification}


MODELS = [
    Category,
    InvitationCode,
    EventCapacity,
    PrivacyNotice,
    Delegation,
    Application,
    SessionSeat,
    OutboxMessage,
    LoginLink,
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_admin_accreditation_pages_load(admin_client, data):
    for model in MODELS:
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200, model.__name__
        obj = model.objects.first()
        assert obj is not None, model.__name__
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model.__name__


def test_admin_accreditation_pages_need_staff(client, data):
    client.force_login(make_user())
    response = client.get(admin_url(Application, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_add_pages(admin_client):
    for model in [Category, InvitationCode, EventCapacity, PrivacyNotice, Delegation]:
        assert admin_client.get(admin_url(model, "add")).status_code == 200, model.__name__
    for model in [Application, SessionSeat, OutboxMessage, LoginLink]:
        assert admin_client.get(admin_url(model, "add")).status_code == 403, model.__name__


# --- Invitation codes -----------------------------------------------------------------------------


def test_invitation_code_is_generated_shown_once_and_only_hashed(admin_client):
    event = make_accreditation_event()
    category = Category.objects.get(event=event, code="expert")
    response = admin_client.post(
        admin_url(InvitationCode, "add"),
        {"category": category.pk, "label": "Think tanks of the region", "max_uses": "20", "expires_at": ""},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    (message,) = [m for m in messages if "invitation code is" in m]
    code = re.search(r"invitation code is ([A-Z0-9-]+)", message).group(1)
    invitation = InvitationCode.objects.get(label="Think tanks of the region")
    assert invitation.code_hash == code_digest(code) and code not in invitation.code_hash
    assert find_invitation_code(event, code) == invitation
    change = admin_client.get(admin_url(InvitationCode, "change", invitation.pk)).content.decode()
    assert code not in change and invitation.code_hash not in change
    entry = AuditEntry.objects.get(action="accreditation.invitationcode_created")
    assert code not in str(entry.data) and code not in entry.object_repr


def test_invitation_code_edit_keeps_the_code(admin_client):
    event = make_accreditation_event()
    category = Category.objects.get(event=event, code="expert")
    invitation = InvitationCode.objects.create(category=category, code_hash=code_digest("KEEP-THIS-CODE"))
    admin_client.post(
        admin_url(InvitationCode, "change", invitation.pk),
        {"category": category.pk, "label": "Renamed", "max_uses": "", "expires_at": ""},
    )
    invitation.refresh_from_db()
    assert invitation.label == "Renamed" and invitation.code_hash == code_digest("KEEP-THIS-CODE")


def test_generated_invitation_codes_are_random_and_unambiguous():
    codes = {generate_invitation_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
        assert not set(code) & set("O0I1")


# --- Applications: read-only, no passport number ----------------------------------------------------


def test_application_admin_never_shows_the_passport_number_or_gender(admin_client, data):
    application = data["application"]
    html = admin_client.get(admin_url(Application, "change", application.pk)).content.decode()
    assert "Иван Иванов" in html
    assert "N12345678" not in html
    assert application.passport_number_digest not in html
    assert "passport_number_encrypted" not in html and "passport_number_digest" not in html
    assert 'name="gender"' not in html and "Gender" not in html
    assert 'name="family_name"' not in html  # read-only, not an input


def test_application_admin_view_is_audited(admin_client, admin_user, data):
    application = data["application"]
    admin_client.get(admin_url(Application, "change", application.pk))
    entry = AuditEntry.objects.get(action="accreditation.application_viewed")
    assert entry.actor == admin_user and entry.object_id == str(application.pk)


def test_application_admin_cannot_change_or_delete(admin_client, data):
    application = data["application"]
    response = admin_client.post(
        admin_url(Application, "change", application.pk), {"family_name": "Changed", "status": "approved"}
    )
    assert response.status_code == 403
    assert admin_client.post(admin_url(Application, "delete", application.pk), {"post": "yes"}).status_code == 403
    application.refresh_from_db()
    assert application.family_name == "Ivanov" and application.status == Application.Status.SUBMITTED


def test_application_admin_filters_and_searches_any_script(admin_client, data):
    response = admin_client.get(admin_url(Application, "changelist"), {"q": "Иванов"})
    assert "Ivanov".upper() in response.content.decode()
    response = admin_client.get(admin_url(Application, "changelist"), {"status__exact": "approved"})
    assert "IVANOV" not in response.content.decode()


# --- Delegations ------------------------------------------------------------------------------------


def test_delegation_admin_shows_documents_read_only(admin_client, data):
    html = admin_client.get(admin_url(Delegation, "change", data["delegation"].pk)).content.decode()
    assert "note-verbale.pdf" in html
    assert 'name="documents-0-kind"' not in html
    assert "/media/" not in html and "private/" not in html  # no file URL in the back office


# --- Capacity through the service ---------------------------------------------------------------------


def test_capacity_change_goes_through_the_service(admin_client, data):
    event = data["event"]
    capacity = EventCapacity.objects.get(event=event)
    response = admin_client.post(
        admin_url(EventCapacity, "change", capacity.pk),
        {"event": event.pk, "in_person_capacity": "250"},
    )
    assert response.status_code == 302
    capacity.refresh_from_db()
    assert capacity.in_person_capacity == 250
    entry = AuditEntry.objects.get(action="accreditation.capacity_changed")
    assert entry.data["capacity"] == 250


# --- E-mails and log-in links -------------------------------------------------------------------------


def test_notification_admin_retry_action_queues_failed_mail(admin_client, data):
    notification = data["notification"]
    response = admin_client.post(
        admin_url(OutboxMessage, "changelist"),
        {"action": "retry_failed", "_selected_action": [notification.pk]},
        follow=True,
    )
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.status != OutboxMessage.Status.GAVE_UP or notification.attempts < 5
    assert AuditEntry.objects.filter(action="mail.retried").exists()


def test_notification_admin_is_read_only(admin_client, data):
    notification = data["notification"]
    html = admin_client.get(admin_url(OutboxMessage, "change", notification.pk)).content.decode()
    assert 'name="recipient"' not in html
    assert admin_client.post(admin_url(OutboxMessage, "delete", notification.pk), {"post": "yes"}).status_code == 403


def test_login_link_admin_shows_no_token(admin_client, data):
    link = LoginLink.objects.get()
    html = admin_client.get(admin_url(LoginLink, "change", link.pk)).content.decode()
    assert link.token_hash not in html and "token_hash" not in html


# --- Categories --------------------------------------------------------------------------------------


def test_category_admin_searches_names_in_every_language(admin_client):
    make_accreditation_event()
    response = admin_client.get(admin_url(Category, "changelist"), {"q": "Переводчик"})
    assert "interpreter" in response.content.decode()


def test_category_quota_change_goes_through_the_service(admin_client):
    event = make_accreditation_event()
    category = Category.objects.get(event=event, code="media")
    response = admin_client.get(admin_url(Category, "change", category.pk))
    form = response.context["adminform"].form
    post = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                post[name] = "on"
        elif value is not None:
            post[name] = getattr(value, "pk", value)
    post["in_person_quota"] = "12"
    response = admin_client.post(admin_url(Category, "change", category.pk), post)
    assert response.status_code == 302, response.context["adminform"].form.errors
    category.refresh_from_db()
    assert category.in_person_quota == 12
    assert AuditEntry.objects.filter(action="accreditation.quota_changed").exists()
