"""A focal point can never accredit anyone: categories are the organisers' to give, and every member
waits for the organisers' decision on the delegation's credentials and on the member."""

from __future__ import annotations

import contextlib
import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from majlis.accreditation import services
from majlis.accreditation.models import Application, Category, Delegation
from majlis.core.models import AuditEntry
from majlis.events.models import EventRole
from tests.accreditation.delegation_helpers import member_post, url
from tests.factories import PDF_BYTES, make_accreditation_event, make_category, make_organisation, make_role, make_user

S = Application.Status
PDF = PDF_BYTES  # a well-formed PDF: uploads are opened and cleaned with pikepdf
NEVER_FOR_DELEGATIONS = {"organiser-staff", "interpreter", "security-support", "media"}


def note_verbale() -> SimpleUploadedFile:
    return SimpleUploadedFile("note-verbale.pdf", PDF, content_type="application/pdf")


def member(n: int = 1, **changes) -> dict:
    data = {
        "family_name": f"Alimov{n}",
        "given_names": "Bakhtiyor",
        "email": f"member{n}@mfa.example",
        "language": "ru",
        "nationality": "TJ",
        "organisation_name": "Ministry of Foreign Affairs",
        "position": "Counsellor",
        "mode": "online",
    }
    data.update(changes)
    return data


@pytest.fixture
def event(db):
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


def code(event, value: str) -> Category:
    return Category.objects.get(event=event, code=value)


def invited_without_category(event, organiser, kind=Delegation.Kind.MEMBER_STATE) -> tuple[Delegation, object]:
    delegation = services.invite_delegation(
        event,
        make_organisation(kind="government", country="TJ"),
        kind=kind,
        focal_point_email="focal.tj@mfa.example",
        language="ru",
        actor=organiser,
    )
    focal = make_user(email="focal.tj@mfa.example")
    services.claim_delegation(delegation, focal)
    return delegation, focal


# --- The escalation as it was found ----------------------------------------------------------------


def test_escalation_focal_point_cannot_accredit_organiser_staff_through_the_member_form(client, event, organiser):
    """Invited without a category, the focal point was offered every category and "Organiser staff" was
    approved at once on submission. Now the form does not offer it and a forged post is refused."""
    delegation, focal = invited_without_category(event, organiser)
    staff = code(event, "organiser-staff")
    client.force_login(focal)
    form_page = client.get(url("focal-member-new", event, pk=delegation.pk)).content.decode()
    for forbidden in ("organiser-staff", "interpreter", "security-support", "media"):
        assert f'value="{code(event, forbidden).pk}"' not in form_page
    assert f'value="{code(event, "delegate").pk}"' in form_page

    response = client.post(url("focal-member-new", event, pk=delegation.pk), member_post(category=str(staff.pk)))
    assert response.status_code == 400
    assert not Application.objects.filter(delegation=delegation).exists()

    services.add_delegation_document(delegation, note_verbale(), "note_verbale", actor=focal)
    client.post(url("focal-member-new", event, pk=delegation.pk), member_post(category=str(code(event, "delegate").pk)))
    client.post(url("focal-submit", event, pk=delegation.pk))
    nominated = Application.objects.get(delegation=delegation)
    assert nominated.category.code == "delegate"
    assert nominated.status == S.SUBMITTED  # waiting for the organisers, not approved


@pytest.mark.parametrize("forbidden", sorted(NEVER_FOR_DELEGATIONS))
def test_escalation_nominate_member_refuses_categories_the_organisers_did_not_allow(event, organiser, forbidden):
    delegation, focal = invited_without_category(event, organiser)
    with pytest.raises(ValidationError) as error:
        services.nominate_member(delegation, data=member(category=code(event, forbidden)), actor=focal)
    assert "category" in error.value.message_dict
    assert not Application.objects.filter(delegation=delegation).exists()


def test_escalation_member_cannot_switch_to_a_forbidden_category_later(event, organiser):
    delegation, focal = invited_without_category(event, organiser)
    nominated = services.nominate_member(delegation, data=member(category=code(event, "delegate")), actor=focal)
    with pytest.raises(ValidationError):
        services.update_application(nominated, data={"category": code(event, "organiser-staff")}, actor=focal)
    nominated.refresh_from_db()
    assert nominated.category.code == "delegate"


def test_member_of_a_category_without_approval_waits_for_the_credentials_and_a_decision(event, organiser):
    trusted = make_category(event, code="special-envoy", needs_approval=False, allows_online=True)
    delegation, focal = invited_without_category(event, organiser)
    services.set_delegation_categories(delegation, categories=[trusted], actor=organiser)
    services.add_delegation_document(delegation, note_verbale(), "note_verbale", actor=focal)
    nominated = services.nominate_member(delegation, data=member(category=trusted), actor=focal)
    services.submit_delegation(delegation, actor=focal)
    nominated.refresh_from_db()
    assert nominated.status == S.SUBMITTED  # not approved, whatever the category's rule

    with pytest.raises(ValidationError) as error:
        services.approve_application(nominated, actor=organiser)
    assert error.value.code == "credentials_not_approved"
    with pytest.raises(ValidationError):
        services.waitlist_application(nominated, actor=organiser)

    services.approve_delegation(delegation, actor=organiser)
    services.approve_application(nominated, actor=organiser)
    assert nominated.status == S.APPROVED


