"""An organiser invites a participant to a closed side event by hand, on a phone, then withdraws it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from majlis.accreditation.models import Application, SessionInvitation, SessionSeat
from majlis.core.models import AuditEntry
from majlis.programme.models import Session
from tests.browser.conftest import assert_accessible
from tests.browser.test_accreditation_focal_point import log_in
from tests.factories import PASSWORD, make_accreditation_event, make_application, make_role, make_session, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(db):
    start = timezone.localdate() + timedelta(days=60)
    return make_accreditation_event(start_date=start, end_date=start + timedelta(days=1))


def test_organiser_invites_to_a_closed_session_and_withdraws_on_a_phone(phone_page, page_problems, live_server, event):
    page = phone_page
    closed = make_session(
        event, kind="side_event", title_en="Donors' round table", access=Session.Access.INVITATION, capacity=12
    )
    expert = make_application(
        event, status=Application.Status.APPROVED, category="expert", family_name="Karimova", given_names="Dilnoza"
    )
    organiser = make_role(event, "organiser_admin", user=make_user(username="organiser")).user
    log_in(page, live_server.url, organiser.username, PASSWORD)

    detail = f"{live_server.url}/en/{event.slug}/manage/participants/{expert.pk}/"
    page.goto(detail)
    assert "Not invited to any session by hand." in page.locator("main").inner_text()
    assert_accessible(page)

    # Without a choice, the form explains; nothing is changed.
    page.get_by_role("button", name="Invite to the session").click()
    page.wait_for_load_state()
    assert "Choose the session to invite this person to." in page.locator("main").inner_text()
    assert_accessible(page)
    assert not SessionInvitation.objects.exists()
    # The refused form is answered 400 (as every organiser form with errors); Chromium logs that status.
    assert page_problems.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page_problems.console_errors.clear()

    page.locator("select[name=session]").select_option(str(closed.pk))
    page.get_by_role("button", name="Invite to the session").click()
    page.wait_for_url(detail)
    assert "is invited to “Donors' round table” (seat: confirmed)" in page.locator(".messages").inner_text()
    assert SessionSeat.objects.get(application=expert, session=closed).status == SessionSeat.Status.CONFIRMED
    assert_accessible(page)

    page.get_by_role("button", name="Withdraw the invitation to “Donors' round table”").click()
    page.wait_for_url(detail)
    assert "is withdrawn" in page.locator(".messages").inner_text()
    assert not SessionSeat.objects.filter(application=expert).exists()
    assert AuditEntry.objects.filter(action="accreditation.session_invitation_withdrawn").exists()
    assert_accessible(page)
