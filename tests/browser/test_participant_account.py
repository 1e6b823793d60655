"""A participant's account in a real browser: the waitlist position, then a visa-support letter asked for
and downloaded once approved (axe-core on each page, on a phone too); the organiser's mass e-mail pages."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from majlis.accreditation import services
from majlis.accreditation.models import Application, MassMailing, VisaLetter
from majlis.accreditation.services import participants as services_participants
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_accreditation_event, make_application, make_role, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Application.Status


@pytest.fixture
def event(db):
    start = timezone.localdate() + timedelta(days=60)
    event = make_accreditation_event(slug="tashkent-2022", start_date=start, end_date=start + timedelta(days=1))
    capacity = services.ensure_event_setup(event)
    capacity.in_person_capacity = 0
    capacity.save()
    return event


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/en/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/**")


def waitlisted(event, minutes: int, **kwargs):
    return make_application(
        event,
        status=S.WAITLISTED,
        mode="in_person",
        waitlisted_at=timezone.now() - timedelta(minutes=60 - minutes),
        **kwargs,
    )


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_participant_sees_waitlist_position_then_gets_a_visa_letter(request, live_server, event, viewport):
    page = request.getfixturevalue(viewport)
    waitlisted(event, 5)
    user = make_user(password=PASSWORD)
    mine = waitlisted(event, 10, user=user, email=user.email, passport_number="FA7654321", family_name="Wang")
    log_in(page, live_server.url, user.username)

    page.goto(f"{live_server.url}/en/account/applications/{mine.pk}/")
    assert page.get_by_text("Your place on the waiting list: 2").is_visible()
    assert page.get_by_text(mine.reference).first.is_visible()
    assert page.get_by_role("link", name="Ask for a visa-support letter").count() == 0
    assert_accessible(page)

    # A seat frees: the application is approved, and the letter can be asked for.
    services.set_capacity(event, in_person_capacity=2, actor=None)
    page.reload()
    page.get_by_role("link", name="Ask for a visa-support letter").click()
    assert_accessible(page)
    page.get_by_label("Embassy or consulate where you apply for the visa").fill("Embassy of Uzbekistan in Beijing")
    page.get_by_label("Print my passport number in the letter").check()
    page.get_by_role("button", name="Ask for the letter").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your visa-support letter is ready to download.").is_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the letter (PDF)").click()
    data = open(download_info.value.path(), "rb").read()  # noqa: SIM115 - a temporary file of Playwright's
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    letter = VisaLetter.objects.get(application=mine)
    assert letter.reference in text and "FA7654321" in text and "Embassy of Uzbekistan in Beijing" in text


def test_organiser_writes_previews_and_sends_a_mass_mail(page, live_server, event, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    organiser = make_user(password=PASSWORD)
    make_role(event, "organiser_admin", user=organiser)
    for n in range(3):
        make_application(event, status=S.APPROVED, language=("en", "ru", "uz")[n], email=f"p{n}@example.org")
    log_in(page, live_server.url, organiser.username)
    page.goto(f"{live_server.url}/en/{event.slug}/manage/participants/desks/")
    page.get_by_label("location [en]").fill("Hotel Uzbekistan, main lobby")
    page.get_by_label("opening hours [en]").fill("2 March 10:00–20:00")
    page.get_by_role("button", name="Add the desk").click()
    assert page.get_by_text("The accreditation desk is added.").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/en/{event.slug}/manage/participants/?status=approved")
    page.get_by_role("link", name="E-mail the participants matching these filters").click()
    assert page.get_by_text("3 recipients at the moment.").is_visible()
    assert_accessible(page)
    page.get_by_label("Subject in English").fill("Shuttle buses on 3 March")
    page.get_by_label("Message in English").fill("Buses leave the hotels at 07:30.")
    page.get_by_role("button", name="Preview the e-mail").click()
    assert page.get_by_text("Buses leave the hotels at 07:30.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send to 3 participants").click()
    page.wait_for_url("**/progress/")
    assert page.get_by_text("3 of 3 e-mails sent").is_visible()
    assert_accessible(page)
    assert MassMailing.objects.get().recipient_count == 3
    assert services_participants.mailing_progress(MassMailing.objects.get())["sent"] == 3
