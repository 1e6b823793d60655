"""Accreditation's signals: sent once after the transaction commits, never for a change rolled back."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import transaction

from majlis.accreditation import services, signals
from majlis.accreditation.models import Application, Delegation
from majlis.core.signals import send_on_commit
from tests.factories import make_accreditation_event, make_delegation

from .services_helpers import make_organiser, reviewed, set_capacity

S = Application.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_organiser(event)


@contextmanager
def listening(signal):
    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append({"sender": sender, **kwargs})

    signal.connect(receiver, dispatch_uid="test-listener")
    try:
        yield received
    finally:
        signal.disconnect(dispatch_uid="test-listener")


def test_application_decided_is_sent_once_after_commit(event, organiser, django_capture_on_commit_callbacks):
    application = reviewed(event)
    with listening(signals.application_decided) as decided, listening(signals.application_changed) as changed:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.approve_application(application, actor=organiser, reason="Welcome")
        assert decided == [] and changed == []  # nothing before the commit
        for callback in callbacks:
            callback()
    assert len(decided) == 1
    assert decided[0]["application"].pk == application.pk
    assert (decided[0]["old_status"], decided[0]["new_status"]) == (S.UNDER_REVIEW, S.APPROVED)
    assert decided[0]["actor"] == organiser
    assert [(c["action"], c["old_status"], c["new_status"]) for c in changed] == [
        ("approved", S.UNDER_REVIEW, S.APPROVED)
    ]


def test_no_signal_for_a_change_rolled_back(event, organiser, django_capture_on_commit_callbacks):
    application = reviewed(event)
    with (
        listening(signals.application_decided) as decided,
        listening(signals.application_changed) as changed,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.reject_application(application, actor=organiser, reason="No")
        raise RuntimeError("the caller fails after the service")
    assert decided == [] and changed == []
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_review_is_a_change_but_not_a_decision(event, organiser, django_capture_on_commit_callbacks):
    application = reviewed(event, status=S.SUBMITTED)
    with (
        listening(signals.application_decided) as decided,
        listening(signals.application_changed) as changed,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.start_review(application, actor=organiser)
    assert decided == []
    assert [(c["action"], c["old_status"], c["new_status"]) for c in changed] == [
        ("review_started", S.SUBMITTED, S.UNDER_REVIEW)
    ]


def test_promotion_from_the_waiting_list_is_a_decision(event, organiser, django_capture_on_commit_callbacks):
    set_capacity(event, 1)
    seated = reviewed(event)
    waiting = reviewed(event)
    services.approve_application(seated, actor=organiser)
    services.approve_application(waiting, actor=organiser)  # no seat: waitlisted
    with listening(signals.application_decided) as decided, django_capture_on_commit_callbacks(execute=True):
        services.withdraw_application(seated, actor=organiser, reason="Changed plans")
    assert [(d["application"].pk, d["old_status"], d["new_status"]) for d in decided] == [
        (seated.pk, S.APPROVED, S.WITHDRAWN),
        (waiting.pk, S.WAITLISTED, S.APPROVED),
    ]


def test_delegation_decided_is_sent_once_after_commit(event, organiser, django_capture_on_commit_callbacks):
    delegation = make_delegation(event, status=Delegation.Status.SUBMITTED)
    with listening(signals.delegation_decided) as decided, django_capture_on_commit_callbacks(execute=True):
        services.approve_delegation(delegation, actor=organiser)
    assert [(d["delegation"].pk, d["old_status"], d["new_status"], d["actor"]) for d in decided] == [
        (delegation.pk, Delegation.Status.SUBMITTED, Delegation.Status.APPROVED, organiser)
    ]


def test_delegation_rejection_rolled_back_sends_nothing(event, organiser, django_capture_on_commit_callbacks):
    delegation = make_delegation(event, status=Delegation.Status.SUBMITTED)
    with (
        listening(signals.delegation_decided) as decided,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.reject_delegation(delegation, actor=organiser, reason="No note verbale")
        raise RuntimeError("rolled back")
    assert decided == []


def test_a_failing_receiver_neither_breaks_the_caller_nor_the_other_receivers(
    event, organiser, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **kwargs):
        raise ValueError("a receiver's own bug")

    signals.application_decided.connect(broken, dispatch_uid="test-broken")
    try:
        with listening(signals.application_decided) as decided, django_capture_on_commit_callbacks(execute=True):
            send_on_commit(signals.application_decided, Application, application=None, actor=None)
    finally:
        signals.application_decided.disconnect(dispatch_uid="test-broken")
    assert len(decided) == 1
    assert "a receiver's own bug" in caplog.text
