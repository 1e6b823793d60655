"""Who may open the delegation pages: organisers see every delegation; a focal point only their own."""

import pytest

from majlis.accreditation import views_delegations as views
from majlis.accreditation.models import Application, Delegation, DelegationDocument
from majlis.events.models import EventRole
from tests.accreditation.delegation_helpers import *  # noqa: F403 - the fixtures
from tests.accreditation.delegation_helpers import PDF_BYTES, url
from tests.factories import make_application, make_delegation, make_event, make_role, make_user

pytestmark = [pytest.mark.django_db]

ORGANISER_PAGES = ["list", "invite", "detail"]
FOCAL_PAGES = ["focal", "focal-member-new", "focal-member-invite", "focal-member-edit"]
FOCAL_ACTIONS = ["focal-upload", "focal-head", "focal-submit"]


def organiser_url(name, event, delegation):
    return url(name, event, pk=delegation.pk) if name == "detail" else url(name, event)


def focal_url(name, event, delegation):
    if name == "focal-member-edit":
        member = delegation.members.first() or make_application(event, delegation=delegation, category="delegate")
        return url(name, event, pk=delegation.pk, member=member.pk)
    return url(name, event, pk=delegation.pk)


# --- Organiser pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_anonymous_is_sent_to_log_in(client, event, delegation, name):
    response = client.get(organiser_url(name, event, delegation))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"] and "next=" in response["Location"]


@pytest.mark.parametrize(
    "role",
    [
        EventRole.Role.PARTICIPANT,
        EventRole.Role.FOCAL_POINT,
        EventRole.Role.SIDE_EVENT_ORGANISER,
        EventRole.Role.JOURNALIST,
    ],
)
@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_other_roles_are_forbidden(client, event, delegation, role, name):
    client.force_login(make_role(event, role).user)
    assert client.get(organiser_url(name, event, delegation)).status_code == 403


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_focal_point_of_the_delegation_is_forbidden(client, event, delegation, focal_point, name):
    client.force_login(focal_point)
    assert client.get(organiser_url(name, event, delegation)).status_code == 403


def test_organiser_pages_organiser_of_another_event_is_forbidden(client, event, delegation):
    client.force_login(make_role(make_event(), EventRole.Role.ORGANISER_ADMIN).user)
    assert client.get(url("list", event)).status_code == 403
    assert client.get(url("detail", event, pk=delegation.pk)).status_code == 403


@pytest.mark.parametrize("role", [EventRole.Role.ORGANISER_ADMIN, EventRole.Role.CO_ORGANISER])
@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_organisers_get_in(client, event, delegation, role, name):
    client.force_login(make_role(event, role).user)
    assert client.get(organiser_url(name, event, delegation)).status_code == 200


def test_organiser_pages_superuser_gets_in(client, event, delegation):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(url("detail", event, pk=delegation.pk)).status_code == 200


def test_organiser_detail_of_another_events_delegation_is_not_found(client, event, organiser):
    foreign = make_delegation(make_event())
    client.force_login(organiser)
    assert client.get(url("detail", event, pk=foreign.pk)).status_code == 404


def test_organiser_pages_of_a_draft_event_are_not_found_for_others(client):
    draft = make_event(status="draft")
    client.force_login(make_role(draft, EventRole.Role.PARTICIPANT).user)
    assert client.get(url("list", draft)).status_code == 404


@pytest.mark.parametrize("role", [EventRole.Role.PARTICIPANT, EventRole.Role.SIDE_EVENT_ORGANISER])
def test_organiser_decisions_by_others_are_forbidden_and_change_nothing(client, event, delegation, role):
    member = make_application(event, delegation=delegation, category="delegate", status="submitted")
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.SUBMITTED)
    client.force_login(make_role(event, role).user)
    assert client.post(url("decide", event, pk=delegation.pk), {"decision": "approve"}).status_code == 403
    response = client.post(
        url("member-decide", event, pk=delegation.pk, member=member.pk), {f"m{member.pk}-decision": "approve"}
    )
    assert response.status_code == 403
    delegation.refresh_from_db()
    member.refresh_from_db()
    assert delegation.status == Delegation.Status.SUBMITTED
    assert member.status == Application.Status.SUBMITTED


def test_organiser_decisions_anonymous_is_sent_to_log_in(client, event, delegation):
    response = client.post(url("decide", event, pk=delegation.pk), {"decision": "approve"})
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_organiser_member_decision_on_another_delegations_member_is_not_found(
    client, event, delegation, other_delegation, organiser
):
    stranger = other_delegation.members.get()
    client.force_login(organiser)
    response = client.post(
        url("member-decide", event, pk=delegation.pk, member=stranger.pk), {f"m{stranger.pk}-decision": "approve"}
    )
    assert response.status_code == 404


