"""Defects found in use: changes after approval, late members, invitations without a default category,
members without an account."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from majlis.accreditation import services
from majlis.accreditation.models import Application, Category, Delegation
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.accreditation.delegation_helpers import url
from tests.accreditation.personal_data_helpers import immediate_tasks  # noqa: F401 - fixture
from tests.accreditation.services_helpers import reviewed
from tests.factories import (
    PDF_BYTES,
    make_accreditation_event,
    make_delegation,
    make_organisation,
    make_role,
    make_user,
)

S = Application.Status
PDF = PDF_BYTES  # a well-formed PDF: uploads are opened and cleaned with pikepdf


@pytest.fixture
def event(db):
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def focal(event):
    return make_user(email="focal.uz@mfa.example")


def member(n: int, **changes) -> dict:
    data = {
        "family_name": f"Rakhimov{n}",
        "given_names": "Jasur",
        "email": f"jasur{n}@mfa.example",
        "language": "uz",
        "nationality": "UZ",
        "organisation_name": "Ministry of Foreign Affairs",
        "position": "Attaché",
        "mode": "online",
    }
    data.update(changes)
    return data


def approved_delegation(event, organiser, focal) -> Delegation:
    delegation = make_delegation(event, focal_point=focal)
    services.add_delegation_document(
        delegation, SimpleUploadedFile("nv.pdf", PDF, content_type="application/pdf"), "note_verbale", actor=focal
    )
    services.nominate_member(delegation, data=member(1), actor=focal)
    services.submit_delegation(delegation, actor=focal)
    services.approve_delegation(delegation, actor=organiser)
    return delegation


# --- 5. Changes after approval go back to review ---------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"honorific": "he"}, {"position": "Minister of Foreign Affairs"}],
    ids=["honorific", "position"],
)
def test_change_of_honorific_or_position_after_approval_goes_back_to_review(event, organiser, change):
    application = reviewed(event, position="Researcher")
    services.approve_application(application, actor=organiser)
    services.update_application(application, data=change, actor=None)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert AuditEntry.objects.get(action="accreditation.back_to_review").data["fields"] == sorted(change)


def test_new_press_card_after_approval_goes_back_to_review(event, organiser):
    media = Category.objects.get(event=event, code="media")
    application = reviewed(event, category=media)
    application.supporting_document.save("card.pdf", ContentFile(PDF), save=True)
    services.approve_application(application, actor=organiser)
    services.update_application(
        application,
        data={"supporting_document": ContentFile(PDF, name="other-card.pdf"), "supporting_document_name": "card2.pdf"},
        actor=None,
    )
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert "supporting_document" in AuditEntry.objects.get(action="accreditation.back_to_review").data["fields"]


# --- 6. Late additions and replacements ------------------------------------------------------------


def test_member_added_after_the_credentials_is_submitted_and_decided(event, organiser, focal):
    delegation = approved_delegation(event, organiser, focal)
    late = services.nominate_member(delegation, data=member(2), actor=focal)
    assert late.status == S.DRAFT
    submitted = services.submit_new_members(delegation, actor=focal)
    assert [m.pk for m in submitted] == [late.pk]
    late.refresh_from_db()
    assert late.status == S.SUBMITTED
    entry = AuditEntry.objects.get(action="accreditation.delegation_members_submitted")
    assert entry.data["members"] == [late.pk]
    services.approve_application(late, actor=organiser)
    assert late.status == S.APPROVED


def test_submit_new_members_refused_before_the_credentials_and_without_drafts(event, organiser, focal):
    delegation = make_delegation(event, focal_point=focal)
    services.nominate_member(delegation, data=member(1), actor=focal)
    with pytest.raises(ValidationError, match="with the delegation's credentials"):
        services.submit_new_members(delegation, actor=focal)
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.APPROVED)
    Application.objects.filter(delegation=delegation).update(status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="no new member"):
        services.submit_new_members(delegation, actor=focal)


def test_submit_new_members_names_an_incomplete_member_and_submits_none(event, organiser, focal):
    delegation = approved_delegation(event, organiser, focal)
    services.nominate_member(delegation, data=member(2), actor=focal)
    services.nominate_member(delegation, data={"family_name": "Incomplete", "given_names": "Olim"}, actor=focal)
    with pytest.raises(ValidationError, match="The data of Olim Incomplete is incomplete"):
        services.submit_new_members(delegation, actor=focal)
    assert Application.objects.filter(delegation=delegation, status=S.DRAFT).count() == 2


def test_late_member_through_the_pages(client, event, organiser, focal):
    delegation = approved_delegation(event, organiser, focal)
    late = services.nominate_member(delegation, data=member(2), actor=focal)
    client.force_login(focal)
    page = html.unescape(client.get(url("focal", event, pk=delegation.pk)).content.decode())
    assert "1 member was added after the credentials were approved" in page
    response = client.post(url("focal-submit-new", event, pk=delegation.pk))
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == S.SUBMITTED

    client.force_login(organiser)
    page = client.get(url("detail", event, pk=delegation.pk)).content.decode()
    assert f"m{late.pk}-decision" in page
    response = client.post(
        url("member-decide", event, pk=delegation.pk, member=late.pk), {f"m{late.pk}-decision": "approve"}
    )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == S.APPROVED


def test_focal_point_replaces_a_member(client, event, organiser, focal):
    delegation = approved_delegation(event, organiser, focal)
    first = Application.objects.get(delegation=delegation)
    client.force_login(focal)
    response = client.post(url("focal-member-cancel", event, pk=delegation.pk, member=first.pk))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == S.CANCELLED
    services.nominate_member(delegation, data=member(3), actor=focal)
    assert services.submit_new_members(delegation, actor=focal)


def test_focal_point_cannot_cancel_a_member_of_another_delegation(client, event, organiser, focal):
    delegation = approved_delegation(event, organiser, focal)
    other_focal = make_user(email="focal.kz@mfa.example")
    other = make_delegation(event, focal_point=other_focal)
    stranger = services.nominate_member(other, data=member(9), actor=other_focal)
    client.force_login(focal)
    response = client.post(url("focal-member-cancel", event, pk=delegation.pk, member=stranger.pk))
    assert response.status_code == 404
    response = client.post(url("focal-member-cancel", event, pk=other.pk, member=stranger.pk))
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == S.DRAFT


# --- 7. Inviting a member when the delegation has no default category -------------------------------


def test_invite_member_without_a_default_category_offers_the_delegations_categories(client, event, organiser):
    focal = make_user(email="focal.kg@mfa.example")
    delegation = services.invite_delegation(
        event,
        make_organisation(kind="government", country="KG"),
        kind=Delegation.Kind.MEMBER_STATE,
        focal_point_email=focal.email,
        language="ru",
        actor=organiser,
    )
    services.claim_delegation(delegation, focal)
    client.force_login(focal)
    page = client.get(url("focal-member-invite", event, pk=delegation.pk)).content.decode()
    minister = Category.objects.get(event=event, code="minister")
    assert 'name="category"' in page and f'value="{minister.pk}"' in page
    assert f'value="{Category.objects.get(event=event, code="organiser-staff").pk}"' not in page
    data = {"given_names": "Aibek", "family_name": "Osmonov", "email": "aibek@mfa.example", "language": "ru"}
    missing = client.post(url("focal-member-invite", event, pk=delegation.pk), data)
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    assert 'value="aibek@mfa.example"' in missing.content.decode()  # nothing typed is lost
    response = client.post(url("focal-member-invite", event, pk=delegation.pk), {**data, "category": minister.pk})
    assert response.status_code == 302
    assert Application.objects.get(delegation=delegation).category == minister


def test_invite_member_with_a_single_allowed_category_needs_no_choice(client, event, organiser):
    focal = make_user(email="focal.tm@mfa.example")
    delegate = Category.objects.get(event=event, code="delegate")
    delegation = services.invite_delegation(
        event,
        make_organisation(kind="government", country="TM"),
        kind=Delegation.Kind.MEMBER_STATE,
        focal_point_email=focal.email,
        language="en",
        actor=organiser,
        categories=[delegate],
    )
    services.claim_delegation(delegation, focal)
    client.force_login(focal)
    assert 'name="category"' not in client.get(url("focal-member-invite", event, pk=delegation.pk)).content.decode()
    response = client.post(
        url("focal-member-invite", event, pk=delegation.pk),
        {"given_names": "Merdan", "family_name": "Orazov", "email": "merdan@mfa.example", "language": "en"},
    )
    assert response.status_code == 302
    assert Application.objects.get(delegation=delegation).category == delegate


# --- 8. Every accredited person can log in by link -----------------------------------------------------


@pytest.mark.usefixtures("immediate_tasks")
def test_member_nominated_by_the_focal_point_has_an_account_and_gets_a_link(
    client, event, organiser, focal, mailoutbox, django_capture_on_commit_callbacks
):
    delegation = approved_delegation(event, organiser, focal)
    nominated = Application.objects.get(delegation=delegation)
    assert nominated.user is not None and nominated.user.email == nominated.email
    assert not nominated.user.has_usable_password()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("login-link:request"), {"email": nominated.email}, REMOTE_ADDR="203.0.113.9")
    assert [message.to for message in mailoutbox] == [[nominated.email]]
    client.force_login(nominated.user)
    listing = client.get(reverse("applications:list")).content.decode()
    assert reverse("applications:detail", kwargs={"pk": nominated.pk}) in listing


def test_focal_point_correcting_a_members_address_moves_the_account(event, organiser, focal):
    delegation = make_delegation(event, focal_point=focal)
    nominated = services.nominate_member(delegation, data=member(4, email="typo@mfa.exmple"), actor=focal)
    services.update_application(nominated, data={"email": "right@mfa.example"}, actor=focal)
    nominated.refresh_from_db()
    assert nominated.user.email == "right@mfa.example"


def test_late_members_cannot_be_submitted_by_the_focal_point_after_the_nomination_deadline(event, organiser, focal):
    from datetime import timedelta

    from django.utils import timezone

    from majlis.accreditation.models import AccreditationSettings

    delegation = approved_delegation(event, organiser, focal)
    late = services.nominate_member(delegation, data=member(2), actor=focal)
    AccreditationSettings.objects.update_or_create(
        event=event, defaults={"nomination_deadline": timezone.now() - timedelta(hours=1)}
    )
    with pytest.raises(ValidationError, match="nomination deadline has passed"):
        services.submit_new_members(delegation, actor=focal)
    late.refresh_from_db()
    assert late.status == S.DRAFT
    services.submit_new_members(delegation, actor=organiser)  # the organisers still may
    late.refresh_from_db()
    assert late.status == S.SUBMITTED
