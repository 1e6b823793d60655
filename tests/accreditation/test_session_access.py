"""Session access rules for seats: open, restricted to some categories, by invitation (issue 7, major 1)."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from majlis.accreditation import capacity, services, session_access
from majlis.accreditation.models import Application, SessionInvitation, SessionSeat
from majlis.core.models import AuditEntry
from majlis.programme.models import Session, SessionKind
from tests.factories import make_accreditation_event, make_session

from .services_helpers import Mailbox, application_data, category, make_organiser, reviewed

S = Application.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_organiser(event)


@pytest.fixture
def mailbox(settings, django_capture_on_commit_callbacks):
    return Mailbox(settings, django_capture_on_commit_callbacks)


def side_event(event, access: str = Session.Access.OPEN, restricted_to=(), **kwargs):
    kwargs.setdefault("capacity", 20)
    return make_session(event, kind=SessionKind.SIDE_EVENT, access=access, restricted_to=list(restricted_to), **kwargs)


@pytest.fixture
def closed_sessions(event):
    """A side event for government delegates only, and one by invitation (the closed sessions of 2022)."""
    restricted = side_event(event, Session.Access.RESTRICTED, ["delegate"], title_en="Delegates' briefing")
    invitation = side_event(event, Session.Access.INVITATION, title_en="Donors' round table")
    return restricted, invitation


def seat_status(application, session) -> str | None:
    seat = SessionSeat.objects.filter(application=application, session=session).first()
    return seat.status if seat else None


# --- The rule ------------------------------------------------------------------------------------


def test_eligibility_open_restricted_invitation(event, closed_sessions):
    restricted, invitation = closed_sessions
    open_session = side_event(event)
    expert, delegate = category(event, "expert"), category(event, "delegate")
    assert session_access.is_eligible(open_session, category=expert)
    assert session_access.is_eligible(restricted, category=delegate)
    assert not session_access.is_eligible(restricted, category=expert)
    assert not session_access.is_eligible(invitation, category=delegate)
    assert session_access.is_eligible(invitation, category=expert, invited=True)
    assert session_access.is_eligible(restricted, category=expert, invited=True)


def test_eligibility_refuses_a_session_of_another_event(event):
    other = make_accreditation_event()
    assert not session_access.is_eligible(side_event(other), category=category(event, "expert"))


# --- The defect as found -------------------------------------------------------------------------


def test_expert_asking_for_closed_sessions_is_refused_and_approval_confirms_no_seat(event, organiser, closed_sessions):
    """As found: 10 experts asked for both closed sessions, were approved, and got confirmed seats in each."""
    restricted, invitation = closed_sessions
    approved = 0
    for n in range(10):
        data = application_data(event, email=f"expert{n}@example.org", sessions=[restricted, invitation])
        try:
            application = services.create_application(event, data=data, actor=None)
        except ValidationError as error:
            assert len(error.message_dict["sessions"]) == 2
            continue
        Application.objects.filter(pk=application.pk).update(status=S.UNDER_REVIEW)
        services.approve_application(application, actor=organiser)
        approved += 1
    assert not SessionSeat.objects.filter(session__in=closed_sessions, status=SessionSeat.Status.CONFIRMED).exists()
    assert approved == 0  # the requests themselves are refused


def test_requests_stored_before_the_rule_are_not_confirmed_on_approval(event, organiser, closed_sessions, mailbox):
    """Requests already in the database (made before the rule was enforced) are dropped on approval, with a mail."""
    experts = [reviewed(event, email=f"expert{n}@example.org") for n in range(10)]
    for application in experts:
        for session in closed_sessions:
            SessionSeat.objects.create(application=application, session=session)
    with mailbox.commit():
        for application in experts:
            services.approve_application(application, actor=organiser)
    assert Application.objects.filter(pk__in=[a.pk for a in experts], status=S.APPROVED).count() == 10
    assert not SessionSeat.objects.filter(session__in=closed_sessions).exists()
    assert AuditEntry.objects.filter(action="accreditation.session_seat_released_ineligible").count() == 20
    assert len([m for m in mailbox.to("expert0@example.org") if "released" in m.subject]) == 2


def test_request_for_a_restricted_session_is_refused_with_a_clear_error(event, closed_sessions):
    restricted, _invitation = closed_sessions
    application = reviewed(event, status=S.APPROVED)
    with pytest.raises(ValidationError) as refused:
        services.request_session_seats(application, [restricted], actor=None)
    assert "Delegates' briefing" in " ".join(refused.value.message_dict["sessions"])
    assert seat_status(application, restricted) is None


def test_request_for_an_invitation_only_session_is_refused(event, closed_sessions):
    _restricted, invitation = closed_sessions
    application = reviewed(event, status=S.APPROVED)
    with pytest.raises(ValidationError):
        services.request_session_seats(application, [invitation], actor=None)
    assert seat_status(application, invitation) is None


def test_restricted_session_is_confirmed_for_a_listed_category(event, organiser, closed_sessions):
    restricted, _invitation = closed_sessions
    application = reviewed(event, status=S.APPROVED, category="delegate")
    services.request_session_seats(application, [restricted], actor=None)
    assert seat_status(application, restricted) == "confirmed"


def test_session_waitlist_passes_over_someone_no_longer_eligible(event, organiser):
    session = side_event(event, Session.Access.RESTRICTED, ["delegate", "expert"], capacity=1)
    holder = reviewed(event, status=S.APPROVED, category="delegate")
    expert = reviewed(event, status=S.APPROVED, category="expert")
    delegate = reviewed(event, status=S.APPROVED, category="delegate")
    for application in (holder, expert, delegate):
        services.request_session_seats(application, [session], actor=None)
    session.restricted_to = ["delegate"]
    session.save()
    services.release_session_seat(holder, session, actor=None)
    assert seat_status(expert, session) == "waitlisted"
    assert seat_status(delegate, session) == "confirmed"


# --- A change of category ------------------------------------------------------------------------


def test_category_change_releases_ineligible_seats_promotes_and_tells_the_person(event, organiser, mailbox):
    session = side_event(event, Session.Access.RESTRICTED, ["delegate"], capacity=1, title_en="Delegates only")
    holder = reviewed(event, status=S.APPROVED, category="delegate", email="holder@example.org")
    waiting = reviewed(event, status=S.APPROVED, category="delegate", email="waiting@example.org")
    for application in (holder, waiting):
        services.request_session_seats(application, [session], actor=None)
    assert seat_status(waiting, session) == "waitlisted"
    with mailbox.commit():
        services.update_application(holder, data={"category": category(event, "expert")}, actor=organiser)
    assert seat_status(holder, session) is None
    assert seat_status(waiting, session) == "confirmed"
    assert AuditEntry.objects.filter(
        action="accreditation.session_seat_released_ineligible", object_id=str(holder.pk)
    ).exists()
    released = [m for m in mailbox.to("holder@example.org") if "released" in m.subject]
    assert len(released) == 1
    assert "Delegates only" in released[0].body


def test_category_change_keeps_seats_still_eligible(event, organiser):
    open_session = side_event(event)
    application = reviewed(event, status=S.APPROVED, category="delegate")
    services.request_session_seats(application, [open_session], actor=None)
    services.update_application(application, data={"category": category(event, "expert")}, actor=organiser)
    assert seat_status(application, open_session) == "requested"  # back to review, the request is kept


# --- Invitations by an organiser -----------------------------------------------------------------


def test_invite_to_session_confirms_a_seat_audits_and_mails(event, organiser, closed_sessions, mailbox):
    _restricted, invitation = closed_sessions
    application = reviewed(event, status=S.APPROVED, email="guest@example.org", language="ru")
    with mailbox.commit():
        seat = services.invite_to_session(application, invitation, actor=organiser)
    assert seat.status == "confirmed"
    assert SessionInvitation.objects.get(application=application, session=invitation).invited_by == organiser
    entry = AuditEntry.objects.get(action="accreditation.session_invited", object_id=str(application.pk))
    assert entry.actor_id == organiser.pk
    (message,) = mailbox.to("guest@example.org")
    assert message.extra_headers["Content-Language"] == "ru"
    assert "Donors' round table" in message.body


def test_invited_person_may_request_the_session_again_after_releasing_it(event, organiser, closed_sessions):
    _restricted, invitation = closed_sessions
    application = reviewed(event, status=S.APPROVED)
    services.invite_to_session(application, invitation, actor=organiser)
    services.release_session_seat(application, invitation, actor=None)
    services.request_session_seats(application, [invitation], actor=None)
    assert seat_status(application, invitation) == "confirmed"


def test_invitation_before_approval_is_allocated_on_approval(event, organiser, closed_sessions):
    restricted, _invitation = closed_sessions
    application = reviewed(event)
    services.invite_to_session(application, restricted, actor=organiser)
    assert seat_status(application, restricted) == "requested"
    services.approve_application(application, actor=organiser)
    assert seat_status(application, restricted) == "confirmed"


def test_invitation_to_a_full_session_waitlists(event, organiser):
    session = side_event(event, Session.Access.INVITATION, capacity=1)
    first, second = reviewed(event, status=S.APPROVED), reviewed(event, status=S.APPROVED)
    services.invite_to_session(first, session, actor=organiser)
    assert services.invite_to_session(second, session, actor=organiser).status == "waitlisted"


def test_invite_twice_is_refused(event, organiser, closed_sessions):
    _restricted, invitation = closed_sessions
    application = reviewed(event, status=S.APPROVED)
    services.invite_to_session(application, invitation, actor=organiser)
    with pytest.raises(ValidationError) as refused:
        services.invite_to_session(application, invitation, actor=organiser)
    assert "already invited" in " ".join(refused.value.messages)


def test_invite_refused_for_another_event_or_a_closed_application(event, organiser):
    with pytest.raises(ValidationError):
        services.invite_to_session(
            reviewed(event, status=S.APPROVED), side_event(make_accreditation_event()), actor=organiser
        )
    with pytest.raises(ValidationError):
        services.invite_to_session(reviewed(event, status=S.REJECTED), side_event(event), actor=organiser)


def test_withdrawing_an_invitation_releases_the_seat_and_promotes(event, organiser, mailbox):
    session = side_event(event, Session.Access.INVITATION, capacity=1, title_en="Closed round table")
    first = reviewed(event, status=S.APPROVED, email="first@example.org")
    second = reviewed(event, status=S.APPROVED, email="second@example.org")
    services.invite_to_session(first, session, actor=organiser)
    services.invite_to_session(second, session, actor=organiser)
    with mailbox.commit():
        services.withdraw_session_invitation(first, session, actor=organiser)
    assert seat_status(first, session) is None
    assert seat_status(second, session) == "confirmed"
    assert not SessionInvitation.objects.filter(application=first).exists()
    assert AuditEntry.objects.filter(
        action="accreditation.session_invitation_withdrawn", object_id=str(first.pk), actor_id=organiser.pk
    ).exists()
    assert [m for m in mailbox.to("first@example.org") if "withdrawn" in m.subject]
    assert [m for m in mailbox.to("second@example.org") if "A seat is free" in m.subject]


def test_withdrawing_an_invitation_to_an_open_session_keeps_the_seat(event, organiser):
    session = side_event(event)
    application = reviewed(event, status=S.APPROVED)
    services.invite_to_session(application, session, actor=organiser)
    services.withdraw_session_invitation(application, session, actor=organiser)
    assert seat_status(application, session) == "confirmed"


def test_withdrawing_an_invitation_that_does_not_exist_is_refused(event, organiser):
    with pytest.raises(ValidationError):
        services.withdraw_session_invitation(reviewed(event), side_event(event), actor=organiser)


# --- The property ------------------------------------------------------------------------------------

CODES = ["expert", "delegate", "civil-society"]
N_APPLICATIONS = 4
N_SESSIONS = 4
APP = st.integers(0, N_APPLICATIONS - 1)
SESSION = st.integers(0, N_SESSIONS - 1)
STEP = st.one_of(
    st.tuples(st.just("request"), APP, SESSION),
    st.tuples(st.just("edit_sessions"), APP, st.lists(SESSION, max_size=3)),
    st.tuples(st.just("approve"), APP),
    st.tuples(st.just("waitlist"), APP),
    st.tuples(st.just("cancel"), APP),
    st.tuples(st.just("category"), APP, st.sampled_from(CODES)),
    st.tuples(st.just("release"), APP, SESSION),
    st.tuples(st.just("invite"), APP, SESSION),
    st.tuples(st.just("withdraw_invitation"), APP, SESSION),
    st.tuples(st.just("capacity"), st.integers(0, 5)),
    st.tuples(st.just("access"), SESSION, st.sampled_from(["open", "invitation", "delegate", "expert"])),
)


@pytest.fixture
def world(event):
    """Sessions of every access rule (small capacities, so that waitlists move) and one organiser."""
    sessions = [
        side_event(event, capacity=1),
        side_event(event, Session.Access.RESTRICTED, ["delegate"], capacity=1),
        side_event(event, Session.Access.INVITATION, capacity=1),
        side_event(event, Session.Access.RESTRICTED, ["expert", "civil-society"], capacity=None),
    ]
    return event, sessions, make_organiser(event)


def _step(step, applications, sessions, event, organiser) -> None:
    kind, *args = step
    application = applications[args[0]] if kind not in {"capacity", "access"} else None
    session = sessions[args[1]] if kind in {"request", "release", "invite", "withdraw_invitation"} else None
    if kind == "request":
        services.request_session_seats(application, [session], actor=None)
    elif kind == "edit_sessions":
        services.update_application(application, data={"sessions": [sessions[i] for i in args[1]]}, actor=None)
    elif kind == "approve":
        services.approve_application(application, actor=organiser)
    elif kind == "waitlist":
        services.waitlist_application(application, actor=organiser)
    elif kind == "cancel":
        services.cancel_application(application, actor=None)
    elif kind == "category":
        services.update_application(application, data={"category": category(event, args[1])}, actor=organiser)
    elif kind == "release":
        services.release_session_seat(application, session, actor=None)
    elif kind == "invite":
        services.invite_to_session(application, session, actor=organiser)
    elif kind == "withdraw_invitation":
        services.withdraw_session_invitation(application, session, actor=organiser)
    elif kind == "capacity":
        services.set_capacity(event, in_person_capacity=args[0], actor=organiser)
    elif kind == "access":
        # What the programme's update_session does on commit when an organiser changes the rule.
        session, rule = sessions[args[0]], args[1]
        restricted = rule not in {"open", "invitation"}
        Session.objects.filter(pk=session.pk).update(
            access=Session.Access.RESTRICTED if restricted else rule, restricted_to=[rule] if restricted else []
        )
        services.release_ineligible_session_seats(session, actor=organiser)


def _assert_no_ineligible_seat(sessions) -> None:
    for seat in SessionSeat.objects.select_related("application", "session"):
        assert session_access.may_attend(seat.application, seat.session), (seat, seat.application.category.code)
    for session in sessions:
        if session.capacity is not None:
            assert capacity.session_seats_taken(session) <= session.capacity


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(codes=st.lists(st.sampled_from(CODES), min_size=N_APPLICATIONS, max_size=N_APPLICATIONS), steps=st.lists(STEP))
def test_no_sequence_of_actions_yields_an_ineligible_seat(world, codes, steps):
    event, sessions, organiser = world
    with transaction.atomic():
        applications = [reviewed(event, category=code, email=f"p{n}@example.org") for n, code in enumerate(codes)]
        for step in steps:
            with contextlib.suppress(ValidationError):
                _step(step, applications, sessions, event, organiser)
            _assert_no_ineligible_seat(sessions)
        transaction.set_rollback(True)


# --- A change of the session's access rule ---------------------------------------------------------


def test_changing_a_sessions_access_releases_the_seats_of_those_left_out(event, organiser, mailbox):
    from majlis.programme import services as programme_services

    session = side_event(event, capacity=1, title_en="Now for delegates")
    expert = reviewed(event, status=S.APPROVED, category="expert", email="expert@example.org")
    delegate = reviewed(event, status=S.APPROVED, category="delegate", email="delegate@example.org")
    for application in (expert, delegate):
        services.request_session_seats(application, [session], actor=None)
    assert seat_status(delegate, session) == "waitlisted"
    with mailbox.commit():
        programme_services.update_session(
            session, actor=organiser, data={"access": Session.Access.RESTRICTED, "restricted_to": ["delegate"]}
        )
    assert seat_status(expert, session) is None
    assert seat_status(delegate, session) == "confirmed"
    assert [m for m in mailbox.to("expert@example.org") if "released" in m.subject]
    assert [m for m in mailbox.to("delegate@example.org") if "A seat is free" in m.subject]