# --- Focal point pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FOCAL_PAGES)
def test_focal_pages_anonymous_is_sent_to_log_in(client, event, delegation, name):
    response = client.get(focal_url(name, event, delegation))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@pytest.mark.parametrize("name", FOCAL_PAGES)
def test_focal_pages_own_focal_point_gets_in(client, event, delegation, focal_point, name):
    client.force_login(focal_point)
    assert client.get(focal_url(name, event, delegation)).status_code == 200


@pytest.mark.parametrize(
    "role",
    [
        EventRole.Role.PARTICIPANT,
        EventRole.Role.SIDE_EVENT_ORGANISER,
        EventRole.Role.ACCREDITATION_OFFICER,
        EventRole.Role.SECURITY_OFFICER,
        EventRole.Role.FOCAL_POINT,
    ],
)
@pytest.mark.parametrize("name", FOCAL_PAGES)
def test_focal_pages_anyone_else_gets_not_found(client, event, delegation, role, name):
    client.force_login(make_role(event, role).user)
    assert client.get(focal_url(name, event, delegation)).status_code == 404


@pytest.mark.parametrize("role", [EventRole.Role.ORGANISER_ADMIN, EventRole.Role.CO_ORGANISER])
@pytest.mark.parametrize("name", FOCAL_PAGES)
def test_focal_pages_accreditation_managers_of_the_event_get_in(client, event, delegation, role, name):
    # ``delegation.manage``: the focal points of the delegation, and who holds accreditation.manage in the event.
    client.force_login(make_role(event, role).user)
    assert client.get(focal_url(name, event, delegation)).status_code == 200


@pytest.mark.parametrize("name", FOCAL_PAGES)
def test_focal_pages_focal_point_of_another_delegation_gets_not_found(
    client, event, delegation, other_delegation, other_focal_point, name
):
    client.force_login(other_focal_point)
    assert client.get(focal_url(name, event, delegation)).status_code == 404


