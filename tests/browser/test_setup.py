"""An organiser sets up the next conference of the series in a real browser: created from the earlier
one, registration opened by dates, an invitation code issued and used on the registration form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from majlis.accreditation.models import AccreditationSettings, Application, Category, InvitationCode
from majlis.events.models import Event, EventRole
from tests.browser.conftest import assert_accessible
from tests.browser.test_accreditation_applicants import fill_person, fill_travel, photo_file
from tests.factories import PASSWORD, make_accreditation_event, make_role, make_series, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def earlier(db):
    series = make_series(slug="jpoa-central-asia", name_en="Regional JPoA conferences")
    event = make_accreditation_event(series=series, slug="tashkent-2022", title_en="Tashkent conference 2022")
    Category.objects.filter(event=event, code="expert").update(colour="#123456", in_person_quota=40)
    return event


@pytest.fixture
def organiser(earlier):
    user = make_user(username="officer")
    make_role(earlier, EventRole.Role.ORGANISER_ADMIN, user=user)
    return user


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/en/account/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/**")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_organiser_creates_the_next_conference_opens_registration_and_issues_a_code(
    page, browser, live_server, earlier, organiser
):
    start = timezone.localdate() + timedelta(days=90)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/en/{earlier.slug}/")
    page.get_by_role("link", name="New conference of this series").click()
    page.wait_for_url("**/en/manage/events/new/?from=*")
    assert page.locator("[name=time_zone]").input_value() == "Asia/Tashkent"
    assert_accessible(page)

    page.locator("[name=slug]").fill("tashkent-2026")
    page.locator("[name=title_en]").fill("Tashkent conference 2026")
    page.locator("[name=title_ru]").fill("Ташкентская конференция 2026")
    page.locator("[name=title_uz]").fill("Toshkent konferensiyasi 2026")
    page.locator("[name=short_title_en]").fill("Tashkent 2026")
    page.locator("[name=summary_en]").fill("The next regional conference.")
    page.locator("[name=start_date]").fill(start.isoformat())
    page.locator("[name=end_date]").fill(start.isoformat())  # corrected below after the error
    page.locator("[name=end_date]").fill((start - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Create the conference").click()
    # The wrong last day is refused; everything typed is still there.
    page.locator(".notice-error").wait_for()
    assert page.locator("[name=title_ru]").input_value() == "Ташкентская конференция 2026"
    assert page.locator("#id_end_date").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.locator("[name=end_date]").fill((start + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Create the conference").click()
    page.wait_for_url("**/en/tashkent-2026/manage/registration/")
    assert_accessible(page)

    event = Event.objects.get(slug="tashkent-2026")
    assert Category.objects.get(event=event, code="expert").colour == "#123456"
    problems = page.locator(".setup-problems").inner_text()
    assert "The conference is a draft" in problems
    page.get_by_role("button", name="Publish the conference").click()
    page.wait_for_load_state()
    assert "The conference is published" in page.locator(".messages").inner_text()

    # Registration opens by dates: from yesterday until the day before the conference.
    page.locator("[name=registration_opens_at]").fill(f"{(start - timedelta(days=91)).isoformat()}T09:00")
    page.locator("[name=registration_closes_at]").fill(f"{(start - timedelta(days=1)).isoformat()}T18:00")
    page.locator("[name=in_person_capacity]").fill("400")
    page.get_by_role("button", name="Save the settings").click()
    page.wait_for_load_state()
    assert "The registration settings are saved" in page.locator(".messages").inner_text()
    settings_row = AccreditationSettings.objects.get(event=event)
    assert settings_row.registration_closes_at.astimezone(event.tz).hour == 18
    assert page.locator(".setup-problems").count() == 0
    assert_accessible(page)

    # An invitation code for donors, who cannot apply without one.
    page.get_by_role("link", name="Invitation codes").first.click()
    page.wait_for_url("**/manage/invitation-codes/")
    page.locator("[name=category]").select_option(label="Donor")
    page.locator("[name=label]").fill("Donor agencies")
    page.locator("[name=max_uses]").fill("5")
    page.get_by_role("button", name="Make the code").click()
    page.locator("#new-code").wait_for()
    code = page.locator(".invitation-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert_accessible(page)

    # A donor uses it on the public registration form (another browser, not logged in).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    applicant = context.new_page()
    applicant.goto(f"{live_server.url}/en/tashkent-2026/register/?code={code}")
    assert "admits you in the category “Donor”" in applicant.locator("main").inner_text()
    fill_person(applicant, email="donor@example.org", family="Smith", given="Anna", native="Anna Smith")
    applicant.locator("input[name=photo]").set_input_files(photo_file())
    applicant.locator(".crop-tool").wait_for(state="visible")
    fill_travel(applicant, event, "GB1234567")
    applicant.get_by_label("I have read the privacy notice").check()
    applicant.get_by_role("button", name="Submit my application").click()
    applicant.wait_for_url("**/register/done/")
    assert_accessible(applicant)
    context.close()

    application = Application.objects.get(event=event)
    assert application.category.code == "donor"
    assert InvitationCode.objects.get(label="Donor agencies").uses == 1
    page.reload()
    assert "1 of 5" in page.locator("main table").inner_text()


def test_event_creation_page_on_a_phone(phone_page, live_server, earlier, organiser):
    page = phone_page
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/en/manage/events/new/")
    assert fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("button", name="Create the conference").click()
    page.locator(".notice-error").wait_for()
    assert fits_the_screen(page)
    assert_accessible(page)
