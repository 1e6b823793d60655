"""Registration set-up by organisers: what is missing, the switch and dates (per category too), the
nomination deadline, and invitation codes made, listed and revoked from the organisers' pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from majlis.accreditation import queries, services, views_setup
from majlis.accreditation.forms import code_digest, find_invitation_code
from majlis.accreditation.models import (
    AccreditationSettings,
    Application,
    Category,
    EventCapacity,
    InvitationCode,
    PrivacyNotice,
)
from majlis.core.models import AuditEntry
from majlis.events.models import Event, EventRole
from tests.factories import make_delegation, make_role, make_user

from .applicant_helpers import make_open_event, photo_upload, register_url, valid_post

pytestmark = [pytest.mark.django_db]

TASHKENT = ZoneInfo("Asia/Tashkent")


def url(name, event, **kwargs):
    with translation.override("en"):
        return reverse(f"events:accreditation-setup:{name}", kwargs={"event": event.slug, **kwargs})


@pytest.fixture
def event(db):
    return make_open_event()


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def settings_post(event, **overrides):
    data = {"registration_open": "on", "retention_days": "180", "in_person_capacity": ""}
    for category in Category.objects.filter(event=event):
        if category.self_registration:
            data[f"category-{category.pk}-self_registration"] = "on"
    data.update(overrides)
    return data


def make_code(event, **kwargs):
    category = Category.objects.get(event=event, code="media")
    return services.create_invitation_code(category, actor=None, **kwargs)


# --- Access ----------------------------------------------------------------------------------------


def pages(event):
    invitation, _code = make_code(event, label="Press")
    return [
        ("get", url("registration", event), {}),
        ("post", url("registration", event), settings_post(event)),
        ("post", url("publish", event), {}),
        ("post", url("privacy-notice", event), {}),
        ("get", url("invitation-codes", event), {}),
        ("post", url("invitation-codes", event), {"category": invitation.category_id}),
        ("post", url("revoke-invitation-code", event, pk=invitation.pk), {}),
    ]


def test_setup_views_declare_their_capability():
    for name in ("registration_settings", "privacy_notice", "invitation_codes", "revoke_invitation_code"):
        assert getattr(views_setup, name).majlis_access == "accreditation.manage", name
    assert views_setup.publish.majlis_access == "event.manage"


def test_setup_pages_send_anonymous_visitors_to_log_in(client, event):
    for method, page, data in pages(event):
        response = getattr(client, method)(page, data)
        assert response.status_code == 302 and "/login" in response["Location"], page


@pytest.mark.parametrize("role", [EventRole.Role.PARTICIPANT, EventRole.Role.FOCAL_POINT])
def test_setup_pages_forbidden_to_participants_and_focal_points(client, event, role):
    client.force_login(make_role(event, role).user)
    for method, page, data in pages(event):
        assert getattr(client, method)(page, data).status_code == 403, page
    assert not AuditEntry.objects.filter(action__startswith="accreditation.settings").exists()
    assert InvitationCode.objects.filter(revoked_at__isnull=False).count() == 0


def test_setup_pages_forbidden_to_organisers_of_another_event(client, event):
    other = make_open_event()
    client.force_login(make_role(other, EventRole.Role.ORGANISER_ADMIN).user)
    for method, page, data in pages(event):
        assert getattr(client, method)(page, data).status_code == 403, page
    assert InvitationCode.objects.filter(category__event=event).count() == 1


def test_setup_pages_open_to_the_event_organiser(organiser_client, event):
    for method, page, data in pages(event):
        assert getattr(organiser_client, method)(page, data).status_code in {200, 302}, page


def test_setup_revoke_a_code_of_another_event_is_not_found(organiser_client, event):
    foreign, _code = make_code(make_open_event())
    assert organiser_client.post(url("revoke-invitation-code", event, pk=foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


# --- What is missing ---------------------------------------------------------------------------------


def test_registration_problems_of_a_fresh_draft_event_name_every_fix(organiser_client, organiser):
    from majlis.events import services as event_services

    draft = event_services.create_event(
        data={
            "slug": "almaty-2030",
            "title_en": "Almaty 2030",
            "short_title_en": "Almaty 2030",
            "summary_en": "Next.",
            "city_en": "Almaty",
            "country": "KZ",
            "start_date": timezone.localdate() + timedelta(days=90),
            "end_date": timezone.localdate() + timedelta(days=91),
            "time_zone": "Asia/Almaty",
        },
        actor=organiser,
    )
    PrivacyNotice.objects.filter(event=draft).delete()
    Category.objects.filter(event=draft).update(self_registration=False)
    response = organiser_client.get(register_url(draft))
    codes = [problem["code"] for problem in response.context["problems"]]
    assert codes == ["not_published", "no_privacy_notice", "no_open_category", "no_capacity"]
    html = response.content.decode()
    assert url("registration", draft) + "#publish" in html and url("registration", draft) + "#privacy-notice" in html
    assert "Before the public can register" in html


def test_registration_problems_are_not_shown_to_the_public(client, event):
    AccreditationSettings.objects.filter(event=event).update(registration_open=False)
    response = client.get(register_url(event))
    assert response.context["state"] == "closed" and response.context["problems"] == []
    assert "Before the public can register" not in response.content.decode()


def test_registration_problems_name_the_opening_time_in_the_event_time_zone(organiser_client, event):
    opens = datetime(2031, 1, 10, 9, 0, tzinfo=TASHKENT)
    AccreditationSettings.objects.filter(event=event).update(registration_opens_at=opens)
    response = organiser_client.get(register_url(event))
    assert response.context["state"] == "not_open"
    (problem,) = [p for p in response.context["problems"] if p["code"] == "not_open_yet"]
    assert "10 January 2031, 09:00" in problem["message"]
    assert problem["url"].endswith("#id_registration_opens_at")


def test_privacy_notice_button_creates_the_standard_notice_once(organiser_client, event):
    PrivacyNotice.objects.filter(event=event).delete()
    organiser_client.post(url("privacy-notice", event))
    organiser_client.post(url("privacy-notice", event))
    assert PrivacyNotice.objects.filter(event=event).count() == 1
    assert AuditEntry.objects.filter(action="accreditation.privacy_notice_created").count() == 1


def test_publish_makes_a_draft_public_and_is_audited(organiser_client, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    assert organiser_client.post(url("publish", event)).status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="event.published", event_slug=event.slug).exists()


# --- Settings, dates and the registration state ---------------------------------------------------------


def test_settings_are_saved_in_the_event_time_zone_and_audited(organiser_client, event):
    expert = Category.objects.get(event=event, code="expert")
    data = settings_post(
        event,
        registration_opens_at="2031-01-10T09:00",
        registration_closes_at="2031-02-10T18:00",
        nomination_deadline="2031-02-01T12:00",
        in_person_capacity="300",
        retention_days="90",
        **{f"category-{expert.pk}-closes_at": "2031-01-20T18:00"},
    )
    assert organiser_client.post(url("registration", event), data).status_code == 302
    settings_row = AccreditationSettings.objects.get(event=event)
    assert settings_row.registration_opens_at == datetime(2031, 1, 10, 9, 0, tzinfo=TASHKENT)
    assert settings_row.nomination_deadline == datetime(2031, 2, 1, 12, 0, tzinfo=TASHKENT)
    assert settings_row.retention_days == 90
    assert EventCapacity.objects.get(event=event).in_person_capacity == 300
    expert.refresh_from_db()
    assert expert.registration_closes_at == datetime(2031, 1, 20, 18, 0, tzinfo=TASHKENT)
    entry = AuditEntry.objects.get(action="accreditation.settings_changed")
    assert set(entry.data["changes"]) == {
        "registration_opens_at",
        "registration_closes_at",
        "nomination_deadline",
        "retention_days",
    }
    assert AuditEntry.objects.filter(action="accreditation.category_registration_changed", object_id=str(expert.pk))
    page = organiser_client.get(url("registration", event)).content.decode()
    assert 'value="2031-01-10T09:00"' in page  # shown back in Tashkent time


def test_settings_closing_before_opening_is_refused_and_keeps_the_input(organiser_client, event):
    data = settings_post(event, registration_opens_at="2031-02-10T09:00", registration_closes_at="2031-01-10T09:00")
    response = organiser_client.post(url("registration", event), data)
    assert response.status_code == 200
    assert "registration_closes_at" in response.context["form"].errors
    assert 'value="2031-02-10T09:00"' in response.content.decode()
    assert AccreditationSettings.objects.get(event=event).registration_opens_at is None


def test_settings_unticking_a_category_closes_it_to_individuals(organiser_client, event):
    expert = Category.objects.get(event=event, code="expert")
    data = settings_post(event)
    del data[f"category-{expert.pk}-self_registration"]
    organiser_client.post(url("registration", event), data)
    expert.refresh_from_db()
    assert not expert.self_registration
    assert expert not in queries.open_categories(event)


def test_registration_state_follows_the_switch_and_the_dates(event):
    now = timezone.now()
    settings_row = AccreditationSettings.objects.get(event=event)
    assert queries.registration_state(event, now) == "open"
    settings_row.registration_opens_at = now + timedelta(hours=1)
    settings_row.save()
    assert queries.registration_state(event, now) == "not_open"
    assert queries.registration_state(event, now + timedelta(hours=1)) == "open"
    settings_row.registration_closes_at = now + timedelta(hours=2)
    settings_row.save()
    assert queries.registration_state(event, now + timedelta(hours=2)) == "closed"
    settings_row.registration_opens_at = settings_row.registration_closes_at = None
    settings_row.registration_open = False
    settings_row.save()
    assert queries.registration_state(event, now) == "closed"


def test_register_page_after_the_closing_time_shows_no_form_and_accepts_nothing(client, event):
    AccreditationSettings.objects.filter(event=event).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(register_url(event))
    assert response.context["state"] == "closed"
    client.post(register_url(event), {**valid_post(event), "photo": photo_upload()})
    assert not Application.objects.exists()


def test_register_category_with_its_own_closed_dates_is_not_offered(client, event):
    expert = Category.objects.get(event=event, code="expert")
    expert.registration_closes_at = timezone.now() - timedelta(minutes=1)
    expert.save()
    response = client.get(register_url(event))
    offered = [category.pk for category in response.context["categories"]]
    assert expert.pk not in offered and offered
    response = client.post(register_url(event), {**valid_post(event, category="expert"), "photo": photo_upload()})
    assert "category" in response.context["form"].errors
    assert not Application.objects.exists()


def test_create_application_for_self_registration_refused_outside_the_dates(event):
    AccreditationSettings.objects.filter(event=event).update(registration_opens_at=timezone.now() + timedelta(days=1))
    user = make_user(email="late@example.org")
    data = {"category": Category.objects.get(event=event, code="expert"), "family_name": "Late", "given_names": "A"}
    with pytest.raises(ValidationError) as error:
        services.create_application(event, data=data, actor=user, user=user, self_registration=True)
    assert error.value.code == "registration_not_open"
    services.create_application(event, data=data, actor=user, user=user)  # organisers' and loaders' path


def test_submit_application_for_self_registration_refused_once_the_category_closed(event):
    user = make_user(email="draft@example.org")
    expert = Category.objects.get(event=event, code="expert")
    data = {"category": expert, "family_name": "Draft", "given_names": "A", "email": "draft@example.org"}
    application = services.create_application(event, data=data, actor=user, user=user, self_registration=True)
    expert.registration_closes_at = timezone.now() - timedelta(seconds=1)
    expert.save()
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, actor=user, self_registration=True)
    assert "category" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


# --- Nomination deadline ------------------------------------------------------------------------------


def member_data(n: int) -> dict:
    return {"family_name": f"Member{n}", "given_names": "A", "email": f"member{n}@example.org", "nationality": "KZ"}


def test_nomination_after_the_deadline_refused_to_the_focal_point_allowed_to_organisers(event, organiser):
    focal = make_user()
    delegation = make_delegation(event, focal_point=focal)
    services.nominate_member(delegation, data=member_data(1), actor=focal)
    AccreditationSettings.objects.filter(event=event).update(nomination_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        services.nominate_member(delegation, data=member_data(2), actor=focal)
    assert error.value.code == "nomination_closed"
    services.nominate_member(delegation, data=member_data(3), actor=organiser)
    assert sorted(delegation.members.values_list("family_name", flat=True)) == ["Member1", "Member3"]
    AccreditationSettings.objects.filter(event=event).update(nomination_deadline=timezone.now() + timedelta(days=1))
    services.nominate_member(delegation, data=member_data(4), actor=focal)  # the organisers moved the deadline


# --- Invitation codes ----------------------------------------------------------------------------------


def test_invitation_code_is_shown_once_and_only_its_hash_is_kept(organiser_client, event):
    media = Category.objects.get(event=event, code="media")
    response = organiser_client.post(
        url("invitation-codes", event),
        {"category": media.pk, "label": "Accredited press", "max_uses": "25", "expires_at": "2031-03-01T12:00"},
    )
    assert response.status_code == 200 and response["Cache-Control"].startswith("no-store")
    code = re.search(r'class="invitation-code">([A-Z0-9-]+)<', response.content.decode()).group(1)
    invitation = InvitationCode.objects.get(label="Accredited press")
    assert invitation.code_hash == code_digest(code) and invitation.max_uses == 25
    assert invitation.expires_at == datetime(2031, 3, 1, 12, 0, tzinfo=TASHKENT)
    listing = organiser_client.get(url("invitation-codes", event)).content.decode()
    assert "Accredited press" in listing and code not in listing and invitation.code_hash not in listing
    entry = AuditEntry.objects.get(action="accreditation.invitationcode_created")
    assert code not in str(entry.data) and entry.actor is not None
    assert find_invitation_code(event, code) == invitation


def test_invitation_code_form_errors_keep_the_input(organiser_client, event):
    media = Category.objects.get(event=event, code="media")
    response = organiser_client.post(
        url("invitation-codes", event), {"category": media.pk, "label": "Press pool", "max_uses": "0"}
    )
    assert response.status_code == 200 and "max_uses" in response.context["form"].errors
    assert 'value="Press pool"' in response.content.decode()
    assert not InvitationCode.objects.exists()


def test_invitation_code_revoked_can_no_longer_be_used(organiser_client, client, event):
    invitation, code = make_code(event, label="Press")
    assert find_invitation_code(event, code) == invitation
    assert organiser_client.post(url("revoke-invitation-code", event, pk=invitation.pk)).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.state(timezone.now()) == "revoked"
    assert find_invitation_code(event, code) is None
    entry = AuditEntry.objects.get(action="accreditation.invitationcode_revoked")
    assert entry.object_id == str(invitation.pk)
    with pytest.raises(ValidationError):
        services.revoke_invitation_code(invitation, actor=None)
    listing = organiser_client.get(url("invitation-codes", event)).content.decode()
    assert "revoked" in listing


def test_invitation_code_uses_are_counted_on_the_list(organiser_client, client, event):
    invitation, code = make_code(event, label="Press", max_uses=2)
    data = {**valid_post(event, category="media"), "invitation_code": code, "photo": photo_upload()}
    from .applicant_helpers import press_card_upload

    data["supporting_document"] = press_card_upload()
    response = client.post(register_url(event), data)
    assert response.status_code == 302, response.context["form"].errors
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert "1 of 2" in organiser_client.get(url("invitation-codes", event)).content.decode()


def test_registration_open_without_capacity_shows_the_form_and_a_point_to_check(organiser_client, event):
    EventCapacity.objects.filter(event=event).update(in_person_capacity=None)
    response = organiser_client.get(register_url(event))
    assert response.context["form"] is not None
    assert [problem["code"] for problem in response.context["problems"]] == ["no_capacity"]
    html = response.content.decode()
    assert "Registration: points to check" in html and "Before the public can register" not in html
