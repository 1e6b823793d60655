"""The delegation pages at work: inviting, documents, members, head of delegation, submission, decisions."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from majlis.accreditation.models import Application, Delegation, DelegationDocument
from majlis.core import crypto, outbox
from majlis.core.models import AuditEntry, OutboxMessage
from majlis.events.models import EventRole, Organisation
from tests.accreditation.delegation_helpers import *  # noqa: F403 - the fixtures
from tests.accreditation.delegation_helpers import PDF_BYTES, add_document, jpeg_bytes, member_post, url
from tests.factories import make_application, make_delegation, make_organisation

pytestmark = [pytest.mark.django_db]
S = Application.Status


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def focal_client(client, focal_point):
    client.force_login(focal_point)
    return client


def pdf_upload(name="note-verbale.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Inviting a delegation -----------------------------------------------------------------------


def invite_post(**overrides):
    data = {
        "organisation": "",
        "new_name_en": "",
        "new_name_ru": "",
        "new_name_uz": "",
        "new_acronym": "",
        "new_kind": "government",
        "new_country": "",
        "kind": "member_state",
        "focal_point_email": "focal@mfa.example.kz",
        "focal_point_language": "ru",
        "default_category": "",
        "member_limit": "",
    }
    data.update(overrides)
    return data


def test_invite_an_existing_organisation_creates_the_delegation_and_mails_the_focal_point(organiser_client, event):
    organisation = make_organisation(name_en="Republic of Kazakhstan", kind="government", country="KZ")
    category = event.categories.get(code="delegate")
    response = organiser_client.post(
        url("invite", event),
        invite_post(organisation=organisation.pk, default_category=category.pk, member_limit="6"),
    )
    delegation = Delegation.objects.get(event=event, organisation=organisation)
    assert response.status_code == 302
    assert response["Location"] == url("detail", event, pk=delegation.pk)
    assert delegation.status == Delegation.Status.INVITED
    assert (delegation.focal_point_email, delegation.focal_point_language) == ("focal@mfa.example.kz", "ru")
    assert delegation.default_category == category and delegation.member_limit == 6
    assert delegation.country == "KZ"
    notification = OutboxMessage.objects.get(template="delegation_invitation")
    assert notification.recipient == "focal@mfa.example.kz" and notification.language == "ru"


def test_invite_a_new_government_creates_it_with_its_names(organiser_client, event):
    response = organiser_client.post(
        url("invite", event),
        invite_post(
            new_name_en="Kyrgyz Republic",
            new_name_ru="Кыргызская Республика",
            new_name_uz="Qirgʻiziston Respublikasi",
            new_country="kg",
        ),
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name_en="Kyrgyz Republic")
    assert organisation.name_ru == "Кыргызская Республика" and organisation.country == "KG"
    assert organisation.kind == "government"
    assert Delegation.objects.get(organisation=organisation).country == "KG"
    assert AuditEntry.objects.filter(action="events.organisation_created", object_id=str(organisation.pk)).exists()


def test_invite_without_organisation_keeps_the_input_and_explains(organiser_client, event):
    response = organiser_client.post(url("invite", event), invite_post(focal_point_email="kept@example.org"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a state or organisation, or name a new one in English below." in html
    assert 'value="kept@example.org"' in html
    assert not Delegation.objects.exists()


def test_invite_a_new_government_needs_its_country(organiser_client, event):
    response = organiser_client.post(url("invite", event), invite_post(new_name_en="Tajikistan"))
    assert response.status_code == 400
    assert "Give the country of the new government." in response.content.decode()
    assert not Organisation.objects.filter(name_en="Tajikistan").exists()


def test_invite_does_not_offer_an_organisation_that_already_has_a_delegation(organiser_client, event, delegation):
    response = organiser_client.post(url("invite", event), invite_post(organisation=delegation.organisation.pk))
    assert response.status_code == 400
    assert Delegation.objects.filter(organisation=delegation.organisation).count() == 1


# --- Organiser list and detail -------------------------------------------------------------------


def test_organiser_list_shows_status_and_member_counts(organiser_client, event, delegation):
    make_application(event, delegation=delegation, category="delegate", status=S.APPROVED)
    make_application(event, delegation=delegation, category="delegate", status=S.SUBMITTED)
    make_application(event, delegation=delegation, category="delegate", status=S.CANCELLED)
    add_document(delegation)
    response = organiser_client.get(url("list", event))
    row = next(d for d in response.context["delegations"] if d.pk == delegation.pk)
    assert (row.members_total, row.members_approved, row.members_pending, row.documents_total) == (2, 1, 1, 1)
    assert str(delegation.organisation) in response.content.decode()


def test_organiser_list_filters_by_status(organiser_client, event, delegation):
    invited = make_delegation(event)
    response = organiser_client.get(url("list", event) + "?status=invited")
    assert [d.pk for d in response.context["delegations"]] == [invited.pk]


@pytest.mark.parametrize("count", [2, 8])
def test_organiser_list_query_count_does_not_grow(organiser_client, event, count, django_assert_max_num_queries):
    for _ in range(count):
        other = make_delegation(event)
        make_application(event, delegation=other, category="delegate")
        add_document(other)
    with django_assert_max_num_queries(8):
        assert organiser_client.get(url("list", event)).status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_organiser_detail_query_count_does_not_grow(
    organiser_client, event, delegation, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_application(event, delegation=delegation, category="delegate", status=S.SUBMITTED)
        add_document(delegation)
    # Two more than the members' own: the delegation's category rules and the categories to choose from.
    with django_assert_max_num_queries(12):
        assert organiser_client.get(url("detail", event, pk=delegation.pk)).status_code == 200


def test_organiser_detail_links_documents_to_the_permission_checked_view(organiser_client, event, delegation):
    document = add_document(delegation, name="nv-kz.pdf")
    html = organiser_client.get(url("detail", event, pk=delegation.pk)).content.decode()
    assert f"/account/files/delegation-document/{document.pk}/" in html
    assert document.file.name not in html  # the stored (random) name never appears


# --- Organiser decisions -------------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["approve", "waitlist"])
def test_organiser_cannot_accredit_a_member_before_the_credentials(organiser_client, event, delegation, decision):
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.SUBMITTED)
    member = make_application(event, delegation=delegation, category="delegate", status=S.SUBMITTED)
    page = html.unescape(organiser_client.get(url("detail", event, pk=delegation.pk)).content.decode())
    assert f"m{member.pk}-decision" not in page
    assert "Members are decided once the delegation's credentials are approved." in page
    response = organiser_client.post(
        url("member-decide", event, pk=delegation.pk, member=member.pk), {f"m{member.pk}-decision": decision}
    )
    assert response.status_code == 400
    assert "approve the delegation's credentials before deciding on its members" in html.unescape(
        response.content.decode()
    )
    member.refresh_from_db()
    assert member.status == S.SUBMITTED


def submitted_delegation(event, delegation):
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.SUBMITTED)
    delegation.refresh_from_db()
    return delegation


def test_organiser_approves_the_credentials(organiser_client, event, delegation):
    submitted_delegation(event, delegation)
    response = organiser_client.post(url("decide", event, pk=delegation.pk), {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.APPROVED
    assert OutboxMessage.objects.filter(template="delegation_approved", recipient=delegation.focal_point_email).exists()


def test_organiser_rejecting_the_credentials_needs_a_reason(organiser_client, event, delegation):
    submitted_delegation(event, delegation)
    response = organiser_client.post(url("decide", event, pk=delegation.pk), {"decision": "reject", "reason": " "})
    assert response.status_code == 400
    assert "Give the reason for the rejection." in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.SUBMITTED
    response = organiser_client.post(
        url("decide", event, pk=delegation.pk), {"decision": "reject", "reason": "The note verbale is unsigned."}
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.REJECTED
    assert delegation.decision_reason == "The note verbale is unsigned."


def test_organiser_cannot_decide_credentials_not_submitted(organiser_client, event, delegation):
    response = organiser_client.post(url("decide", event, pk=delegation.pk), {"decision": "approve"})
    assert response.status_code == 400
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.OPEN


@pytest.mark.parametrize(
    ("decision", "reason", "status"),
    [
        ("approve", "", S.APPROVED),
        ("waitlist", "", S.WAITLISTED),
        ("reject", "Not on the list of the mission.", S.REJECTED),
    ],
)
def test_organiser_decides_on_a_member(organiser_client, event, delegation, decision, reason, status):
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.APPROVED)
    member = make_application(event, delegation=delegation, category="delegate", status=S.SUBMITTED)
    response = organiser_client.post(
        url("member-decide", event, pk=delegation.pk, member=member.pk),
        {f"m{member.pk}-decision": decision, f"m{member.pk}-reason": reason},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == status


def test_organiser_rejecting_a_member_needs_a_reason(organiser_client, event, delegation):
    member = make_application(event, delegation=delegation, category="delegate", status=S.SUBMITTED)
    response = organiser_client.post(
        url("member-decide", event, pk=delegation.pk, member=member.pk), {f"m{member.pk}-decision": "reject"}
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.status == S.SUBMITTED


# --- Focal point: overview and documents ---------------------------------------------------------


def test_focal_overview_lists_what_is_missing(focal_client, event, delegation):
    response = focal_client.get(url("focal", event, pk=delegation.pk))
    html = response.content.decode()
    missing = [item["label"] for item in response.context["checklist"] if not item["done"]]
    assert "Upload the note verbale." in missing
    assert "Designate the head of delegation." in missing
    assert "Nominate the members of the delegation." in missing
    assert "Upload the note verbale." in html


def test_focal_overview_asks_an_organisation_for_a_nomination_letter(client, event):
    user = make_user_with_delegation(event, kind=Delegation.Kind.ORGANISATION)
    client.force_login(user)
    delegation = Delegation.objects.get(memberships__user=user, memberships__role="focal_point")
    response = client.get(url("focal", event, pk=delegation.pk))
    assert "Upload the nomination letter." in [item["label"] for item in response.context["checklist"]]


def make_user_with_delegation(event, **kwargs):
    from tests.factories import make_user

    user = make_user()
    make_delegation(event, focal_point=user, **kwargs)
    return user


def test_focal_upload_stores_the_note_verbale_privately(focal_client, event, delegation):
    response = focal_client.post(
        url("focal-upload", event, pk=delegation.pk), {"kind": "note_verbale", "file": pdf_upload("NV 12-2022.pdf")}
    )
    assert response.status_code == 302
    document = DelegationDocument.objects.get(delegation=delegation)
    assert document.kind == "note_verbale" and document.original_name == "NV 12-2022.pdf"
    assert document.file.name.startswith("private/") and "NV" not in document.file.name
    assert document.uploaded_by == delegation.focal_points().get()
    overview = focal_client.get(url("focal", event, pk=delegation.pk))
    assert next(i for i in overview.context["checklist"] if i["label"] == "Upload the note verbale.")["done"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("note.pdf", b"MZ\x90\x00 this is a program", "The file is named .pdf but is not a PDF document."),
        ("note.exe", PDF_BYTES, "Upload the document as a PDF, JPEG or PNG file."),
        ("note.jpg", PDF_BYTES, "This file is not a readable image."),
        ("note.pdf", b"", "The submitted file is empty."),
    ],
)
def test_focal_upload_refuses_bad_files_and_keeps_the_form(focal_client, event, delegation, name, content, message):
    response = focal_client.post(
        url("focal-upload", event, pk=delegation.pk),
        {"kind": "nomination_letter", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert '<option value="nomination_letter" selected>' in html  # the choice made is kept
    assert not DelegationDocument.objects.exists()


def test_focal_upload_refuses_a_file_over_10_mb(focal_client, event, delegation):
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    response = focal_client.post(
        url("focal-upload", event, pk=delegation.pk), {"kind": "note_verbale", "file": pdf_upload(content=big)}
    )
    assert response.status_code == 400
    assert "it may be at most 10 MB" in response.content.decode()
    assert not DelegationDocument.objects.exists()


def test_focal_upload_accepts_a_scanned_jpeg(focal_client, event, delegation):
    response = focal_client.post(
        url("focal-upload", event, pk=delegation.pk),
        {"kind": "note_verbale", "file": SimpleUploadedFile("scan.jpg", jpeg_bytes(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    assert DelegationDocument.objects.get(delegation=delegation).content_type == "image/jpeg"


# --- Focal point: members ------------------------------------------------------------------------


def test_nominate_a_member_with_data_and_photo(focal_client, event, delegation):
    photo = SimpleUploadedFile("nurlan.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = focal_client.post(url("focal-member-new", event, pk=delegation.pk), {**member_post(), "photo": photo})
    assert response.status_code == 302, response.context["form"].errors
    member = Application.objects.get(delegation=delegation)
    assert member.status == S.DRAFT
    assert member.category == delegation.default_category
    assert (member.family_name, member.name_native, member.language) == ("Tokayev", "Нурлан Токаев", "ru")
    assert member.photo and member.photo.name.startswith("private/")
    assert crypto.decrypt(member.passport_number_encrypted) == "N12345678"
    assert member.privacy_notice is not None
    assert not outbox.messages_about(member).exists()  # nothing mailed until submitted


def test_nominate_a_member_without_a_photo_online(focal_client, event, delegation):
    data = member_post(mode="online", passport_number="", passport_expiry="", passport_country="", arrival_at="")
    response = focal_client.post(url("focal-member-new", event, pk=delegation.pk), data)
    assert response.status_code == 302
    member = Application.objects.get(delegation=delegation)
    assert member.mode == "online" and not member.photo and member.passport_number_encrypted is None


def test_nominate_with_errors_keeps_the_input_and_the_photo(focal_client, event, delegation):
    photo = SimpleUploadedFile("nurlan.jpg", jpeg_bytes(), content_type="image/jpeg")
    data = {**member_post(phone="12345", nationality=""), "photo": photo}
    response = focal_client.post(url("focal-member-new", event, pk=delegation.pk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Tokayev"' in html and 'value="N12345678"' in html
    form = response.context["form"]
    assert "phone" in form.errors and "nationality" in form.errors
    assert form.pending_photo is not None
    assert "We kept the photo you uploaded" in html
    # Corrected without uploading the photo again: the kept photo is used.
    fixed = member_post(photo_token=form.pending_photo.token)
    response = focal_client.post(url("focal-member-new", event, pk=delegation.pk), fixed)
    assert response.status_code == 302
    assert Application.objects.get(delegation=delegation).photo


def test_nominate_refuses_a_duplicate_and_explains(focal_client, event, delegation):
    make_application(event, email="nurlan.tokayev@example.org", status=S.SUBMITTED)
    response = focal_client.post(url("focal-member-new", event, pk=delegation.pk), member_post())
    assert response.status_code == 400
    assert "An application with this e-mail address already exists" in response.content.decode()
    assert not Application.objects.filter(delegation=delegation).exists()


def test_nominate_by_invitation_mails_the_member_a_link(focal_client, event, delegation):
    response = focal_client.post(
        url("focal-member-invite", event, pk=delegation.pk),
        {"given_names": "Aigerim", "family_name": "Suleimenova", "email": "Aigerim@Example.org", "language": "ru"},
    )
    assert response.status_code == 302
    member = Application.objects.get(delegation=delegation)
    assert member.status == S.DRAFT and member.email == "aigerim@example.org"
    assert member.user is not None and member.user.email.lower() == "aigerim@example.org"
    notification = outbox.messages_about(member).get(template="member_invitation")
    assert notification.language == "ru"
    overview = focal_client.get(url("focal", event, pk=delegation.pk)).content.decode()
    assert "Suleimenova" in overview


def test_nominate_respects_the_member_limit(focal_client, event, delegation):
    Delegation.objects.filter(pk=delegation.pk).update(member_limit=1)
    make_application(event, delegation=delegation, category="delegate")
    response = focal_client.post(url("focal-member-new", event, pk=delegation.pk), member_post())
    assert response.status_code == 400
    assert "at most 1 member." in response.content.decode()


def test_focal_point_edits_a_member_until_approved(focal_client, event, delegation):
    member = make_application(
        event,
        delegation=delegation,
        category="delegate",
        family_name="Tokayev",
        email="nurlan.tokayev@example.org",
        mode="online",
    )
    assert focal_client.get(url("focal-member-edit", event, pk=delegation.pk, member=member.pk)).status_code == 200
    data = member_post(position="Ambassador", mode="online")
    response = focal_client.post(url("focal-member-edit", event, pk=delegation.pk, member=member.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert member.position == "Ambassador"
    Application.objects.filter(pk=member.pk).update(status=S.APPROVED)
    response = focal_client.post(url("focal-member-edit", event, pk=delegation.pk, member=member.pk), data)
    assert response.status_code == 302
    assert response["Location"] == url("focal", event, pk=delegation.pk)
    response = focal_client.get(url("focal-member-edit", event, pk=delegation.pk, member=member.pk), follow=True)
    assert "can no longer be changed" in response.content.decode()


def test_focal_point_designates_the_head_of_delegation(focal_client, event, delegation):
    first = make_application(event, delegation=delegation, category="delegate", is_head_of_delegation=True)
    second = make_application(event, delegation=delegation, category="delegate")
    response = focal_client.post(url("focal-head", event, pk=delegation.pk), {"member": second.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_head_of_delegation and not first.is_head_of_delegation


def test_focal_submit_without_note_verbale_explains_and_changes_nothing(focal_client, event, delegation):
    make_application(event, delegation=delegation, category="delegate")
    response = focal_client.post(url("focal-submit", event, pk=delegation.pk), follow=True)
    assert "Upload the note verbale first." in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.OPEN


def test_focal_submit_sends_the_delegation_and_its_members(focal_client, event, delegation):
    add_document(delegation)
    member = make_application(event, delegation=delegation, category="delegate", is_head_of_delegation=True)
    response = focal_client.post(url("focal-submit", event, pk=delegation.pk))
    assert response.status_code == 302
    delegation.refresh_from_db()
    member.refresh_from_db()
    assert delegation.status == Delegation.Status.SUBMITTED
    assert member.status == S.SUBMITTED


def test_focal_overview_shows_each_members_status(focal_client, event, delegation):
    make_application(event, delegation=delegation, category="delegate", family_name="Approvedone", status=S.APPROVED)
    make_application(event, delegation=delegation, category="delegate", family_name="Waitingone", status=S.WAITLISTED)
    html = focal_client.get(url("focal", event, pk=delegation.pk)).content.decode()
    assert "Approvedone" in html and "Waitingone" in html
    assert "status-approved" in html and "status-waitlisted" in html


@pytest.mark.parametrize("count", [1, 8])
def test_focal_overview_query_count_does_not_grow(
    focal_client, event, delegation, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_application(event, delegation=delegation, category="delegate")
        add_document(delegation)
    with django_assert_max_num_queries(12):
        assert focal_client.get(url("focal", event, pk=delegation.pk)).status_code == 200


def test_the_focal_point_role_comes_with_the_claim(client, event):
    from tests.factories import make_user

    invited = make_delegation(event, focal_point_email="claim@example.org")
    user = make_user(email="claim@example.org")
    client.force_login(user)
    client.post(url("focal-accept", event, pk=invited.pk))
    assert EventRole.objects.filter(user=user, event=event, role="focal_point", organisation=invited.organisation)