@pytest.mark.parametrize("name", FOCAL_ACTIONS)
def test_focal_actions_by_another_focal_point_are_not_found_and_change_nothing(
    client, event, delegation, other_delegation, other_focal_point, name
):
    member = make_application(event, delegation=delegation, category="delegate")
    client.force_login(other_focal_point)
    data = {"kind": "note_verbale", "member": member.pk}
    if name == "focal-upload":
        from django.core.files.uploadedfile import SimpleUploadedFile

        data["file"] = SimpleUploadedFile("nv.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(url(name, event, pk=delegation.pk), data).status_code == 404
    delegation.refresh_from_db()
    member.refresh_from_db()
    assert not DelegationDocument.objects.filter(delegation=delegation).exists()
    assert not member.is_head_of_delegation
    assert delegation.status == Delegation.Status.OPEN


def test_focal_point_cannot_reach_another_delegations_member_through_their_own(
    client, event, delegation, focal_point, other_delegation
):
    stranger = other_delegation.members.get()
    client.force_login(focal_point)
    response = client.get(url("focal-member-edit", event, pk=delegation.pk, member=stranger.pk))
    assert response.status_code == 404
    response = client.post(url("focal-head", event, pk=delegation.pk), {"member": stranger.pk})
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert not stranger.is_head_of_delegation


def test_focal_overview_never_shows_another_delegations_members_or_documents(
    client, event, delegation, focal_point, other_delegation
):
    make_application(event, delegation=delegation, category="delegate", family_name="Ownmember")
    client.force_login(focal_point)
    html = client.get(url("focal", event, pk=delegation.pk)).content.decode()
    assert "Ownmember" in html
    assert "Secretmember" not in html and "aibek@example.org" not in html
    assert "secret-note-verbale.pdf" not in html
    other_document = other_delegation.documents.get()
    assert f"/delegation-document/{other_document.pk}/" not in html


def test_focal_point_cannot_open_another_delegations_document(client, event, delegation, focal_point, other_delegation):
    from django.urls import reverse

    client.force_login(focal_point)
    document = other_delegation.documents.get()
    assert client.get(reverse("accreditation-files:delegation-document", args=[document.pk])).status_code == 404


# --- mine/: where the invitation leads -----------------------------------------------------------


def test_mine_anonymous_is_sent_to_log_in(client, event):
    response = client.get(url("mine", event))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_mine_for_someone_without_a_delegation_is_not_found(client, event, other_delegation):
    client.force_login(make_role(event, EventRole.Role.PARTICIPANT).user)
    assert client.get(url("mine", event)).status_code == 404


def test_mine_leads_the_focal_point_to_their_delegation(client, event, delegation, focal_point, other_delegation):
    client.force_login(focal_point)
    response = client.get(url("mine", event))
    assert response.status_code == 302
    assert response["Location"] == url("focal", event, pk=delegation.pk)


def test_mine_leads_the_invited_address_to_accept_and_a_get_claims_nothing(client, event):
    invited = make_delegation(event, focal_point_email="Focal.Point@Example.org")
    user = make_user(email="focal.point@example.org")
    client.force_login(user)
    response = client.get(url("mine", event))
    assert response["Location"] == url("focal-accept", event, pk=invited.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "You are invited as the focal point of" in page.content.decode()
    assert not invited.is_claimed()
    assert invited.status == Delegation.Status.INVITED
    assert not EventRole.objects.filter(event=event, user=user, role=EventRole.Role.FOCAL_POINT).exists()


def test_accepting_on_post_claims_the_delegation(client, event):
    invited = make_delegation(event, focal_point_email="Focal.Point@Example.org")
    user = make_user(email="focal.point@example.org")
    client.force_login(user)
    response = client.post(url("focal-accept", event, pk=invited.pk))
    assert response["Location"] == url("focal", event, pk=invited.pk)
    invited.refresh_from_db()
    assert list(invited.focal_points()) == [user]
    assert invited.status == Delegation.Status.OPEN
    assert EventRole.objects.filter(event=event, user=user, role=EventRole.Role.FOCAL_POINT).exists()


def test_accepting_needs_the_csrf_token(event):
    from django.test import Client

    invited = make_delegation(event, focal_point_email="csrf.check@example.org")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(email="csrf.check@example.org"))
    assert client.post(url("focal-accept", event, pk=invited.pk)).status_code == 403
    assert not invited.is_claimed()


def test_focal_overview_of_an_invitation_asks_to_accept_and_claims_nothing(client, event):
    invited = make_delegation(event, focal_point_email="first.visit@example.org")
    user = make_user(email="first.visit@example.org")
    client.force_login(user)
    response = client.get(url("focal", event, pk=invited.pk))
    assert response["Location"] == url("focal-accept", event, pk=invited.pk)
    assert not invited.is_claimed()


def test_an_unclaimed_delegation_is_not_found_for_another_address(client, event):
    invited = make_delegation(event, focal_point_email="the.real.one@example.org")
    client.force_login(make_user(email="someone.else@example.org"))
    assert client.get(url("focal", event, pk=invited.pk)).status_code == 404
    assert client.get(url("mine", event)).status_code == 404
    assert client.get(url("focal-accept", event, pk=invited.pk)).status_code == 404
    assert client.post(url("focal-accept", event, pk=invited.pk)).status_code == 404
    assert not invited.is_claimed()


def test_a_claimed_delegation_is_not_found_for_a_second_account_with_the_address(client, event, delegation):
    # Someone else holding an account with the same address cannot take over a claimed delegation.
    client.force_login(make_user(email=delegation.focal_point_email.upper()))
    assert client.get(url("focal", event, pk=delegation.pk)).status_code == 404


def test_delegation_views_declare_their_access():
    assert views.delegation_list.majlis_access == "accreditation.view"
    assert views.delegation_detail.majlis_access == "accreditation.view"
    assert views.delegation_invite.majlis_access == "accreditation.manage"
    for name in ["delegation_decide", "delegation_set_categories", "member_decide"]:
        assert getattr(views, name).majlis_access == "accreditation.decide"
    for name in [
        "my_delegations",
        "focal_accept",
        "focal_people_add",
        "focal_people_remove",
        "focal_overview",
        "focal_upload",
        "focal_member_new",
        "focal_member_invite",
        "focal_member_edit",
        "focal_head",
        "focal_submit",
    ]:
        assert getattr(views, name).majlis_access == "authenticated"


def test_mine_lists_every_delegation_of_a_focal_point_of_several(client, event, delegation, focal_point):
    second = make_delegation(event, focal_point=focal_point)
    make_delegation(event)  # someone else's
    client.force_login(focal_point)
    response = client.get(url("mine", event))
    assert response.status_code == 200
    assert [d.pk for d in response.context["delegations"]] == sorted(
        [delegation.pk, second.pk], key=lambda pk: str(Delegation.objects.get(pk=pk).organisation.name)
    )
