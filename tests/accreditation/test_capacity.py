"""In-person capacity, category quotas, waitlist promotion and session seats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from majlis.accreditation import capacity, services
from majlis.accreditation.models import Application, SessionSeat
from majlis.core import outbox
from majlis.core.models import AuditEntry
from majlis.programme.models import SessionKind
from tests.factories import make_accreditation_event, make_application, make_session

from .services_helpers import Mailbox, category, make_organiser, reviewed, set_capacity

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


def status_of(application) -> str:
    return Application.objects.get(pk=application.pk).status


def waitlisted(event, minutes_ago: int, **kwargs) -> Application:
    return reviewed(event, status=S.WAITLISTED, waitlisted_at=timezone.now() - timedelta(minutes=minutes_ago), **kwargs)


def fill(event, seats: int, code: str = "expert") -> list[Application]:
    return [reviewed(event, status=S.APPROVED, category=code) for _ in range(seats)]


# --- Event capacity and category quotas ----------------------------------------------------------


def test_approve_takes_a_seat_while_capacity_lasts_then_waitlists(event, organiser):
    set_capacity(event, 2)
    first, second, third = (reviewed(event) for _ in range(3))
    for application in (first, second, third):
        services.approve_application(application, actor=organiser)
    assert [status_of(a) for a in (first, second, third)] == [S.APPROVED, S.APPROVED, S.WAITLISTED]
    assert capacity.in_person_seats_taken(event) == 2
    entry = AuditEntry.objects.get(action="accreditation.waitlisted", object_id=str(third.pk))
    assert entry.data["full"] is True


def test_approve_without_capacity_set_is_unlimited(event, organiser):
    set_capacity(event, None)
    applications = [reviewed(event) for _ in range(5)]
    for application in applications:
        services.approve_application(application, actor=organiser)
    assert {status_of(a) for a in applications} == {S.APPROVED}


def test_category_quota_waitlists_even_when_the_event_has_room(event, organiser):
    set_capacity(event, 100)
    category(event, "media", in_person_quota=1)
    journalist_1 = reviewed(event, category="media")
    journalist_2 = reviewed(event, category="media")
    expert = reviewed(event)
    for application in (journalist_1, journalist_2, expert):
        services.approve_application(application, actor=organiser)
    assert [status_of(a) for a in (journalist_1, journalist_2, expert)] == [S.APPROVED, S.WAITLISTED, S.APPROVED]


def test_online_participants_do_not_take_in_person_seats(event, organiser):
    set_capacity(event, 1)
    fill(event, 1)
    online = reviewed(event, mode="online")
    services.approve_application(online, actor=organiser)
    assert status_of(online) == S.APPROVED
    assert capacity.in_person_seats_taken(event) == 1


def test_approve_waitlisted_when_still_full_is_refused_and_keeps_the_place(event, organiser):
    set_capacity(event, 1)
    fill(event, 1)
    application = waitlisted(event, 5)
    with pytest.raises(ValidationError) as error:
        services.approve_application(application, actor=organiser)
    assert error.value.code == "full"
    assert status_of(application) == S.WAITLISTED


def test_approve_waitlisted_when_a_seat_is_free_approves(event, organiser):
    set_capacity(event, 2)
    fill(event, 1)
    application = waitlisted(event, 5)
    services.approve_application(application, actor=organiser)
    assert status_of(application) == S.APPROVED


# --- Waitlist promotion --------------------------------------------------------------------------


def test_cancel_promotes_the_longest_waiting_first(event, organiser):
    set_capacity(event, 1)
    (seated,) = fill(event, 1)
    later = waitlisted(event, 5)
    earliest = waitlisted(event, 30)
    middle = waitlisted(event, 10)
    services.cancel_application(seated, actor=None)
    assert [status_of(a) for a in (earliest, middle, later)] == [S.APPROVED, S.WAITLISTED, S.WAITLISTED]
    entry = AuditEntry.objects.get(action="accreditation.promoted")
    assert entry.object_id == str(earliest.pk)


def test_waitlist_ties_are_broken_by_id(event, organiser):
    set_capacity(event, 1)
    (seated,) = fill(event, 1)
    moment = timezone.now() - timedelta(minutes=3)
    first = reviewed(event, status=S.WAITLISTED, waitlisted_at=moment)
    second = reviewed(event, status=S.WAITLISTED, waitlisted_at=moment)
    services.withdraw_application(seated, actor=organiser, reason="Security advice.")
    assert (status_of(first), status_of(second)) == (S.APPROVED, S.WAITLISTED)


@pytest.mark.parametrize(
    "free_a_seat",
    [
        lambda a, o: services.cancel_application(a, actor=None),
        lambda a, o: services.withdraw_application(a, actor=o, reason="Duplicate person."),
        lambda a, o: services.reject_application(a, actor=o, reason="Documents forged."),
        lambda a, o: services.update_application(a, data={"mode": "online"}, actor=None),
        lambda a, o: services.update_application(a, data={"given_names": "Aziz"}, actor=None),
    ],
    ids=["cancel", "withdraw", "reject", "mode-online", "key-data-edit"],
)
def test_freed_seat_promotes_the_waitlist_in_the_same_transaction(event, organiser, free_a_seat):
    set_capacity(event, 1)
    (seated,) = fill(event, 1)
    waiting = waitlisted(event, 5)
    free_a_seat(seated, organiser)
    assert status_of(waiting) == S.APPROVED
    assert capacity.in_person_seats_taken(event) == 1


def test_rejecting_a_waitlisted_application_promotes_nobody(event, organiser):
    set_capacity(event, 1)
    fill(event, 1)
    first = waitlisted(event, 10)
    second = waitlisted(event, 5)
    services.reject_application(first, actor=organiser, reason="Not eligible.")
    assert status_of(second) == S.WAITLISTED


def test_promotion_skips_a_category_whose_quota_is_full(event, organiser):
    set_capacity(event, 3)
    category(event, "media", in_person_quota=1)
    fill(event, 1, "media")
    (expert,) = fill(event, 1)
    fill(event, 1)
    journalist = waitlisted(event, 30, category="media")
    other_expert = waitlisted(event, 5)
    services.cancel_application(expert, actor=None)
    assert status_of(journalist) == S.WAITLISTED
    assert status_of(other_expert) == S.APPROVED


def test_online_waitlisted_applications_are_not_promoted_automatically(event, organiser):
    set_capacity(event, 1)
    (seated,) = fill(event, 1)
    online = waitlisted(event, 30, mode="online")
    in_person = waitlisted(event, 5)
    services.cancel_application(seated, actor=None)
    assert status_of(online) == S.WAITLISTED
    assert status_of(in_person) == S.APPROVED


def test_raising_the_capacity_promotes_the_waitlist(event, organiser):
    set_capacity(event, 1)
    fill(event, 1)
    first = waitlisted(event, 30)
    second = waitlisted(event, 20)
    third = waitlisted(event, 10)
    services.set_capacity(event, in_person_capacity=3, actor=organiser)
    assert [status_of(a) for a in (first, second, third)] == [S.APPROVED, S.APPROVED, S.WAITLISTED]
    assert AuditEntry.objects.filter(action="accreditation.capacity_changed").count() == 1


def test_raising_a_category_quota_promotes_its_waitlist(event, organiser):
    media = category(event, "media", in_person_quota=1)
    fill(event, 1, "media")
    journalist = waitlisted(event, 10, category="media")
    services.set_category_quota(media, quota=2, actor=organiser)
    assert status_of(journalist) == S.APPROVED


def test_promoted_participant_is_mailed(event, organiser, mailbox):
    set_capacity(event, 1)
    (seated,) = fill(event, 1)
    waiting = waitlisted(event, 5, email="waiting@example.org")
    with mailbox.commit():
        services.cancel_application(seated, actor=None)
    (message,) = mailbox.to("waiting@example.org")
    assert "A place is free" in message.subject
    assert "accreditation desk" in message.body
    assert outbox.messages_about(waiting).get().template == "promoted"


# --- Session seats -------------------------------------------------------------------------------


@pytest.fixture
def side_event(event):
    return make_session(event, kind=SessionKind.SIDE_EVENT, capacity=2, title_en="Preventing radicalisation online")


def seat_status(application, session) -> str | None:
    seat = SessionSeat.objects.filter(application=application, session=session).first()
    return seat.status if seat else None


def test_session_seats_confirmed_until_full_then_waitlisted(event, organiser, side_event):
    applications = fill(event, 3)
    for application in applications:
        services.request_session_seats(application, [side_event], actor=None)
    assert [seat_status(a, side_event) for a in applications] == ["confirmed", "confirmed", "waitlisted"]
    assert capacity.session_seats_taken(side_event) == 2


def test_session_seat_request_before_approval_is_allocated_on_approval(event, organiser, side_event):
    fill_seats = fill(event, 2)
    for application in fill_seats:
        services.request_session_seats(application, [side_event], actor=None)
    pending = reviewed(event)
    services.request_session_seats(pending, [side_event], actor=None)
    assert seat_status(pending, side_event) == "requested"
    services.approve_application(pending, actor=organiser)
    assert seat_status(pending, side_event) == "waitlisted"


def test_create_application_with_sessions_requests_seats(event, side_event):
    from .services_helpers import application_data

    application = services.create_application(event, data=application_data(event, sessions=[side_event]), actor=None)
    assert seat_status(application, side_event) == "requested"


def test_releasing_a_session_seat_promotes_the_session_waitlist_in_order(event, organiser, side_event, mailbox):
    holder, other, first, second = fill(event, 4)
    for application in (holder, other, first, second):
        services.request_session_seats(application, [side_event], actor=None)
    with mailbox.commit():
        services.release_session_seat(holder, side_event, actor=None)
    assert seat_status(holder, side_event) is None
    assert seat_status(first, side_event) == "confirmed"
    assert seat_status(second, side_event) == "waitlisted"
    (message,) = mailbox.to(first.email)
    assert "A seat is free" in message.subject
    assert "Preventing radicalisation online" in message.body


def test_cancelling_the_application_frees_its_session_seats(event, organiser, side_event):
    holder, other, waiting = fill(event, 3)
    for application in (holder, other, waiting):
        services.request_session_seats(application, [side_event], actor=None)
    services.cancel_application(holder, actor=None)
    assert seat_status(holder, side_event) is None
    assert seat_status(waiting, side_event) == "confirmed"


def test_back_to_review_frees_session_seats_and_keeps_the_request(event, organiser, side_event):
    holder, other, waiting = fill(event, 3)
    for application in (holder, other, waiting):
        services.request_session_seats(application, [side_event], actor=None)
    services.update_application(holder, data={"family_name": "Renamed"}, actor=None)
    assert seat_status(holder, side_event) == "requested"
    assert seat_status(waiting, side_event) == "confirmed"


def test_online_participants_do_not_take_session_seats(event, organiser, side_event):
    seated = fill(event, 2)
    online = reviewed(event, status=S.APPROVED, mode="online")
    for application in (*seated, online):
        services.request_session_seats(application, [side_event], actor=None)
    assert seat_status(online, side_event) == "confirmed"
    assert capacity.session_seats_taken(side_event) == 2


def test_session_without_capacity_confirms_everyone(event, organiser):
    plenary = make_session(event, capacity=None)
    applications = fill(event, 3)
    for application in applications:
        services.request_session_seats(application, [plenary], actor=None)
    assert {seat_status(a, plenary) for a in applications} == {"confirmed"}


def test_session_seats_refused_for_a_cancelled_session_or_another_event(event, organiser):
    (application,) = fill(event, 1)
    cancelled = make_session(event, is_cancelled=True)
    with pytest.raises(ValidationError):
        services.request_session_seats(application, [cancelled], actor=None)
    other_event = make_accreditation_event()
    with pytest.raises(ValidationError):
        services.request_session_seats(application, [make_session(other_event)], actor=None)


def test_session_seat_request_is_idempotent(event, organiser, side_event):
    (application,) = fill(event, 1)
    services.request_session_seats(application, [side_event], actor=None)
    services.request_session_seats(application, [side_event], actor=None)
    assert SessionSeat.objects.filter(application=application).count() == 1


def test_session_seats_refused_for_a_closed_application(event, side_event):
    application = make_application(event, status=S.WITHDRAWN)
    with pytest.raises(ValidationError):
        services.request_session_seats(application, [side_event], actor=None)
