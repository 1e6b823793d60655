"""The demo accreditations: delegations, applications in every state, fake passports, idempotence."""

from __future__ import annotations

import unicodedata
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from majlis.accreditation import services
from majlis.accreditation.demo import DELEGATIONS, INDIVIDUALS, load_demo_accreditation
from majlis.accreditation.models import Application, Delegation, SessionSeat
from majlis.core.models import AuditEntry, OutboxMessage
from majlis.events.models import Event

S = Application.Status


@pytest.fixture(scope="module")
def demo_event_pk(django_db_setup, django_db_blocker):
    """The whole demo (event, programme, accreditation) once for this module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        event = Event.objects.get(slug="tashkent-2022")
        if not Delegation.objects.filter(event=event).exists():
            # Until `majlis demo` calls the accreditation loader itself.
            load_demo_accreditation(event, stdout=StringIO())
        yield event.pk
        transaction.set_rollback(True)


@pytest.fixture
def event(demo_event_pk, db) -> Event:
    return Event.objects.get(pk=demo_event_pk)


def test_demo_accreditation_second_run_changes_nothing(event):
    counts = (
        Application.objects.count(),
        Delegation.objects.count(),
        SessionSeat.objects.count(),
        OutboxMessage.objects.count(),
        AuditEntry.objects.count(),
    )
    statuses = dict(Application.objects.values_list("email", "status"))
    out = StringIO()
    assert load_demo_accreditation(event, stdout=out) is False
    assert "nothing changed" in out.getvalue()
    assert counts == (
        Application.objects.count(),
        Delegation.objects.count(),
        SessionSeat.objects.count(),
        OutboxMessage.objects.count(),
        AuditEntry.objects.count(),
    )
    assert statuses == dict(Application.objects.values_list("email", "status"))


def test_demo_accreditation_delegations(event):
    delegations = {
        d.organisation.name_en: d for d in Delegation.objects.filter(event=event).select_related("organisation")
    }
    assert len(delegations) == 3
    kazakhstan = delegations["Ministry of Foreign Affairs of the Republic of Kazakhstan"]
    assert [user.username for user in kazakhstan.focal_points()] == ["focalpoint"]
    assert kazakhstan.status == Delegation.Status.APPROVED
    assert kazakhstan.documents.filter(kind="note_verbale").exists()
    head = kazakhstan.members.get(is_head_of_delegation=True)
    assert head.category.code == "minister" and head.status == S.APPROVED
    assert delegations["Ministry of Foreign Affairs of the Kyrgyz Republic"].status == Delegation.Status.OPEN
    unoct = delegations["United Nations Office of Counter-Terrorism"]
    assert unoct.status == Delegation.Status.SUBMITTED
    assert unoct.documents.filter(kind="nomination_letter").exists()


def test_demo_accreditation_applications_in_every_state_and_script(event):
    applications = list(Application.objects.filter(event=event).select_related("category", "user"))
    assert len(applications) >= 20
    expected = {person.email: person.status for spec in DELEGATIONS for person in spec.members}
    expected |= {person.email: person.status for person in INDIVIDUALS}
    assert {a.email: a.status for a in applications} == expected
    assert {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN} <= {
        a.status for a in applications
    }
    assert len({a.category.code for a in applications}) >= 8
    assert {a.mode for a in applications} == {"in_person", "online"}
    assert {"KZ", "KG", "UZ", "TJ", "TM"} <= {a.nationality for a in applications}
    scripts = {unicodedata.name(ch).split()[0] for a in applications for ch in a.name_native if ch.isalpha()}
    assert {"CYRILLIC", "CJK"} <= scripts
    assert any(a.listed_publicly for a in applications)
    rejected = next(a for a in applications if a.status == S.REJECTED)
    assert rejected.decision_reason


def test_demo_accreditation_demo_users_have_applications(event):
    participant = Application.objects.get(event=event, user__username="participant")
    assert participant.status == S.APPROVED and participant.category.code == "expert"
    journalist = Application.objects.get(event=event, user__username="journalist")
    assert journalist.category.code == "media" and journalist.status == S.APPROVED
    assert journalist.supporting_document


def test_demo_accreditation_passport_numbers_are_obviously_fake(event, django_user_model):
    officer = django_user_model.objects.get(username="organiser")
    numbers = [
        services.passport_number(a, actor=officer)
        for a in Application.objects.filter(event=event).exclude(passport_number_encrypted=None)
    ]
    assert numbers
    assert all(number.startswith("DEMO") for number in numbers)
    assert len(set(numbers)) == len(numbers)


def test_demo_accreditation_asks_for_side_event_seats(event):
    seats = SessionSeat.objects.filter(application__event=event).select_related("session")
    assert seats.exists()
    assert {seat.session.kind for seat in seats} == {"side_event"}


def test_demo_accreditation_loads_into_a_bare_event(db, django_user_model):
    from tests.factories import make_event

    for username in ("focalpoint", "participant", "journalist"):
        django_user_model.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
    event = make_event()
    assert load_demo_accreditation(event) is True
    assert Delegation.objects.filter(event=event).count() == 3
    total = Application.objects.filter(event=event).count()
    assert total == sum(len(spec.members) for spec in DELEGATIONS) + len(INDIVIDUALS)
    assert load_demo_accreditation(event) is False
    assert Application.objects.filter(event=event).count() == total


def test_demo_gives_no_seat_in_a_session_the_person_may_not_attend(event):
    from majlis.accreditation import session_access

    seats = list(SessionSeat.objects.filter(session__event=event).select_related("application", "session"))
    assert seats
    for seat in seats:
        assert session_access.may_attend(seat.application, seat.session), (seat.application.email, seat.session.slug)
