"""The application workflow: the transitions table, who may take each action, and the services obeying it.

The state checks run on applications built in memory; the actor checks on one event with its people;
one test drives every service through every state to prove the services and the table agree.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

from majlis.accreditation import services, workflow
from majlis.accreditation.models import Application, Delegation
from tests.accreditation.services_helpers import make_organiser
from tests.factories import (
    make_accreditation_event,
    make_application,
    make_delegation,
    make_event,
    make_role,
    make_user,
)

S = Application.Status
ALL = list(S.values)
# action → the states it starts from → the state it leads to (the rule, written out once more by hand)
EXPECTED = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "start_review": ({S.SUBMITTED}, S.UNDER_REVIEW),
    "approve": ({S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED}, S.APPROVED),
    "waitlist": ({S.SUBMITTED, S.UNDER_REVIEW}, S.WAITLISTED),
    "reject": ({S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.WAITLISTED}, S.REJECTED),
    "cancel": ({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.WAITLISTED}, S.CANCELLED),
    "withdraw": ({S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.WAITLISTED}, S.WITHDRAWN),
}


def test_transition_table_is_the_expected_matrix():
    for action, (sources, target) in EXPECTED.items():
        transition = workflow.TRANSITIONS[action]
        assert transition.sources == sources, action
        assert transition.target == target, action
    assert set(workflow.TRANSITIONS) == {*EXPECTED, "edit"}
    assert workflow.TRANSITIONS["edit"].sources == S.live()
    # No transition leaves a closed state: rejected, cancelled and withdrawn are final.
    for transition in workflow.TRANSITIONS.values():
        assert not transition.sources & S.closed(), transition.name


@pytest.mark.parametrize("status", ALL)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_state_check_matrix(action, status):
    application = Application(status=status)
    allowed = status in EXPECTED[action][0]
    assert workflow.state_allows(action, application) is allowed
    if allowed:
        workflow.check(action, application)
        assert workflow.refusal(action, application, check_actor=False) is None
    else:
        with pytest.raises(ValidationError) as raised:
            workflow.check(action, application)
        assert raised.value.code == "transition_not_allowed"
        message = raised.value.messages[0]
        assert application.get_status_display() in message
        assert workflow.refusal(action, application, check_actor=False) == message


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown workflow action"):
        workflow.can("promote", Application(status=S.DRAFT))


def _user():
    return make_user(password=None)  # no password hashing: these people never log in


@pytest.fixture
def people(db):
    # A bare event (no categories): the actor checks read only roles, delegations and dates.
    event = make_event(start_date=timezone.localdate() + dt.timedelta(days=30))
    focal = _user()
    delegation = make_delegation(event, focal_point=focal)
    return {
        "event": event,
        "organiser": make_role(event, "organiser_admin", user=_user()).user,
        "applicant": _user(),
        "focal": focal,
        "delegation": delegation,
        "stranger": _user(),
        "gate": make_role(event, "gate_officer", user=_user()).user,
    }


def _in_memory(people, status, *, member=False, owner="applicant") -> Application:
    application = Application(event=people["event"], status=status, user=people[owner])
    if member:
        application.delegation = people["delegation"]
    return application


def test_actor_matrix_for_an_individual_application(people):
    expected_by = {
        "submit": {"applicant", "organiser"},
        "start_review": {"organiser"},
        "approve": {"organiser"},
        "waitlist": {"organiser"},
        "reject": {"organiser"},
        "cancel": {"applicant"},
        "withdraw": {"organiser"},
    }
    for action, (sources, _target) in EXPECTED.items():
        application = _in_memory(people, next(iter(sorted(sources))))
        for who in ("organiser", "applicant", "focal", "stranger", "gate"):
            allowed = who in expected_by[action]
            assert workflow.can(action, application, people[who]) is allowed, (action, who)
            if not allowed:
                assert (
                    workflow.refusal(action, application, people[who]) == "You may not do this with this application."
                )
        assert not workflow.can(action, application, None)  # nobody signed in


def test_focal_point_submits_and_cancels_members_only(people):
    member = _in_memory(people, S.DRAFT, member=True, owner="stranger")
    assert workflow.can("submit", member, people["focal"])
    assert workflow.can("cancel", member, people["focal"])
    assert not workflow.can("start_review", member, people["focal"])
    # The same focal point is nobody to an individual application.
    assert not workflow.can("cancel", _in_memory(people, S.DRAFT), people["focal"])


def test_members_are_decided_only_after_the_credentials(people):
    organiser = people["organiser"]
    member = _in_memory(people, S.SUBMITTED, member=True, owner="stranger")
    assert people["delegation"].status == Delegation.Status.OPEN
    for action in ("approve", "waitlist"):
        assert workflow.refusal(action, member, organiser) == workflow.credentials_not_approved_message()
    assert workflow.can("reject", member, organiser)  # refusing does not wait for the credentials
    people["delegation"].status = Delegation.Status.APPROVED
    assert [t.name for t in workflow.allowed_actions(member, organiser, workflow.DECISIONS)] == [
        "approve",
        "waitlist",
        "start_review",
        "reject",
        "withdraw",
    ]


def test_edit_matrix_by_who_edits(people):
    for status in ALL:
        individual = _in_memory(people, status)
        member = _in_memory(people, status, member=True)
        live = status in S.live()
        assert workflow.can("edit", individual, people["applicant"]) is live, status
        assert workflow.can("edit", individual, people["organiser"]) is live, status
        # A member completing their own data: until the organisers decide; their focal point: until approval.
        assert workflow.can("edit", member, people["applicant"]) is (status in {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW})
        assert workflow.can("edit", member, people["focal"]) is (
            status in {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED}
        )
        assert not workflow.can("edit", individual, people["stranger"])


def test_edit_and_cancel_refused_once_the_data_is_purged(people):
    application = _in_memory(people, S.APPROVED)
    application.personal_data_purged_at = timezone.now()
    assert workflow.refusal("edit", application, people["applicant"]) == (
        "The personal data of this application has been removed."
    )
    assert not workflow.can("cancel", application, people["applicant"])


def test_applicants_edit_until_the_event_ends_organisers_after(people):
    event = people["event"]
    event.start_date = timezone.localdate() - dt.timedelta(days=10)
    event.end_date = timezone.localdate() - dt.timedelta(days=9)
    application = _in_memory(people, S.SUBMITTED)
    assert workflow.refusal("edit", application, people["applicant"]) == (
        "The event is over: the application can no longer be changed."
    )
    assert workflow.can("edit", application, people["organiser"])
    assert workflow.can("cancel", application, people["applicant"])


def test_template_tags_show_only_allowed_actions(people):
    template = Template(
        '{% load accreditation_workflow %}{% can "cancel" application user as may %}{{ may }}|'
        '{% allowed_actions application user "decisions" as actions %}'
        "{% for action in actions %}{{ action.name }} {% endfor %}|"
        '{% allowed_actions application user "submit cancel" as own %}'
        "{% for action in own %}{{ action.name }} {% endfor %}"
    )
    application = _in_memory(people, S.WAITLISTED)
    as_applicant = template.render(Context({"application": application, "user": people["applicant"]}))
    assert as_applicant == "True||cancel "
    as_organiser = template.render(Context({"application": application, "user": people["organiser"]}))
    assert as_organiser == "False|approve reject withdraw |"


def test_services_obey_the_table_in_every_state(db):
    """Every service on an application in every state: refused with the workflow's error exactly where the
    table says so, and otherwise leading to the table's target."""
    event = make_accreditation_event()
    organiser = make_organiser(event)
    notice = services.current_privacy_notice(event)
    calls = {
        "submit": lambda a: services.submit_application(a, actor=organiser),
        "start_review": lambda a: services.start_review(a, actor=organiser),
        "approve": lambda a: services.approve_application(a, actor=organiser),
        "waitlist": lambda a: services.waitlist_application(a, actor=organiser),
        "reject": lambda a: services.reject_application(a, actor=organiser, reason="Quota reached."),
        "cancel": lambda a: services.cancel_application(a, actor=organiser),
        "withdraw": lambda a: services.withdraw_application(a, actor=organiser, reason="Security."),
    }
    for action, call in calls.items():
        sources, target = EXPECTED[action]
        for status in ALL:
            application = make_application(event, status=status, mode="online", privacy_notice=notice)
            if status not in sources:
                with pytest.raises(ValidationError) as raised:
                    call(application)
                assert raised.value.code == "transition_not_allowed", (action, status)
                application.refresh_from_db()
                assert application.status == status
            else:
                call(application)
                application.refresh_from_db()
                assert application.status == target, (action, status)


def test_update_application_refuses_a_closed_application_with_the_workflow_error(db):
    event = make_accreditation_event()
    application = make_application(event, status=S.REJECTED)
    with pytest.raises(ValidationError) as raised:
        services.update_application(application, data={"position": "Director"}, actor=make_organiser(event))
    assert raised.value.code == "closed"
    assert raised.value.messages == ["An application that is “rejected” can no longer be changed."]