def test_waitlisted_member_is_not_promoted_while_the_credentials_are_pending(event, organiser):
    """A member waitlisted before this rule existed stays on the waitlist until the credentials are approved."""
    from tests.factories import make_application

    delegation, _focal = invited_without_category(event, organiser)
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.SUBMITTED)
    waiting = make_application(event, delegation=delegation, category="delegate", status=S.WAITLISTED, mode="in_person")
    services.set_capacity(event, in_person_capacity=100, actor=organiser)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED


def test_category_form_help_says_who_skips_approval(event):
    help_text = str(Category._meta.get_field("needs_approval").help_text)
    assert "invitation code" in help_text
    assert "Delegation members always wait" in help_text


# --- The organisers choose the categories ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Delegation.Kind.MEMBER_STATE, {"head-of-state", "minister", "delegate"}),
        (Delegation.Kind.OBSERVER, {"minister", "delegate"}),
        (Delegation.Kind.ORGANISATION, {"organisation", "un-system"}),
    ],
)
def test_invite_delegation_without_categories_gets_the_kinds_usual_ones(event, organiser, kind, expected):
    delegation, _focal = invited_without_category(event, organiser, kind=kind)
    assert {c.code for c in services.delegation_categories(delegation)} == expected


@pytest.mark.parametrize("forbidden", sorted(NEVER_FOR_DELEGATIONS))
def test_invite_delegation_refuses_staff_interpreters_security_and_media(event, organiser, forbidden):
    with pytest.raises(ValidationError) as error:
        services.invite_delegation(
            event,
            make_organisation(kind="government", country="KG"),
            kind=Delegation.Kind.MEMBER_STATE,
            focal_point_email="focal.kg@mfa.example",
            language="ru",
            actor=organiser,
            categories=[code(event, "delegate"), code(event, forbidden)],
        )
    assert "categories" in error.value.message_dict


def test_a_category_turned_organisers_only_is_no_longer_a_delegations(event, organiser):
    delegation, focal = invited_without_category(event, organiser)
    Category.objects.filter(pk=code(event, "minister").pk).update(for_delegations=False)
    assert "minister" not in {c.code for c in services.delegation_categories(delegation)}
    with pytest.raises(ValidationError):
        services.nominate_member(delegation, data=member(category=code(event, "minister")), actor=focal)


def test_per_category_limit_is_enforced_and_audited(event, organiser):
    delegation, focal = invited_without_category(event, organiser)
    minister, delegate = code(event, "minister"), code(event, "delegate")
    services.set_delegation_categories(
        delegation, categories=[minister, delegate], category_limits={minister.pk: 1}, actor=organiser
    )
    entry = AuditEntry.objects.filter(action="accreditation.delegation_categories_changed").latest("pk")
    assert entry.data["categories"] == {"minister": 1, "delegate": None}
    services.nominate_member(delegation, data=member(1, category=minister), actor=focal)
    with pytest.raises(ValidationError) as error:
        services.nominate_member(delegation, data=member(2, category=minister), actor=focal)
    assert "at most 1 member in the category" in " ".join(error.value.message_dict["category"])
    services.nominate_member(delegation, data=member(3, category=delegate), actor=focal)


def test_set_delegation_categories_keeps_what_members_hold(event, organiser):
    delegation, focal = invited_without_category(event, organiser)
    minister, delegate = code(event, "minister"), code(event, "delegate")
    services.nominate_member(delegation, data=member(1, category=minister), actor=focal)
    services.nominate_member(delegation, data=member(2, category=minister), actor=focal)
    with pytest.raises(ValidationError, match="change or withdraw them first"):
        services.set_delegation_categories(delegation, categories=[delegate], actor=organiser)
    with pytest.raises(ValidationError, match="the limit cannot be lower"):
        services.set_delegation_categories(
            delegation, categories=[minister], category_limits={minister.pk: 1}, actor=organiser
        )
    with pytest.raises(ValidationError, match="default category"):
        services.set_delegation_categories(
            delegation, categories=[minister], default_category=delegate, actor=organiser
        )


