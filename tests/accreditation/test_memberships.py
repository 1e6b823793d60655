"""Delegations act through people: memberships, their capabilities, the audit's "on behalf of" (issue 8)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from majlis.accreditation import queries, services
from majlis.accreditation.models import Delegation, DelegationMembership
from majlis.core import audit, capabilities
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.accreditation.delegation_helpers import *  # noqa: F403 - the fixtures
from tests.accreditation.delegation_helpers import url
from tests.factories import make_application, make_role, make_user

Role = DelegationMembership.Role


# --- Memberships and their services ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_holds_one_membership_per_role(delegation, focal_point):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationMembership.objects.create(delegation=delegation, user=focal_point, role=Role.FOCAL_POINT)
    DelegationMembership.objects.create(delegation=delegation, user=focal_point, role=Role.NEGOTIATOR)
    assert delegation.roles_of(focal_point) == {Role.FOCAL_POINT, Role.NEGOTIATOR}


@pytest.mark.django_db
def test_delegations_of_filters_by_role_and_event(event, delegation, focal_point, other_delegation):
    DelegationMembership.objects.create(delegation=other_delegation, user=focal_point, role=Role.NEGOTIATOR)
    assert set(queries.delegations_of(focal_point)) == {delegation, other_delegation}
    assert list(queries.delegations_of(focal_point, Role.FOCAL_POINT)) == [delegation]
    assert list(queries.delegations_of(focal_point, Role.NEGOTIATOR, event=event)) == [other_delegation]
    assert list(queries.focal_points(delegation)) == [focal_point]


@pytest.mark.django_db
def test_a_focal_point_adds_a_deputy_who_may_then_prepare_the_delegation(event, delegation, focal_point):
    membership = services.add_delegation_member(
        delegation, email="Deputy@Example.org", role=Role.FOCAL_POINT, actor=focal_point
    )
    deputy = membership.user
    assert deputy.email.lower() == "deputy@example.org" and membership.created_by == focal_point
    assert set(delegation.focal_points()) == {focal_point, deputy}
    assert capabilities.has(deputy, "delegation.manage", Delegation.objects.get(pk=delegation.pk))
    assert EventRole.objects.filter(event=event, user=deputy, role=EventRole.Role.FOCAL_POINT).exists()
    entry = AuditEntry.objects.get(action="accreditation.delegation_member_added")
    assert entry.data["role"] == Role.FOCAL_POINT and entry.data["person"] == deputy.pk
    assert entry.data["on_behalf_of"] == f"accreditation.delegation:{delegation.pk}"


@pytest.mark.django_db
def test_adding_the_same_role_twice_or_another_role_is_refused(delegation, focal_point):
    services.add_delegation_member(delegation, email="neg@example.org", role=Role.NEGOTIATOR, actor=focal_point)
    with pytest.raises(ValidationError) as error:
        services.add_delegation_member(delegation, email="neg@example.org", role=Role.NEGOTIATOR, actor=focal_point)
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_delegation_member(
            delegation, email="head@example.org", role=Role.HEAD_OF_DELEGATION, actor=focal_point
        )
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.add_delegation_member(delegation, email="not-an-address", role=Role.NEGOTIATOR, actor=focal_point)


@pytest.mark.django_db
def test_the_last_focal_point_cannot_be_removed_but_a_deputy_can(delegation, focal_point):
    own = delegation.memberships.get(user=focal_point)
    with pytest.raises(ValidationError):
        services.remove_delegation_member(own, actor=focal_point)
    deputy = services.add_delegation_member(
        delegation, email="deputy@example.org", role=Role.FOCAL_POINT, actor=focal_point
    )
    services.remove_delegation_member(deputy, actor=focal_point)
    assert list(delegation.focal_points()) == [focal_point]
    entry = AuditEntry.objects.get(action="accreditation.delegation_member_removed")
    assert entry.data["on_behalf_of"] == f"accreditation.delegation:{delegation.pk}"


@pytest.mark.django_db
def test_designating_the_head_of_delegation_makes_their_account_a_head_membership(delegation, focal_point, event):
    first_user, second_user = make_user(), make_user()
    first = make_application(event, delegation=delegation, category="delegate", user=first_user)
    second = make_application(event, delegation=delegation, category="delegate", user=second_user)
    services.set_head_of_delegation(delegation, first, actor=focal_point)
    assert list(delegation.members_with_role(Role.HEAD_OF_DELEGATION)) == [first_user]
    services.set_head_of_delegation(delegation, second, actor=focal_point)
    assert list(delegation.members_with_role(Role.HEAD_OF_DELEGATION)) == [second_user]
    without_account = make_application(event, delegation=delegation, category="delegate", user=None)
    services.set_head_of_delegation(delegation, without_account, actor=focal_point)
    assert not delegation.members_with_role(Role.HEAD_OF_DELEGATION).exists()


# --- Capabilities on a delegation --------------------------------------------------------------------


@pytest.mark.django_db
def test_delegation_capabilities_follow_the_roles_in_this_delegation_only(event, delegation, other_delegation):
    negotiator, member, head = make_user(), make_user(), make_user()
    DelegationMembership.objects.create(delegation=delegation, user=negotiator, role=Role.NEGOTIATOR)
    DelegationMembership.objects.create(delegation=delegation, user=member, role=Role.MEMBER)
    DelegationMembership.objects.create(delegation=delegation, user=head, role=Role.HEAD_OF_DELEGATION)
    focal = delegation.focal_points().get()
    other_focal = other_delegation.focal_points().get()
    table = {
        focal: {"delegation.manage", "delegation.view", "documents.negotiate"},
        head: {"delegation.view", "documents.negotiate"},
        negotiator: {"delegation.view", "documents.negotiate"},
        member: {"delegation.view"},
        other_focal: set(),
        make_user(): set(),
    }
    names = ["delegation.manage", "delegation.view", "documents.negotiate"]
    for user, expected in table.items():
        fresh = Delegation.objects.get(pk=delegation.pk)
        assert {name for name in names if capabilities.has(user, name, fresh)} == expected, user
    assert {name for name in names if capabilities.has(other_focal, name, other_delegation)} == set(names)


@pytest.mark.django_db
def test_event_capabilities_reach_delegations_but_not_tokens(event, delegation):
    organiser = make_role(event, EventRole.Role.ORGANISER_ADMIN).user
    officer = make_role(event, EventRole.Role.ACCREDITATION_OFFICER).user
    assert capabilities.has(organiser, "delegation.manage", delegation)
    assert not capabilities.has(organiser, "documents.negotiate", delegation)
    assert capabilities.has(officer, "delegation.view", delegation)
    assert not capabilities.has(officer, "delegation.manage", delegation)
    # Asked of the event, they are nobody's: never offered as an API token's scope.
    assert not capabilities.has(organiser, "delegation.manage", event)


# --- Object-level access -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_deputy_reaches_the_delegation_and_a_negotiator_does_not_prepare_it(client, event, delegation, focal_point):
    deputy = services.add_delegation_member(
        delegation, email="deputy@example.org", role=Role.FOCAL_POINT, actor=focal_point
    ).user
    negotiator = services.add_delegation_member(
        delegation, email="neg@example.org", role=Role.NEGOTIATOR, actor=focal_point
    ).user
    client.force_login(deputy)
    assert client.get(url("focal", event, pk=delegation.pk)).status_code == 200
    client.force_login(negotiator)
    assert client.get(url("focal", event, pk=delegation.pk)).status_code == 404


@pytest.mark.django_db
def test_another_delegations_focal_point_cannot_add_or_remove_people(
    client, event, delegation, focal_point, other_delegation, other_focal_point
):
    client.force_login(other_focal_point)
    response = client.post(
        url("focal-people-add", event, pk=delegation.pk), {"email": "x@example.org", "role": "negotiator"}
    )
    assert response.status_code == 404
    own = delegation.memberships.get(user=focal_point)
    response = client.post(url("focal-people-remove", event, pk=delegation.pk, membership=own.pk))
    assert response.status_code == 404
    assert list(delegation.memberships.values_list("user_id", flat=True)) == [focal_point.pk]


@pytest.mark.django_db
def test_a_membership_of_another_delegation_cannot_be_removed_through_ones_own(
    client, event, delegation, focal_point, other_delegation, other_focal_point
):
    foreign = services.add_delegation_member(
        other_delegation, email="deputy.other@example.org", role=Role.FOCAL_POINT, actor=other_focal_point
    )
    client.force_login(focal_point)
    response = client.post(url("focal-people-remove", event, pk=delegation.pk, membership=foreign.pk))
    assert response.status_code == 404
    assert DelegationMembership.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_the_delegation_page_adds_and_removes_a_negotiator(client, event, delegation, focal_point):
    client.force_login(focal_point)
    response = client.post(
        url("focal-people-add", event, pk=delegation.pk), {"email": "neg@example.org", "role": "negotiator"}
    )
    assert response.status_code == 302
    membership = delegation.memberships.get(role=Role.NEGOTIATOR)
    page = client.get(url("focal", event, pk=delegation.pk)).content.decode()
    assert "neg@example.org" in page
    response = client.post(url("focal-people-remove", event, pk=delegation.pk, membership=membership.pk))
    assert response.status_code == 302
    assert not delegation.memberships.filter(role=Role.NEGOTIATOR).exists()
    bad = client.post(url("focal-people-add", event, pk=delegation.pk), {"email": "nope", "role": "negotiator"})
    assert bad.status_code == 400


# --- On behalf of ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_record_keeps_on_behalf_of_in_the_sealed_data(delegation):
    entry = audit.record("test.acted", obj=delegation, on_behalf_of="accreditation.delegation:7")
    assert entry.data["on_behalf_of"] == "accreditation.delegation:7"
    assert "on_behalf_of" not in audit.record("test.acted", obj=delegation).data


@pytest.mark.django_db
def test_a_focal_point_nominating_acts_on_behalf_of_the_delegation_and_an_organiser_does_not(
    event, delegation, focal_point
):
    application = make_application(event, delegation=delegation, category="delegate")
    services.cancel_application(application, actor=focal_point)
    entry = AuditEntry.objects.filter(object_id=str(application.pk), action__startswith="accreditation.").last()
    assert entry.data["on_behalf_of"] == f"accreditation.delegation:{delegation.pk}"
    assert entry.data["on_behalf_of_name"] == str(delegation)
    organiser = make_role(event, EventRole.Role.ORGANISER_ADMIN).user
    services.resend_delegation_invitation(delegation, actor=organiser)
    assert "on_behalf_of" not in AuditEntry.objects.get(action="accreditation.delegation_invitation_resent").data


@pytest.mark.django_db
def test_the_focal_pages_record_uploads_and_submissions_on_behalf_of_the_delegation(
    client, event, delegation, focal_point
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PDF_BYTES

    client.force_login(focal_point)
    upload = SimpleUploadedFile("nv.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(url("focal-upload", event, pk=delegation.pk), {"kind": "note_verbale", "file": upload})
    entry = AuditEntry.objects.get(action="accreditation.delegation_document_added")
    assert entry.data["on_behalf_of"] == f"accreditation.delegation:{delegation.pk}"


@pytest.mark.django_db
def test_the_participant_history_shows_on_whose_behalf(client, event, delegation, focal_point):
    application = make_application(event, delegation=delegation, category="delegate")
    services.cancel_application(application, actor=focal_point)
    client.force_login(make_role(event, EventRole.Role.ORGANISER_ADMIN).user)
    from django.urls import reverse

    page = client.get(reverse("events:accreditation-manage:detail", kwargs={"event": event.slug, "pk": application.pk}))
    assert page.status_code == 200
    assert f"on behalf of {delegation}" in page.content.decode()


# --- Account page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_account_page_lists_each_delegation_with_the_persons_roles(
    event, delegation, focal_point, other_delegation
):
    DelegationMembership.objects.create(delegation=delegation, user=focal_point, role=Role.NEGOTIATOR)
    DelegationMembership.objects.create(delegation=other_delegation, user=focal_point, role=Role.MEMBER)
    section = queries.account_delegations_section(focal_point)
    assert section is not None
    rows = {row["delegation"].pk: row for row in section["delegations"]}
    assert sorted(str(role) for role in rows[delegation.pk]["roles"]) == ["focal point", "negotiator"]
    assert rows[delegation.pk]["focal_point"] and not rows[other_delegation.pk]["focal_point"]
    assert [str(role) for role in rows[other_delegation.pk]["roles"]] == ["member"]
    assert queries.account_delegations_section(make_user()) is None


# --- The data migration ------------------------------------------------------------------------------


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_focal_points_and_heads_into_memberships_and_back():
    before = [("accreditation", "0010_security_officers_replace_permissions")]
    try:
        old = _migrate(before)
        User = old.get_model("auth", "User")
        Event = old.get_model("events", "Event")
        Organisation = old.get_model("events", "Organisation")
        OldDelegation = old.get_model("accreditation", "Delegation")
        Category = old.get_model("accreditation", "Category")
        Application = old.get_model("accreditation", "Application")
        event = Event.objects.create(
            slug="memberships-migration",
            title_en="m",
            short_title_en="m",
            summary_en="",
            start_date=date(2022, 3, 3),
            end_date=date(2022, 3, 4),
            city_en="Tashkent",
            country="UZ",
        )
        focal = User.objects.create(username="focal-old", email="focal@old.example")
        head = User.objects.create(username="head-old")
        claimed = OldDelegation.objects.create(
            event=event,
            organisation=Organisation.objects.create(name="Kazakhstan", kind="government", country="KZ"),
            kind="member_state",
            focal_point=focal,
            focal_point_email="focal@old.example",
        )
        unclaimed = OldDelegation.objects.create(
            event=event,
            organisation=Organisation.objects.create(name="Kyrgyzstan", kind="government", country="KG"),
            kind="member_state",
            focal_point_email="kg@old.example",
        )
        category = Category.objects.create(event=event, code="delegate", name="Delegate")
        Application.objects.create(
            event=event, delegation=claimed, user=head, category=category, is_head_of_delegation=True
        )
        Application.objects.create(event=event, delegation=claimed, category=category, is_head_of_delegation=False)

        new = _migrate([("accreditation", "0012_remove_delegation_focal_point")])
        Membership = new.get_model("accreditation", "DelegationMembership")
        assert set(Membership.objects.values_list("delegation_id", "user_id", "role")) == {
            (claimed.pk, focal.pk, "focal_point"),
            (claimed.pk, head.pk, "head_of_delegation"),
        }
        assert not Membership.objects.filter(delegation_id=unclaimed.pk).exists()

        back = _migrate(before)
        assert back.get_model("accreditation", "Delegation").objects.get(pk=claimed.pk).focal_point_id == focal.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_another_members_files_are_the_focal_points_not_every_negotiators(client, event, delegation, focal_point):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from tests.factories import PDF_BYTES

    member = make_application(event, delegation=delegation, family_name="Rahimov")
    member.supporting_document.save("card.pdf", ContentFile(PDF_BYTES), save=True)
    negotiator = services.add_delegation_member(
        delegation, email="negotiator@example.org", role=Role.NEGOTIATOR, actor=focal_point
    ).user
    document_url = reverse("accreditation-files:document", kwargs={"application": member.pk})
    client.force_login(negotiator)
    assert client.get(document_url).status_code == 404
    client.force_login(focal_point)
    assert client.get(document_url).status_code == 200
