"""An organiser sets up a zone and its gate in a real browser, watches the live attendance page update
by itself when a badge is scanned, and reads the scan log and the conflicts; axe-core checks each page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from majlis.accreditation.models import Application
from majlis.accreditation.services import approve_application
from majlis.badges import services as badge_services
from majlis.events.models import EventRole
from majlis.gates.models import Zone
from majlis.gates.services import record_scan
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_accreditation_event, make_application, make_role, make_user, make_venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(db):
    today = timezone.localdate()
    event = make_accreditation_event(
        slug="gates-browser",
        title_en="Gates conference",
        start_date=today + timedelta(days=1),
        end_date=today + timedelta(days=2),
        venue=make_venue(),
    )
    make_role(event, EventRole.Role.ORGANISER_ADMIN, user=make_user(username="organiser"))
    return event


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/en/account/login/")
    page.get_by_label("Username").fill("organiser")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/**")


def test_organiser_sets_up_a_zone_and_watches_the_gates(live_server, page, page_problems, event):
    base = f"{live_server.url}/en/{event.slug}/manage/gates"
    log_in(page, live_server.url)
    page.goto(f"{base}/")
    assert_accessible(page)

    # No English name: refused, what was typed stays.
    page.get_by_label("Name [ru]").fill("Пленарный зал")
    page.get_by_role("group", name="Categories allowed in").get_by_label("Expert").check()
    page.get_by_role("button", name="Add the zone").click()
    page.locator(".notice-error").wait_for()
    assert page.get_by_label("Name [ru]").input_value() == "Пленарный зал"
    assert page.get_by_role("group", name="Categories allowed in").get_by_label("Expert").is_checked()
    assert_accessible(page)
    page_problems.console_errors[:] = [m for m in page_problems.console_errors if "status of 400" not in m]

    page.get_by_label("Name [en]").fill("Plenary hall")
    page.get_by_label("Scan on the way out").check()
    page.get_by_role("button", name="Add the zone").click()
    page.get_by_role("heading", name="Zone “Plenary hall”").wait_for()
    assert_accessible(page)
    page.get_by_label("Name [en]").first.fill("North entrance")
    page.get_by_role("button", name="Add the gate").click()
    page.get_by_text("The gate “North entrance” is added.").wait_for()
    zone = Zone.objects.get(event=event)
    assert zone.exit_scanning and zone.name_ru == "Пленарный зал" and zone.gates.get().name_en == "North entrance"

    # The live page updates by itself when a badge is scanned.
    page.goto(f"{base}/live/")
    row = page.get_by_role("row", name="Plenary hall")
    assert row.get_by_role("cell").nth(1).inner_text() == "0"
    assert_accessible(page)
    application = make_application(event, status=Application.Status.SUBMITTED, category="expert")
    organiser = make_user(username="approver")
    make_role(event, EventRole.Role.ORGANISER_ADMIN, user=organiser)
    approve_application(application, actor=organiser)
    badge = badge_services.sync_badge(application)
    record_scan(event, zone=zone, text=badge_services.token_for(badge), nonce="browser-1", gate=zone.gates.get())
    page.wait_for_function(
        "() => [...document.querySelectorAll('#live-figures tr')].some("
        "r => r.innerText.includes('Plenary hall') && r.querySelectorAll('td')[0].innerText.trim() === '1')",
        timeout=15_000,
    )
    assert_accessible(page)
    page.get_by_role("link", name="Pause the updates").click()
    page.get_by_text("The figures are paused.").wait_for()

    page.goto(f"{base}/scans/")
    assert page.get_by_text(badge.number).is_visible()
    assert_accessible(page)
    page.goto(f"{base}/conflicts/")
    page.get_by_text("No conflict to look at.").wait_for()
    assert_accessible(page)
