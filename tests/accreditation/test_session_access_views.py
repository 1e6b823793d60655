"""Session access in the forms, the organiser's participant page and the API (issue 7, major 1)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from majlis.accreditation import services, views_manage
from majlis.accreditation.forms import ApplicationForm
from majlis.accreditation.forms_delegations import MemberForm
from majlis.accreditation.models import Application, SessionInvitation, SessionSeat
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from majlis.programme.models import Session
from tests.factories import (
    make_application,
    make_delegation,
    make_event,
    make_published_programme,
    make_role,
    make_session,
    make_user,
)

from .applicant_helpers import category_by_code, make_open_event, photo_upload, register_url, valid_post
from .services_helpers import Mailbox

S = Application.Status
pytestmark = [pytest.mark.django_db]


@pytest.fixture
def event(db):
    return make_open_event()


@pytest.fixture
def sessions(event):
    """An open side event, one for delegates and civil society only, one by invitation; published."""
    made = {
        "open": make_session(event, kind="side_event", title_en="Youth and prevention", capacity=30),
        "restricted": make_session(
            event,
            kind="side_event",
            title_en="Delegates' briefing",
            access=Session.Access.RESTRICTED,
            restricted_to=["delegate", "civil-society"],
        ),
        "invitation": make_session(
            event, kind="breakout", title_en="Donors' round table", access=Session.Access.INVITATION
        ),
    }
    make_published_programme(event)
    return made


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def offered(form) -> set[int]:
    return {int(value) for value, _label in form.fields["sessions"].choices} if "sessions" in form.fields else set()


def manage_url(name, event, **kwargs):
    with translation.override("en"):
        return reverse(f"events:accreditation-manage:{name}", kwargs={"event": event.slug, **kwargs})


# --- Forms offer only eligible sessions --------------------------------------------------------------


def test_register_form_offers_restricted_sessions_only_with_an_eligible_category(client, event, sessions):
    form = client.get(register_url(event)).context["form"]
    # Categories still to be chosen: the delegates' session is offered, marked for whom; never the invitation one.
    assert offered(form) == {sessions["open"].pk, sessions["restricted"].pk}
    labels = dict(form.fields["sessions"].choices)
    assert "only for:" in labels[str(sessions["restricted"].pk)]
    assert "only for:" not in labels[str(sessions["open"].pk)]


def test_register_form_with_an_invitation_code_offers_only_that_categorys_sessions(event, sessions):
    expert = category_by_code(event, "expert")
    form = ApplicationForm(event=event, categories=[expert], sessions=list(sessions.values()), privacy_notice=None)
    assert offered(form) == {sessions["open"].pk}


def test_register_with_a_restricted_session_explains_and_keeps_the_input(client, event, sessions):
    data = valid_post(event, category="expert", sessions=[str(sessions["restricted"].pk)])
    response = client.post(register_url(event), {**data, "photo": photo_upload()})
    assert response.status_code == 200
    form = response.context["form"]
    assert "Delegates' briefing" in " ".join(form.errors["sessions"])
    assert form["family_name"].value() == "Karimova"
    assert form["position"].value() == data["position"]
    assert form.pending_photo is not None  # the photo is kept too
    assert not Application.objects.filter(event=event).exists()


def test_register_in_a_listed_category_gets_the_restricted_session(client, event, sessions):
    data = valid_post(event, category="civil-society", sessions=[str(sessions["restricted"].pk)])
    response = client.post(register_url(event), {**data, "photo": photo_upload()})
    assert response.status_code == 302, response.context["form"].errors
    assert SessionSeat.objects.get().session == sessions["restricted"]


def test_register_with_an_invitation_only_session_explains(client, event, sessions):
    data = valid_post(event, category="expert", sessions=[str(sessions["invitation"].pk), str(sessions["open"].pk)])
    response = client.post(register_url(event), {**data, "photo": photo_upload()})
    assert response.status_code == 200
    errors = response.context["form"].errors["sessions"]
    assert errors == ["The session “Donors' round table” is open only to those the organisers invite to it."]
    assert response.context["form"]["sessions"].value() == [str(sessions["invitation"].pk), str(sessions["open"].pk)]


def test_account_edit_page_offers_only_eligible_sessions_and_the_invited_one(client, event, sessions, organiser):
    user = make_user(email="participant@example.org")
    application = make_application(event, user=user, email=user.email, status=S.SUBMITTED, category="expert")
    client.force_login(user)
    address = reverse("applications:edit", kwargs={"pk": application.pk})
    assert offered(client.get(address).context["form"]) == {sessions["open"].pk}
    services.invite_to_session(application, sessions["invitation"], actor=organiser)
    assert offered(client.get(address).context["form"]) == {sessions["open"].pk, sessions["invitation"].pk}


def test_member_form_offers_only_the_delegations_category_sessions(event, sessions):
    delegation = make_delegation(event, default_category=category_by_code(event, "delegate"))
    form = MemberForm(event=event, delegation=delegation)
    assert offered(form) == {sessions["open"].pk, sessions["restricted"].pk}
    expert = category_by_code(event, "expert")
    experts = make_delegation(event, default_category=expert)
    services.set_delegation_categories(experts, categories=[expert], default_category=expert, actor=None)
    assert offered(MemberForm(event=event, delegation=experts)) == {sessions["open"].pk}


def test_member_form_without_a_default_category_checks_the_chosen_one(event, sessions):
    delegation = make_delegation(event, default_category=None)
    services.set_delegation_categories(
        delegation,
        categories=[category_by_code(event, "delegate"), category_by_code(event, "expert")],
        actor=None,
    )
    post = valid_post(event, category="expert", sessions=[str(sessions["restricted"].pk)])
    form = MemberForm(post, {"photo": photo_upload()}, event=event, delegation=delegation)
    assert not form.is_valid()
    assert "Delegates' briefing" in " ".join(form.errors["sessions"])


# --- The organiser's participant page ---------------------------------------------------------------


def test_session_invitation_views_declare_their_access():
    assert views_manage.session_invite.majlis_access == "accreditation.decide"
    assert views_manage.session_invitation_withdraw.majlis_access == "accreditation.decide"


def invitation_pages(event, application, session):
    return [
        (manage_url("session-invite", event, pk=application.pk), {"session": session.pk}),
        (manage_url("session-invitation-withdraw", event, pk=application.pk, session=session.pk), {}),
    ]


def test_session_invitation_views_anonymous_is_sent_to_log_in(client, event, sessions):
    application = make_application(event, status=S.APPROVED)
    for address, data in invitation_pages(event, application, sessions["invitation"]):
        response = client.post(address, data)
        assert response.status_code == 302 and "/account/login/" in response["Location"], address
    assert not SessionInvitation.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        EventRole.Role.PARTICIPANT,
        EventRole.Role.FOCAL_POINT,
        EventRole.Role.JOURNALIST,
        EventRole.Role.SIDE_EVENT_ORGANISER,
        EventRole.Role.GATE_OFFICER,
    ],
)
def test_session_invitation_views_other_roles_are_forbidden(client, event, sessions, organiser, role):
    application = make_application(event, status=S.APPROVED)
    services.invite_to_session(application, sessions["restricted"], actor=organiser)
    client.force_login(make_role(event, role).user)
    for address, data in invitation_pages(event, application, sessions["restricted"]):
        assert client.post(address, data).status_code == 403, (role, address)
    assert SessionInvitation.objects.count() == 1


def test_session_invitation_views_organiser_of_another_event_is_forbidden(client, event, sessions):
    application = make_application(event, status=S.APPROVED)
    client.force_login(make_role(make_event(), EventRole.Role.ORGANISER_ADMIN).user)
    for address, data in invitation_pages(event, application, sessions["invitation"]):
        assert client.post(address, data).status_code == 403, address


def test_session_invitation_views_refuse_get(organiser_client, event, sessions):
    application = make_application(event, status=S.APPROVED)
    for address, _data in invitation_pages(event, application, sessions["invitation"]):
        assert organiser_client.get(address).status_code == 405


def test_organiser_invites_from_the_participant_page(organiser_client, organiser, event, sessions):
    application = make_application(event, status=S.APPROVED, email="guest@example.org")
    page = organiser_client.get(manage_url("detail", event, pk=application.pk))
    assert sessions["invitation"].pk in {c for c, _label in page.context["invitation_form"].fields["session"].choices}
    response = organiser_client.post(
        manage_url("session-invite", event, pk=application.pk), {"session": sessions["invitation"].pk}
    )
    assert response.status_code == 302
    seat = SessionSeat.objects.get(application=application, session=sessions["invitation"])
    assert seat.status == SessionSeat.Status.CONFIRMED
    assert AuditEntry.objects.filter(action="accreditation.session_invited", actor_id=organiser.pk).exists()
    page = organiser_client.get(response["Location"])
    assert "Donors&#x27; round table" in page.content.decode() or "Donors' round table" in page.content.decode()
    assert sessions["invitation"].pk not in {c for c, _l in page.context["invitation_form"].fields["session"].choices}


def test_organiser_invite_without_a_session_explains(organiser_client, event, sessions):
    application = make_application(event, status=S.APPROVED)
    response = organiser_client.post(manage_url("session-invite", event, pk=application.pk), {"session": ""})
    assert response.status_code == 400
    assert response.context["invitation_form"].errors["session"]
    assert not SessionInvitation.objects.exists()


def test_organiser_invite_refused_by_the_service_is_shown_on_the_form(organiser_client, event, sessions):
    application = make_application(event, status=S.REJECTED)
    response = organiser_client.post(
        manage_url("session-invite", event, pk=application.pk), {"session": sessions["invitation"].pk}
    )
    assert response.status_code == 400
    assert "closed" in " ".join(response.context["invitation_form"].non_field_errors())


def test_organiser_withdraws_an_invitation_from_the_participant_page(organiser_client, organiser, event, sessions):
    application = make_application(event, status=S.APPROVED)
    services.invite_to_session(application, sessions["invitation"], actor=organiser)
    response = organiser_client.post(
        manage_url("session-invitation-withdraw", event, pk=application.pk, session=sessions["invitation"].pk)
    )
    assert response.status_code == 302
    assert not SessionInvitation.objects.exists()
    assert not SessionSeat.objects.filter(application=application).exists()


def test_organiser_withdraw_of_an_unknown_invitation_is_404(organiser_client, event, sessions):
    application = make_application(event, status=S.APPROVED)
    address = manage_url("session-invitation-withdraw", event, pk=application.pk, session=sessions["invitation"].pk)
    assert organiser_client.post(address).status_code == 404


# --- The API ------------------------------------------------------------------------------------------------


def api(event, path):
    return f"/api/v1/events/{event.slug}/accreditation{path}"


def test_api_session_endpoints_access(client, event, sessions, organiser):
    application = make_application(event, status=S.APPROVED)
    services.invite_to_session(application, sessions["restricted"], actor=organiser)
    calls = [
        ("post", f"/participants/{application.pk}/sessions", {"sessions": [sessions["open"].pk]}),
        ("post", f"/participants/{application.pk}/session-invitations", {"session": sessions["invitation"].pk}),
        ("delete", f"/participants/{application.pk}/session-invitations/{sessions['restricted'].pk}", None),
    ]
    for user, expected in (
        (None, 401),
        (make_role(event, EventRole.Role.PARTICIPANT).user, 403),
        (make_role(make_event(), EventRole.Role.ORGANISER_ADMIN).user, 403),
    ):
        anonymous = Client()
        if user is not None:
            anonymous.force_login(user)
        for method, path, body in calls:
            if body is None:
                response = getattr(anonymous, method)(api(event, path))
            else:
                response = anonymous.post(api(event, path), body, content_type="application/json")
            assert response.status_code == expected, (user, path)
    assert SessionInvitation.objects.count() == 1
    assert not SessionSeat.objects.filter(session=sessions["open"]).exists()


def test_api_request_seats_refuses_an_ineligible_session_in_the_callers_language(organiser_client, event, sessions):
    application = make_application(event, status=S.APPROVED, category="expert")
    response = organiser_client.post(
        api(event, f"/participants/{application.pk}/sessions") + "?lang=ru",
        {"sessions": [sessions["open"].pk, sessions["invitation"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_data"
    assert body["errors"][0]["loc"] == ["body", "sessions"]
    assert "Donors' round table" in body["detail"]
    assert not SessionSeat.objects.filter(application=application).exists()  # nothing changed


def test_api_request_seats_confirms_eligible_sessions(organiser_client, event, sessions):
    application = make_application(event, status=S.APPROVED, category="delegate")
    response = organiser_client.post(
        api(event, f"/participants/{application.pk}/sessions"),
        {"sessions": [sessions["open"].pk, sessions["restricted"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert {seat["status"] for seat in response.json()} == {"confirmed"}


def test_api_request_seats_refuses_a_session_of_another_event(organiser_client, event, sessions):
    application = make_application(event, status=S.APPROVED)
    other = make_session(make_event())
    response = organiser_client.post(
        api(event, f"/participants/{application.pk}/sessions"),
        {"sessions": [other.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_api_invite_and_withdraw(organiser_client, organiser, event, sessions):
    application = make_application(event, status=S.APPROVED)
    address = api(event, f"/participants/{application.pk}/session-invitations")
    response = organiser_client.post(address, {"session": sessions["invitation"].pk}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "confirmed"
    again = organiser_client.post(address, {"session": sessions["invitation"].pk}, content_type="application/json")
    assert again.status_code == 400 and "already invited" in again.json()["detail"]
    gone = organiser_client.delete(f"{address}/{sessions['invitation'].pk}")
    assert gone.status_code == 204
    assert not SessionSeat.objects.filter(application=application).exists()
    assert organiser_client.delete(f"{address}/{sessions['invitation'].pk}").status_code == 404
    actions = set(
        AuditEntry.objects.filter(object_type="accreditation.Application", object_id=str(application.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"accreditation.session_invited", "accreditation.session_invitation_withdrawn"} <= actions


def test_api_invite_needs_csrf(event, sessions, organiser):
    application = make_application(event, status=S.APPROVED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(
        api(event, f"/participants/{application.pk}/session-invitations"),
        {"session": sessions["invitation"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not SessionInvitation.objects.exists()


def test_invitation_mail_before_approval_says_the_seat_waits(event, sessions, organiser, settings, mailbox):
    application = make_application(event, status=S.UNDER_REVIEW, email="guest@example.org")
    with mailbox.commit():
        services.invite_to_session(application, sessions["invitation"], actor=organiser)
    (message,) = mailbox.to("guest@example.org")
    assert "invited to a session" in message.subject
    assert "will be confirmed when your accreditation is approved" in message.body
    assert "Donors' round table" in message.body
