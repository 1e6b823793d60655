"""Capabilities granted by event roles: exactly the table, per event, cached per request, extensible."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from majlis.accreditation.models import Application, Mode
from majlis.core import capabilities
from majlis.events.models import EventRole
from majlis.events.rules import ROLE_CAPABILITIES, event_capabilities, events_with
from tests.factories import make_accreditation_event, make_application, make_event, make_role, make_user

pytestmark = [pytest.mark.django_db]

EVENT_CAPABILITIES = sorted(
    name
    for name, capability in capabilities.declared().items()
    if capability.app in {"event", "programme", "accreditation", "badges", "gates"}
)


@pytest.fixture
def event():
    return make_accreditation_event(slug="capabilities-event")


@pytest.fixture
def other_event():
    return make_event(slug="capabilities-other")


def test_every_capability_a_role_grants_is_declared_by_its_app_or_a_later_one():
    later_apps = {"badges", "gates", "documents"}  # their apps declare these when they arrive
    for role, granted in ROLE_CAPABILITIES.items():
        for name in granted:
            assert name in capabilities.declared() or name.split(".")[0] in later_apps, (role, name)


@pytest.mark.parametrize("role", list(EventRole.Role))
def test_each_role_grants_exactly_its_row_of_the_table_in_its_event_only(event, other_event, role):
    user = make_role(event, role).user
    held = {name for name in EVENT_CAPABILITIES if capabilities.has(user, name, event)}
    assert held == {name for name in ROLE_CAPABILITIES[role] if name in capabilities.declared()}
    fresh = type(user).objects.get(pk=user.pk)  # a new request: no cached roles
    assert not any(capabilities.has(fresh, name, other_event) for name in EVENT_CAPABILITIES)


def test_anonymous_users_and_strangers_hold_nothing(event):
    for user in (AnonymousUser(), make_user()):
        assert not any(capabilities.has(user, name, event) for name in EVENT_CAPABILITIES)
        assert events_with(user, "event.manage") == set()


def test_capabilities_of_an_objects_event(event):
    user = make_role(event, EventRole.Role.ACCREDITATION_OFFICER).user
    application = make_application(event)
    assert capabilities.has(user, "accreditation.decide", application)
    assert not capabilities.has(user, "accreditation.manage", application)
    assert not capabilities.has(user, "accreditation.decide", None)


def test_superuser_holds_everything_only_after_the_second_factor(event, settings):
    superuser = make_user(is_superuser=True, is_staff=True)
    assert all(capabilities.has(superuser, name, event) for name in EVENT_CAPABILITIES)
    assert events_with(superuser, "accreditation.view_passports") is None

    settings.MAJLIS_REQUIRE_STAFF_2FA = True
    unverified = type(superuser).objects.get(pk=superuser.pk)
    assert not any(capabilities.has(unverified, name, event) for name in EVENT_CAPABILITIES)
    assert events_with(unverified, "event.manage") == set()
    organiser = make_role(event, EventRole.Role.ORGANISER_ADMIN).user
    assert not capabilities.has(organiser, "event.manage", event)
    organiser.is_verified = lambda: True  # what django-otp's middleware sets after the code
    assert capabilities.has(organiser, "event.manage", event)


def test_roles_are_read_once_per_request(event, django_assert_num_queries):
    user = make_role(event, EventRole.Role.CO_ORGANISER).user
    with django_assert_num_queries(1):
        for name in EVENT_CAPABILITIES:
            capabilities.has(user, name, event)
        event_capabilities(user, event)


def test_roles_in_several_events_add_up(event, other_event):
    user = make_role(event, EventRole.Role.SECURITY_OFFICER).user
    make_role(other_event, EventRole.Role.CO_ORGANISER, user=user)
    assert events_with(user, "accreditation.view") == {event.pk, other_event.pk}
    assert events_with(user, "accreditation.view_passports") == {event.pk}
    assert events_with(user, "event.manage") == {other_event.pk}


def test_an_unknown_capability_is_an_error(event):
    with pytest.raises(LookupError):
        capabilities.has(make_user(), "accreditation.approve", event)
    with pytest.raises(ValueError):
        capabilities.declare("nodot", "no app", lambda user, obj: True)


def test_accreditation_extends_streams_to_approved_online_participants(event, other_event):
    online = make_user()
    make_application(event, user=online, mode=Mode.ONLINE, status=Application.Status.APPROVED)
    in_person = make_user()
    make_application(event, user=in_person, mode=Mode.IN_PERSON, status=Application.Status.APPROVED)
    waiting = make_user()
    make_application(event, user=waiting, mode=Mode.ONLINE, status=Application.Status.SUBMITTED)
    assert capabilities.has(online, "programme.view_streams", event)
    assert not capabilities.has(type(online).objects.get(pk=online.pk), "programme.view_streams", other_event)
    assert not capabilities.has(in_person, "programme.view_streams", event)
    assert not capabilities.has(waiting, "programme.view_streams", event)
    # the extension adds streams only: an online participant holds nothing else
    assert not capabilities.has(online, "event.view_unpublished", event)


def test_extend_lets_another_predicate_grant_a_capability(event):
    name = "event.manage_tokens"
    user = make_user(username="token-minter")
    assert not capabilities.has(user, name, event)
    before = capabilities.declared()[name]
    try:
        capabilities.extend(name, lambda u, obj: getattr(u, "username", "") == "token-minter")
        assert capabilities.has(user, name, event)
        assert not capabilities.has(make_user(), name, event)
        organiser = make_role(event, EventRole.Role.ORGANISER_ADMIN).user
        assert capabilities.has(organiser, name, event)  # the roles still grant it
    finally:
        from majlis.events.rules import declare_event_capability

        declare_event_capability(name, before.label)  # back to the roles alone for other tests
    assert not capabilities.has(type(user).objects.get(pk=user.pk), name, event)


def test_the_can_tag_answers_what_the_views_check(event, rf: RequestFactory):
    from django.template import Context, Template

    template = Template('{% load capabilities %}{% can "accreditation.decide" event as ok %}{{ ok }}')
    request = rf.get("/")
    request.user = make_role(event, EventRole.Role.ACCREDITATION_OFFICER).user
    assert template.render(Context({"request": request, "event": event})) == "True"
    request.user = make_role(event, EventRole.Role.SECURITY_OFFICER).user
    assert template.render(Context({"request": request, "event": event})) == "False"
    request.user = AnonymousUser()
    assert template.render(Context({"request": request, "event": event})) == "False"


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (EventRole.Role.CO_ORGANISER, ["Draft programme", "Participants", "Registration settings"], []),
        (
            EventRole.Role.ACCREDITATION_OFFICER,
            ["Participants", "Delegations"],
            ["Registration settings", "Draft programme"],
        ),
        (EventRole.Role.SECURITY_OFFICER, ["Participants"], ["Registration settings", "Invitation codes"]),
        (EventRole.Role.SIDE_EVENT_ORGANISER, ["Draft programme"], ["Participants", "Registration settings"]),
        (EventRole.Role.JOURNALIST, [], ["Organiser tools"]),
    ],
)
def test_the_organiser_tools_show_each_role_only_its_pages(client, event, role, shown, hidden):
    client.force_login(make_role(event, role).user)
    html = client.get(f"/en/{event.slug}/").content.decode()
    start = html.find('<nav class="organiser-tools"')
    tools = html[start : html.index("</nav>", start)] if start >= 0 else ""
    for label in shown:
        assert f">{label}</a>" in tools, label
    for label in hidden:
        assert f">{label}</a>" not in tools, label
    assert (start >= 0) == bool(shown)