def test_organiser_sets_categories_and_limits_on_the_delegation_page(client, event, organiser):
    delegation, _focal = invited_without_category(event, organiser)
    minister, delegate = code(event, "minister"), code(event, "delegate")
    client.force_login(organiser)
    page = client.get(url("detail", event, pk=delegation.pk)).content.decode()
    assert f'name="allow_{code(event, "organiser-staff").pk}"' not in page
    response = client.post(
        url("categories", event, pk=delegation.pk),
        {
            f"allow_{minister.pk}": "on",
            f"limit_{minister.pk}": "2",
            f"allow_{delegate.pk}": "on",
            "default_category": delegate.pk,
        },
    )
    assert response.status_code == 302
    rules = {rule.category.code: rule.member_limit for rule in services.delegation_category_rules(delegation)}
    assert rules == {"minister": 2, "delegate": None}
    none = client.post(url("categories", event, pk=delegation.pk), {})
    assert none.status_code == 400
    assert "Choose at least one category" in html.unescape(none.content.decode())
    zero = client.post(
        url("categories", event, pk=delegation.pk), {f"allow_{minister.pk}": "on", f"limit_{minister.pk}": "0"}
    )
    assert zero.status_code == 400
    assert "greater than or equal to 1" in html.unescape(zero.content.decode())
    rules = {rule.category.code: rule.member_limit for rule in services.delegation_category_rules(delegation)}
    assert rules == {"minister": 2, "delegate": None}  # nothing changed by the refused posts


def test_only_organisers_may_set_a_delegations_categories(client, event, organiser):
    delegation, focal = invited_without_category(event, organiser)
    client.force_login(focal)
    response = client.post(
        url("categories", event, pk=delegation.pk), {f"allow_{code(event, 'organiser-staff').pk}": "on"}
    )
    assert response.status_code in {403, 404}
    assert "organiser-staff" not in {c.code for c in services.delegation_categories(delegation)}


# --- Property: no sequence of focal-point actions accredits anyone -----------------------------------


class FocalPointActions(RuleBasedStateMachine):
    """Whatever a focal point does, in any order, with any category of the event, nobody is approved
    or waitlisted until an organiser decides: the services refuse, the invariant checks the database."""

    def __init__(self) -> None:
        super().__init__()
        self.event = make_accreditation_event()
        self.organiser = make_role(self.event, EventRole.Role.ORGANISER_ADMIN).user
        self.categories = list(Category.objects.filter(event=self.event))
        self.delegation = services.invite_delegation(
            self.event,
            make_organisation(kind="government", country="TM"),
            kind=Delegation.Kind.MEMBER_STATE,
            focal_point_email=f"focal{self.event.pk}@mfa.example",
            language="en",
            actor=self.organiser,
        )
        self.focal = make_user(email=f"focal{self.event.pk}@mfa.example")
        services.claim_delegation(self.delegation, self.focal)
        self.count = 0

    def members(self) -> list[Application]:
        return list(Application.objects.filter(delegation=self.delegation).order_by("pk"))

    def attempt(self, action, *args, **kwargs) -> None:
        with contextlib.suppress(ValidationError):
            action(*args, **kwargs)

    @rule(index=st.integers(0, 20), mode=st.sampled_from(["online", "in_person"]), invite=st.booleans())
    def nominate(self, index: int, mode: str, invite: bool) -> None:
        self.count += 1
        category = self.categories[index % len(self.categories)]
        data = member(self.count, category=category, mode="online")
        if mode == "in_person":
            data.update(mode="in_person", passport_country="TM", passport_expiry=self.event.end_date.replace(year=2040))
            data["passport_number"] = f"TM{self.count:07d}"
        self.attempt(services.nominate_member, self.delegation, data=data, actor=self.focal, invite=invite)

    @rule(index=st.integers(0, 20), which=st.integers(0, 10))
    def change_category(self, index: int, which: int) -> None:
        members = self.members()
        if members:
            target = members[which % len(members)]
            category = self.categories[index % len(self.categories)]
            self.attempt(services.update_application, target, data={"category": category}, actor=self.focal)

    @rule()
    def upload_note_verbale(self) -> None:
        self.attempt(
            services.add_delegation_document, self.delegation, note_verbale(), "note_verbale", actor=self.focal
        )

    @rule()
    def submit_delegation(self) -> None:
        self.attempt(services.submit_delegation, self.delegation, actor=self.focal)

    @rule()
    def submit_new_members(self) -> None:
        self.attempt(services.submit_new_members, self.delegation, actor=self.focal)

    @rule(which=st.integers(0, 10))
    def submit_one(self, which: int) -> None:
        members = self.members()
        if members:
            self.attempt(services.submit_application, members[which % len(members)], actor=self.focal)

    @rule(which=st.integers(0, 10))
    def cancel_one(self, which: int) -> None:
        members = self.members()
        if members:
            self.attempt(services.cancel_application, members[which % len(members)], actor=self.focal)

    @rule(which=st.integers(0, 10))
    def designate_head(self, which: int) -> None:
        members = self.members()
        if members:
            self.attempt(
                services.set_head_of_delegation, self.delegation, members[which % len(members)], actor=self.focal
            )

    @invariant()
    def nobody_accredited_without_an_organiser(self) -> None:
        decided = Application.objects.filter(delegation=self.delegation, status__in=[S.APPROVED, S.WAITLISTED])
        assert not decided.exists()
        forbidden = Application.objects.filter(delegation=self.delegation, category__for_delegations=False)
        assert not forbidden.exists()


@pytest.mark.django_db
def test_property_no_focal_point_sequence_accredits_a_member():
    run_state_machine_as_test(
        FocalPointActions,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
