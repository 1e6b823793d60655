"""Delegations: invitation, the focal point's claim, documents, members, head, submission and decisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from majlis.accreditation import services
from majlis.accreditation.models import Application, Delegation, DelegationDocument
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.factories import PDF_BYTES, make_accreditation_event, make_organisation, make_user

from .services_helpers import Mailbox, category, make_organiser

S = Application.Status
pytestmark = pytest.mark.django_db
PDF = PDF_BYTES  # stored as it is: a well-formed PDF without active content


@pytest.fixture
def event(db):
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_organiser(event)


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


def invite(event, organiser, **kwargs) -> Delegation:
    kwargs.setdefault("kind", Delegation.Kind.MEMBER_STATE)
    kwargs.setdefault("focal_point_email", "focal.point@mfa.example")
    kwargs.setdefault("language", "ru")
    kwargs.setdefault("default_category", category(event, "delegate"))
    organisation = kwargs.pop("organisation", None) or make_organisation(kind="government", country="KZ")
    return services.invite_delegation(event, organisation, actor=organiser, **kwargs)


def claimed(event, organiser, **kwargs) -> tuple[Delegation, object]:
    delegation = invite(event, organiser, **kwargs)
    user = make_user(email=delegation.focal_point_email)
    services.claim_delegation(delegation, user)
    return delegation, user


def member_data(n: int = 1, **kwargs) -> dict:
    data = {
        "family_name": f"Nurlanov{n}",
        "given_names": "Askar",
        "email": f"member{n}@mfa.example",
        "language": "ru",
        "nationality": "KZ",
        "organisation_name": "Ministry of Foreign Affairs",
        "position": "Counsellor",
    }
    data.update(kwargs)
    return data


def note_verbale() -> SimpleUploadedFile:
    return SimpleUploadedFile("Note verbale 12-3.pdf", PDF, content_type="application/pdf")


def submitted_delegation(event, organiser) -> Delegation:
    delegation, focal = claimed(event, organiser)
    services.add_delegation_document(delegation, note_verbale(), "note_verbale", actor=focal)
    services.nominate_member(delegation, data=member_data(1), actor=focal)
    services.submit_delegation(delegation, actor=focal)
    return delegation


def test_invite_delegation_creates_it_with_an_audit_entry(event, organiser):
    delegation = invite(event, organiser)
    assert delegation.status == Delegation.Status.INVITED and delegation.country == "KZ"
    assert not delegation.is_claimed()
    entry = AuditEntry.objects.get(action="accreditation.delegation_invited")
    assert entry.actor == organiser and entry.object_id == str(delegation.pk)


def test_invite_delegation_refuses_a_second_delegation_of_the_same_state(event, organiser):
    organisation = make_organisation(kind="government", country="KZ")
    invite(event, organiser, organisation=organisation)
    with pytest.raises(ValidationError) as error:
        invite(event, organiser, organisation=organisation, focal_point_email="other@mfa.example")
    assert "organisation" in error.value.message_dict


def test_invite_delegation_refuses_a_bad_email_and_a_category_of_another_event(event, organiser):
    other = make_accreditation_event()
    with pytest.raises(ValidationError) as error:
        invite(event, organiser, focal_point_email="not-an-address", default_category=category(other, "delegate"))
    assert set(error.value.message_dict) == {"focal_point_email", "default_category"}


def test_claim_delegation_binds_the_focal_point_and_opens_it(event, organiser):
    delegation, user = claimed(event, organiser)
    delegation.refresh_from_db()
    assert list(delegation.focal_points()) == [user] and delegation.status == Delegation.Status.OPEN
    assert EventRole.objects.filter(event=event, user=user, role="focal_point").exists()
    services.claim_delegation(delegation, user)  # a second log-in changes nothing
    assert AuditEntry.objects.filter(action="accreditation.delegation_claimed").count() == 1


def test_claim_delegation_refuses_someone_else(event, organiser):
    delegation = invite(event, organiser)
    with pytest.raises(ValidationError):
        services.claim_delegation(delegation, make_user(email="intruder@example.org"))
    services.claim_delegation(delegation, make_user(email="Focal.Point@mfa.example"))
    with pytest.raises(ValidationError):
        services.claim_delegation(delegation, make_user(email="focal.point@mfa.example"))


def test_add_delegation_document_stores_it_under_a_random_private_name(event, organiser):
    delegation, focal = claimed(event, organiser)
    document = services.add_delegation_document(delegation, note_verbale(), "note_verbale", actor=focal)
    assert document.original_name == "Note verbale 12-3.pdf"
    assert document.file.name.startswith("private/delegationdocument/")
    assert "verbale" not in document.file.name
    assert document.file.read() == PDF
    assert document.uploaded_by == focal and len(document.sha256) == 64


def test_add_delegation_document_refuses_a_fake_pdf_and_a_wrong_kind(event, organiser):
    delegation, focal = claimed(event, organiser)
    fake = SimpleUploadedFile("note.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.add_delegation_document(delegation, fake, "note_verbale", actor=focal)
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.add_delegation_document(delegation, note_verbale(), "press_card", actor=focal)
    assert DelegationDocument.objects.count() == 0


def test_nominate_member_uses_the_delegations_category(event, organiser):
    delegation, focal = claimed(event, organiser)
    member = services.nominate_member(delegation, data=member_data(), actor=focal)
    assert member.delegation == delegation and member.category.code == "delegate"
    assert member.status == S.DRAFT


def test_nominate_member_with_only_a_name_and_email_keeps_a_draft(event, organiser):
    delegation, focal = claimed(event, organiser)
    data = {"given_names": "Aigerim", "family_name": "Sadykova", "email": "aigerim@mfa.example", "language": "ru"}
    member = services.nominate_member(delegation, data=data, actor=focal)
    assert member.status == S.DRAFT


def test_nominate_member_respects_the_member_limit(event, organiser):
    delegation, focal = claimed(event, organiser, member_limit=1)
    services.nominate_member(delegation, data=member_data(1), actor=focal)
    with pytest.raises(ValidationError):
        services.nominate_member(delegation, data=member_data(2), actor=focal)


def test_nominate_member_with_invitation_mails_the_member_a_link(event, organiser, mailbox):
    delegation, focal = claimed(event, organiser)
    with mailbox.commit():
        member = services.nominate_member(delegation, data=member_data(language="uz"), actor=focal, invite=True)
    assert member.user is not None and member.user.email == "member1@mfa.example"
    (message,) = mailbox.to("member1@mfa.example")
    assert "/uz/account/login/link/" in message.body
    assert str(delegation.organisation) in message.body


def test_set_head_of_delegation_keeps_a_single_head(event, organiser):
    delegation, focal = claimed(event, organiser)
    first = services.nominate_member(delegation, data=member_data(1), actor=focal)
    second = services.nominate_member(delegation, data=member_data(2), actor=focal)
    services.set_head_of_delegation(delegation, first, actor=focal)
    services.set_head_of_delegation(delegation, second, actor=focal)
    heads = list(Application.objects.filter(delegation=delegation, is_head_of_delegation=True))
    assert heads == [second]


def test_set_head_of_delegation_refuses_a_stranger(event, organiser):
    delegation, focal = claimed(event, organiser)
    other, _user = claimed(event, organiser, focal_point_email="x@mfa.example")
    stranger = services.nominate_member(other, data=member_data(9), actor=focal)
    with pytest.raises(ValidationError):
        services.set_head_of_delegation(delegation, stranger, actor=focal)


def test_submit_delegation_needs_the_note_verbale_and_a_member(event, organiser):
    delegation, focal = claimed(event, organiser)
    with pytest.raises(ValidationError) as error:
        services.submit_delegation(delegation, actor=focal)
    assert "documents" in error.value.message_dict
    services.add_delegation_document(delegation, note_verbale(), "note_verbale", actor=focal)
    with pytest.raises(ValidationError) as error:
        services.submit_delegation(delegation, actor=focal)
    assert "members" in error.value.message_dict


def test_submit_delegation_submits_the_members_drafts(event, organiser):
    delegation = submitted_delegation(event, organiser)
    assert delegation.status == Delegation.Status.SUBMITTED
    assert set(Application.objects.filter(delegation=delegation).values_list("status", flat=True)) == {S.SUBMITTED}


def test_submit_delegation_names_the_member_whose_data_is_missing(event, organiser):
    delegation, focal = claimed(event, organiser)
    services.add_delegation_document(delegation, note_verbale(), "note_verbale", actor=focal)
    data = {"given_names": "Aigerim", "family_name": "Sadykova", "email": "aigerim@mfa.example"}
    services.nominate_member(delegation, data=data, actor=focal)
    with pytest.raises(ValidationError) as error:
        services.submit_delegation(delegation, actor=focal)
    assert "Aigerim Sadykova" in error.value.message_dict["members"][0]
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.OPEN


def test_organisation_delegation_needs_a_nomination_letter(event, organiser):
    delegation, focal = claimed(
        event, organiser, kind=Delegation.Kind.ORGANISATION, default_category=category(event, "organisation")
    )
    services.add_delegation_document(delegation, note_verbale(), "note_verbale", actor=focal)
    services.nominate_member(delegation, data=member_data(), actor=focal)
    with pytest.raises(ValidationError) as error:
        services.submit_delegation(delegation, actor=focal)
    assert "nomination letter" in error.value.message_dict["documents"][0]


def test_approve_delegation_only_when_submitted(event, organiser, mailbox):
    delegation, _focal = claimed(event, organiser)
    with pytest.raises(ValidationError):
        services.approve_delegation(delegation, actor=organiser)
    delegation = submitted_delegation(event, organiser)
    with mailbox.commit():
        services.approve_delegation(delegation, actor=organiser)
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.APPROVED
    (message,) = mailbox.outbox
    assert message.to == [delegation.focal_point_email]


def test_reject_delegation_needs_a_reason_and_allows_resubmission(event, organiser):
    delegation = submitted_delegation(event, organiser)
    with pytest.raises(ValidationError):
        services.reject_delegation(delegation, actor=organiser, reason="")
    services.reject_delegation(delegation, actor=organiser, reason="Unsigned note verbale.")
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.REJECTED
    assert delegation.decision_reason == "Unsigned note verbale."
    focal = delegation.focal_points().get()
    services.add_delegation_document(delegation, note_verbale(), "note_verbale", actor=focal)
    services.submit_delegation(delegation, actor=focal)
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.SUBMITTED and delegation.decision_reason == ""
