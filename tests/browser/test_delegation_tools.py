"""An organiser resends an invitation; the host country's security services vet a member (axe on each page)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_accreditation_focal_point import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_resends_and_security_services_vet(page, page_problems, live_server):
    from majlis.accreditation.models import Application, Vetting
    from majlis.core.models import OutboxMessage
    from tests.factories import (
        PASSWORD,
        make_accreditation_event,
        make_application,
        make_delegation,
        make_role,
        make_user,
    )

    event = make_accreditation_event(slug="tashkent-tools")
    organiser = make_role(event, "organiser_admin", user=make_user(username="organiser")).user
    delegation = make_delegation(event, focal_point_email="focal@mfa.example.kz")
    make_application(
        event,
        delegation=delegation,
        category="delegate",
        status=Application.Status.SUBMITTED,
        family_name="Tokayev",
        given_names="Nurlan",
    )
    officer = make_user(username="officer", email="officer@sgb.example.uz")
    make_role(event, "security_officer", user=officer)
    base = live_server.url

    log_in(page, base, organiser.username, PASSWORD)
    page.goto(f"{base}/en/{event.slug}/delegations/{delegation.pk}/")
    page.get_by_role("button", name="Resend the invitation").click()
    page.wait_for_load_state()
    assert page.get_by_text("A new invitation was sent to focal@mfa.example.kz").is_visible()
    assert page.get_by_text("Invitation last sent:").is_visible()
    assert OutboxMessage.objects.filter(template="delegation_invitation").count() == 1
    assert_accessible(page)
    page.goto(f"{base}/en/{event.slug}/delegations/")
    assert page.get_by_text("In protocol order").is_visible()
    assert_accessible(page)
    page.locator("form.logout button").click()
    page.wait_for_load_state()

    log_in(page, base, "officer", PASSWORD)
    page.goto(f"{base}/en/{event.slug}/delegations/vetting/")
    assert_accessible(page)
    member = Application.objects.get(family_name="Tokayev")
    page.locator(f"#id_v{member.pk}-status").select_option("refused")
    page.get_by_role("button", name="Save the vetting of Nurlan Tokayev").click()
    page.wait_for_load_state()
    assert page.get_by_text("Give the reason for the refusal in the note").first.is_visible()
    assert_accessible(page)
    # The refused form is answered with HTTP 400, which Chromium reports on the console: expected here.
    expected = [m for m in page_problems.console_errors if "status of 400" in m]
    assert len(expected) == 1
    page_problems.console_errors.remove(expected[0])
    page.locator(f"#id_v{member.pk}-note").fill("Listed in the regional watch list.")
    page.get_by_role("button", name="Save the vetting of Nurlan Tokayev").click()
    page.wait_for_load_state()
    assert page.get_by_text("The vetting status of Nurlan Tokayev is now: refused.").is_visible()
    assert Vetting.objects.get(application=member).status == "refused"
