"""The organisers' participant pages: who gets in, filters and search in any script, bulk decisions,
the detail page with its masked passport number, and the failed e-mail panel."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from majlis.accreditation import views_manage
from majlis.accreditation.models import Application, Delegation, SessionSeat
from majlis.core import outbox
from majlis.core.models import AuditEntry, OutboxMessage
from majlis.events.models import EventRole
from tests.factories import (
    make_accreditation_event,
    make_application,
    make_event,
    make_organisation,
    make_role,
    make_session,
    make_user,
)

pytestmark = [pytest.mark.django_db]

S = Application.Status


def url(name, event, **kwargs):
    with translation.override("en"):
        return reverse(f"events:accreditation-manage:{name}", kwargs={"event": event.slug, **kwargs})


@pytest.fixture
def event():
    return make_accreditation_event()


@pytest.fixture
def organiser(event):
    return make_role(event, EventRole.Role.ORGANISER_ADMIN).user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def passport_officer(event):
    user = make_role(event, EventRole.Role.ORGANISER_ADMIN).user
    make_role(event, EventRole.Role.SECURITY_OFFICER, user=user)  # passport numbers are the security officer's
    return user


# --- Access --------------------------------------------------------------------------------------

FORBIDDEN_ROLES = [
    EventRole.Role.PARTICIPANT,
    EventRole.Role.FOCAL_POINT,
    EventRole.Role.JOURNALIST,
    EventRole.Role.SIDE_EVENT_ORGANISER,
    EventRole.Role.GATE_OFFICER,
]


def pages(event, application):
    """(method, url, data) for every page of the participant management."""
    notification = OutboxMessage.objects.create(
        key=f"test:{application.pk}",
        event_id=event.pk,
        related=outbox.related_key(application),
        recipient=application.email,
        language="en",
        template="received",
        subject="Received",
        status=OutboxMessage.Status.GAVE_UP,
        attempts=5,
    )
    return [
        ("get", url("list", event), None),
        ("get", url("statistics", event), None),
        ("get", url("detail", event, pk=application.pk), None),
        ("post", url("bulk", event), {"applications": [application.pk], "action": "start_review"}),
        ("post", url("export", event), {"format": "csv"}),
        ("post", url("passport", event, pk=application.pk), {}),
        ("post", url("retry-mail", event, pk=notification.pk), {}),
    ]


def test_manage_views_declare_their_access():
    expected = {
        "participant_list": "accreditation.view",
        "bulk_action": "accreditation.decide",
        "participant_detail": "accreditation.view",
        "passport_reveal": "accreditation.view_passports",
        "export": "accreditation.view",
        "statistics": "accreditation.view",
        "retry_mail": "accreditation.mail",
    }
    for name, capability in expected.items():
        assert getattr(views_manage, name).majlis_access == capability, name


def test_manage_pages_anonymous_is_sent_to_log_in(client, event):
    application = make_application(event, status=S.SUBMITTED)
    for method, address, data in pages(event, application):
        response = getattr(client, method)(address, data)
        assert response.status_code == 302, address
        assert "/account/login/" in response["Location"], address
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED


@pytest.mark.parametrize("role", FORBIDDEN_ROLES)
def test_manage_pages_other_roles_are_forbidden(client, event, role):
    application = make_application(event, status=S.SUBMITTED, passport_number="AB1234567")
    client.force_login(make_role(event, role).user)
    for method, address, data in pages(event, application):
        assert getattr(client, method)(address, data).status_code == 403, (role, address)
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED
    assert not AuditEntry.objects.filter(action__in=["accreditation.exported", "accreditation.passport_viewed"])


def test_manage_pages_organiser_of_another_event_is_forbidden(client, event):
    application = make_application(event, status=S.SUBMITTED)
    client.force_login(make_role(make_event(), EventRole.Role.ORGANISER_ADMIN).user)
    for method, address, data in pages(event, application):
        assert getattr(client, method)(address, data).status_code == 403, address


@pytest.mark.parametrize("role", [EventRole.Role.ORGANISER_ADMIN, EventRole.Role.CO_ORGANISER])
def test_manage_pages_organisers_get_in(client, event, role):
    application = make_application(event, status=S.SUBMITTED)
    client.force_login(make_role(event, role).user)
    assert client.get(url("list", event)).status_code == 200
    assert client.get(url("statistics", event)).status_code == 200
    assert client.get(url("detail", event, pk=application.pk)).status_code == 200
    response = client.post(url("export", event), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_manage_pages_superuser_gets_in(client, event):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(url("list", event)).status_code == 200


def test_manage_pages_of_a_draft_event_are_not_found_for_others(client):
    event = make_accreditation_event(status="draft")
    client.force_login(make_user())
    assert client.get(url("list", event)).status_code == 404


def test_manage_detail_of_another_events_application_is_not_found(organiser_client, event):
    other = make_application(make_accreditation_event())
    assert organiser_client.get(url("detail", event, pk=other.pk)).status_code == 404


def test_manage_bulk_cannot_touch_another_events_application(organiser_client, event):
    other = make_application(make_accreditation_event(), status=S.SUBMITTED)
    response = organiser_client.post(url("bulk", event), {"applications": [other.pk], "action": "start_review"})
    assert response.status_code == 400
    assert Application.objects.get(pk=other.pk).status == S.SUBMITTED


def test_manage_list_rejects_get_on_post_only_views(organiser_client, event):
    assert organiser_client.get(url("bulk", event)).status_code == 405
    assert organiser_client.get(url("export", event)).status_code == 405


# --- Filters and search ---------------------------------------------------------------------------


@pytest.fixture
def people(event):
    kz = make_organisation(name_en="Ministry of Foreign Affairs of Kazakhstan", acronym_en="MFA KZ", country="KZ")
    delegation = Delegation.objects.create(
        event=event,
        organisation=kz,
        kind=Delegation.Kind.MEMBER_STATE,
        country="KZ",
        focal_point_email="fp@example.org",
    )
    return {
        "ivanov": make_application(
            event,
            family_name="Ivanov",
            given_names="Ivan",
            name_native="Иван Иванов",
            nationality="KZ",
            category="delegate",
            delegation=delegation,
            status=S.APPROVED,
            mode="in_person",
        ),
        "li": make_application(
            event,
            family_name="Li",
            given_names="Wei",
            name_native="李伟",
            nationality="CN",
            category="expert",
            status=S.SUBMITTED,
            mode="online",
            organisation_name="Institute for Eurasian Studies",
        ),
        "yilmaz": make_application(
            event,
            family_name="Yılmaz",
            given_names="Ayşe",
            nationality="TR",
            category="expert",
            status=S.UNDER_REVIEW,
            email="ayse@example.org",
        ),
        "qodirova": make_application(
            event,
            family_name="Qodirova",
            given_names="Nodira",
            name_native="Нодира Кодирова",
            nationality="UZ",
            category="media",
            status=S.WAITLISTED,
            organisation_name="Tashkent Herald",
        ),
        "delegation": delegation,
    }


def listed(response) -> set[str]:
    return {a.family_name for a in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ivanov", {"Ivanov"}),
        ("ivanov", {"Ivanov"}),
        ("иванов", {"Ivanov"}),  # Cyrillic, lower case: SQLite's LIKE alone would miss it
        ("ИВАНОВ", {"Ivanov"}),
        ("Иван Иванов", {"Ivanov"}),
        ("李伟", {"Li"}),
        ("伟", {"Li"}),
        ("yılmaz", {"Yılmaz"}),
        ("ayşe", {"Yılmaz"}),
        ("ayse@example", {"Yılmaz"}),
        ("eurasian", {"Li"}),
        ("кодирова", {"Qodirova"}),
        ("MFA KZ", {"Ivanov"}),
        ("nobody-like-this", set()),
    ],
)
def test_manage_list_search_finds_names_in_any_script(organiser_client, event, people, query, expected):
    response = organiser_client.get(url("list", event), {"q": query})
    assert response.status_code == 200
    assert listed(response) == expected


def test_manage_list_filters(organiser_client, event, people):
    get = lambda **params: listed(organiser_client.get(url("list", event), params))  # noqa: E731
    expert = people["li"].category
    assert get() == {"Ivanov", "Li", "Yılmaz", "Qodirova"}
    assert get(status="waitlisted") == {"Qodirova"}
    assert get(category=expert.pk) == {"Li", "Yılmaz"}
    assert get(delegation=people["delegation"].pk) == {"Ivanov"}
    assert get(nationality="CN") == {"Li"}
    assert get(mode="online") == {"Li"}
    assert get(category=expert.pk, status="submitted") == {"Li"}


def test_manage_list_filters_by_session(organiser_client, event, people):
    side = make_session(event, kind="side_event", capacity=20, title_en="Financing side event")
    SessionSeat.objects.create(application=people["li"], session=side, status=SessionSeat.Status.REQUESTED)
    response = organiser_client.get(url("list", event), {"session": side.pk})
    assert listed(response) == {"Li"}
    assert "Financing side event" in response.content.decode()


def test_manage_list_ignores_an_unknown_filter_value_and_says_so(organiser_client, event, people):
    response = organiser_client.get(url("list", event), {"category": "999999", "q": "Ivanov"})
    assert response.status_code == 200
    assert listed(response) == {"Ivanov"}
    assert response.context["filter_form"].errors["category"]


def test_manage_list_shows_names_in_every_script(organiser_client, event, people):
    html = organiser_client.get(url("list", event)).content.decode()
    for text in ["IVANOV", "Иван Иванов", "李伟", "YILMAZ", "Нодира Кодирова", "Kazakhstan"]:
        assert text in html


def test_manage_list_paginates_and_keeps_the_filters(organiser_client, event):
    for i in range(views_manage.PER_PAGE + 5):
        make_application(event, family_name=f"Person{i:03d}", status=S.SUBMITTED)
    response = organiser_client.get(url("list", event), {"status": "submitted"})
    page = response.context["page"]
    assert len(page.object_list) == views_manage.PER_PAGE and page.has_next()
    assert "status=submitted&amp;page=2" in response.content.decode()
    second = organiser_client.get(url("list", event), {"status": "submitted", "page": 2})
    assert len(second.context["page"].object_list) == 5


def _list_queries(client, event) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("list", event))
    assert response.status_code == 200
    return len(captured)


def test_manage_list_costs_the_same_queries_for_10_or_100_applications(organiser_client, event):
    kz = make_organisation(name_en="Kazakhstan MFA")
    delegation = Delegation.objects.create(
        event=event, organisation=kz, kind="member_state", focal_point_email="fp@example.org"
    )
    side = make_session(event, kind="side_event", capacity=10)

    def add(count):
        for i in range(count):
            application = make_application(
                event,
                status=S.SUBMITTED,
                delegation=delegation if i % 2 else None,
                category="delegate" if i % 2 else "expert",
            )
            SessionSeat.objects.create(application=application, session=side)

    add(10)
    few = _list_queries(organiser_client, event)
    add(90)
    many = _list_queries(organiser_client, event)
    assert few == many, (few, many)


# --- Bulk actions ---------------------------------------------------------------------------------


def test_manage_bulk_approve_reports_each_application(organiser_client, event):
    ready = make_application(event, family_name="Ready", status=S.UNDER_REVIEW)
    also = make_application(event, family_name="Also", status=S.SUBMITTED)
    rejected = make_application(event, family_name="Closed", status=S.REJECTED)
    response = organiser_client.post(
        url("bulk", event),
        {"applications": [ready.pk, also.pk, rejected.pk], "action": "approve", "query": "status=submitted"},
    )
    assert response.status_code == 200
    assert Application.objects.get(pk=ready.pk).status == S.APPROVED
    assert Application.objects.get(pk=also.pk).status == S.APPROVED
    assert Application.objects.get(pk=rejected.pk).status == S.REJECTED
    results = {item["application"].pk: item["error"] for item in response.context["results"]}
    assert results[ready.pk] is None and results[also.pk] is None
    assert results[rejected.pk]
    html = response.content.decode()
    assert "CLOSED" in html and "Not changed" in html
    assert "?status=submitted" in response.context["back"]
    assert AuditEntry.objects.filter(action="accreditation.approved", object_id=str(ready.pk)).exists()


def test_manage_bulk_reject_needs_a_reason(organiser_client, event):
    application = make_application(event, status=S.UNDER_REVIEW)
    response = organiser_client.post(url("bulk", event), {"applications": [application.pk], "action": "reject"})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == S.UNDER_REVIEW


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("reject", S.UNDER_REVIEW, S.REJECTED),
        ("withdraw", S.APPROVED, S.WITHDRAWN),
        ("waitlist", S.SUBMITTED, S.WAITLISTED),
        ("start_review", S.SUBMITTED, S.UNDER_REVIEW),
    ],
)
def test_manage_bulk_actions_change_status_with_the_reason(organiser_client, event, action, start, end):
    applications = [make_application(event, status=start) for _ in range(3)]
    response = organiser_client.post(
        url("bulk", event),
        {"applications": [a.pk for a in applications], "action": action, "reason": "Quota of the category reached."},
    )
    assert response.status_code == 200
    for application in applications:
        application.refresh_from_db()
        assert application.status == end
        if action in {"reject", "withdraw"}:
            assert application.decision_reason == "Quota of the category reached."


def test_manage_bulk_without_a_selection_is_explained(organiser_client, event):
    response = organiser_client.post(url("bulk", event), {"action": "approve"})
    assert response.status_code == 400
    assert "Select at least one application." in response.content.decode()


def test_manage_bulk_needs_csrf(event, organiser):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    application = make_application(event, status=S.SUBMITTED)
    response = client.post(url("bulk", event), {"applications": [application.pk], "action": "start_review"})
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED


# --- Detail and passport number -------------------------------------------------------------------


def test_manage_detail_shows_the_data_but_masks_the_passport_number(organiser_client, event):
    application = make_application(
        event,
        family_name="Ivanov",
        given_names="Ivan",
        name_native="Иван Иванов",
        passport_number="N12345678",
        dietary_needs="Halal",
        status=S.SUBMITTED,
    )
    response = organiser_client.get(url("detail", event, pk=application.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Иван Иванов" in html and "Halal" in html
    assert "N12345678" not in html
    assert "no-store" in response["Cache-Control"]
    assert "Show the passport number" not in html  # this organiser lacks the permission


def test_manage_list_and_detail_views_are_audited(organiser_client, organiser, event):
    application = make_application(event, family_name="Ivanov")
    organiser_client.get(url("list", event), {"q": "Ivanov"})
    listed_entry = AuditEntry.objects.get(action="accreditation.participants_listed")
    assert listed_entry.actor == organiser and listed_entry.event_slug == event.slug
    assert listed_entry.data["filters"] == {"q": "Ivanov"} and listed_entry.data["rows"] == 1
    organiser_client.get(url("detail", event, pk=application.pk))
    viewed = AuditEntry.objects.get(action="accreditation.application_viewed")
    assert viewed.actor == organiser and viewed.object_id == str(application.pk)


def test_manage_passport_reveal_needs_the_permission(organiser_client, event):
    application = make_application(event, passport_number="N12345678")
    response = organiser_client.post(url("passport", event, pk=application.pk))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="accreditation.passport_viewed").exists()


def test_manage_passport_reveal_shows_it_once_and_audits(client, event):
    officer = passport_officer(event)
    client.force_login(officer)
    application = make_application(event, passport_number="N12345678")
    page = client.get(url("detail", event, pk=application.pk)).content.decode()
    assert "Show the passport number" in page and "N12345678" not in page
    response = client.post(url("passport", event, pk=application.pk))
    assert response.status_code == 200
    assert "N12345678" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="accreditation.passport_viewed")
    assert entry.actor == officer and entry.object_id == str(application.pk)
    assert "N12345678" not in str(entry.data) and "N12345678" not in entry.object_repr


def test_manage_passport_reveal_refuses_get(client, event):
    client.force_login(passport_officer(event))
    application = make_application(event, passport_number="N12345678")
    assert client.get(url("passport", event, pk=application.pk)).status_code == 405


def test_manage_detail_shows_the_history_with_reasons(organiser_client, event):
    application = make_application(event, status=S.UNDER_REVIEW)
    organiser_client.post(
        url("bulk", event), {"applications": [application.pk], "action": "reject", "reason": "No nomination letter."}
    )
    html = organiser_client.get(url("detail", event, pk=application.pk)).content.decode()
    assert "accreditation.rejected" in html and "No nomination letter." in html


# --- Failed e-mails -------------------------------------------------------------------------------


def test_manage_list_shows_failed_emails(organiser_client, event):
    application = make_application(event, email="bounce@example.org")
    for i, status in enumerate([OutboxMessage.Status.FAILED, OutboxMessage.Status.GAVE_UP, OutboxMessage.Status.SENT]):
        OutboxMessage.objects.create(
            key=f"k{i}",
            event_id=event.pk,
            related=outbox.related_key(application),
            recipient=f"r{i}@example.org",
            language="en",
            template="received",
            subject="Your application",
            status=status,
            attempts=1,
            last_error="SMTPRecipientsRefused",
        )
    html = organiser_client.get(url("list", event)).content.decode()
    assert "2 e-mails could not be sent" in html
    assert "r0@example.org" in html and "r1@example.org" in html and "r2@example.org" not in html
    assert "SMTPRecipientsRefused" in html


def test_manage_failed_email_panel_is_absent_when_all_went_out(organiser_client, event):
    assert "could not be sent" not in organiser_client.get(url("list", event)).content.decode()


def test_manage_retry_failed_email_queues_it_again(organiser_client, event):
    application = make_application(event)
    notification = OutboxMessage.objects.create(
        key="retry-me",
        event_id=event.pk,
        related=outbox.related_key(application),
        recipient="x@example.org",
        language="en",
        template="received",
        subject="Your application",
        status=OutboxMessage.Status.GAVE_UP,
        attempts=5,
    )
    response = organiser_client.post(url("retry-mail", event, pk=notification.pk), {"query": "status=approved"})
    assert response.status_code == 302 and response["Location"].endswith("?status=approved")
    notification.refresh_from_db()
    assert notification.status in {OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED}
    assert AuditEntry.objects.filter(action="mail.retried").exists()


def test_manage_retry_of_another_events_email_is_not_found(organiser_client, event):
    other_event = make_accreditation_event()
    notification = OutboxMessage.objects.create(
        key="other",
        event_id=other_event.pk,
        recipient="x@example.org",
        language="en",
        template="received",
        subject="s",
        status=OutboxMessage.Status.GAVE_UP,
    )
    assert organiser_client.post(url("retry-mail", event, pk=notification.pk)).status_code == 404


# --- Pages in every language ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_manage_pages_render_in_every_language(organiser_client, event, people, language):
    for name, kwargs in [("list", {}), ("statistics", {}), ("detail", {"pk": people["li"].pk})]:
        with translation.override(language):
            address = reverse(f"events:accreditation-manage:{name}", kwargs={"event": event.slug, **kwargs})
        response = organiser_client.get(address)
        assert response.status_code == 200
        assert f'<html lang="{language}"' in response.content.decode()


def test_manage_pages_have_no_inline_script_or_style(organiser_client, event, people):
    for address in [url("list", event), url("statistics", event), url("detail", event, pk=people["li"].pk)]:
        html = organiser_client.get(address).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), address
        assert " style=" not in html, address
