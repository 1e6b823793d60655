"""Individual applicants in a real browser: an expert rejected and re-applying, a journalist with a press card."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from majlis.accreditation import services
from majlis.accreditation.models import Application
from tests.accreditation.applicant_helpers import image_bytes
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, PDF_BYTES, make_accreditation_event, make_role, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(db):
    start = timezone.localdate() + timedelta(days=60)
    return make_accreditation_event(slug="tashkent-2022", start_date=start, end_date=start + timedelta(days=1))


def photo_file(name: str = "portrait.jpg") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": image_bytes(900, 1200, exif=True)}


def fill_person(page, *, email: str, family: str, given: str, native: str) -> None:
    page.locator("[name=honorific]").select_option("dr")
    page.locator("[name=family_name]").fill(family)
    page.locator("[name=given_names]").fill(given)
    page.locator("[name=name_native]").fill(native)
    page.get_by_label("Female").check()
    page.locator("[name=nationality]").select_option("UZ")
    page.locator("[name=organisation_name]").fill("Institute for Strategic and Regional Studies")
    page.locator("[name=position]").fill("Senior researcher")
    page.locator("[name=email]").fill(email)
    page.locator("[name=phone]").fill("+998 71 123 45 67")


def fill_travel(page, event, passport: str) -> None:
    page.locator("[name=passport_number]").fill(passport)
    page.locator("[name=passport_expiry]").fill((event.end_date + timedelta(days=700)).isoformat())
    page.locator("[name=passport_country]").select_option("UZ")
    page.locator("[name=arrival_at]").fill(f"{(event.start_date - timedelta(days=1)).isoformat()}T18:30")
    page.locator("[name=arrival_details]").fill("HY 054 from Frankfurt")
    page.locator("[name=departure_at]").fill(f"{(event.end_date + timedelta(days=1)).isoformat()}T09:00")


def photo_loaded(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate("img => img.complete && img.naturalWidth > 0")


def test_expert_applies_is_rejected_with_a_reason_and_reapplies(page, live_server, event):
    register = f"{live_server.url}/en/{event.slug}/register/"
    page.goto(register)
    assert_accessible(page)

    page.locator("[name=category]").select_option(label="Expert / think tank")
    fill_person(page, email="dilnoza@example.org", family="Karimova", given="Dilnoza", native="Дилноза Каримова")
    page.locator("[name=phone]").fill("71 123 45 67")  # no country code: refused
    page.locator("input[name=photo]").set_input_files(photo_file())
    # The preview shows the photo with a 35:45 frame; the chosen area goes into hidden fields.
    page.locator(".crop-tool").wait_for(state="visible")
    assert page.locator("[name=crop_w]").input_value() != ""
    page.locator(".crop-size").fill("80")
    page.locator(".crop-frame").press("ArrowDown")
    fill_travel(page, event, "FA1234567")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_label("List my name, organisation and country").check()
    page.get_by_role("button", name="Submit my application").click()

    # The phone is refused; everything else, the photo included, is kept.
    page.locator("#form-errors").wait_for()
    assert "Write the number in international format" in page.locator("#form-errors").inner_text()
    assert page.locator("[name=family_name]").input_value() == "Karimova"
    assert page.locator("[name=passport_number]").input_value() == "FA1234567"
    assert "We kept the photo you uploaded" in page.locator("main").inner_text()
    page.wait_for_function("() => document.querySelector('.crop-image').naturalWidth > 0")
    assert_accessible(page)
    page.locator("[name=phone]").fill("+998 71 123 45 67")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Submit my application").click()
    page.wait_for_url("**/register/done/")
    assert "What happens next" in page.locator("main").inner_text()
    assert_accessible(page)

    first = Application.objects.get(event=event)
    assert first.status == Application.Status.SUBMITTED and first.photo
    assert first.listed_publicly is True

    organiser = make_user()
    make_role(event, "organiser_admin", user=organiser)
    services.reject_application(first, actor=organiser, reason="Please attach a photo taken this year.")

    # The expert logs in and applies again from their account. (Participants log in with an e-mail
    # link; the link pages have their own tests. Here the account is given a password for the test.)
    first.user.set_password(PASSWORD)
    first.user.save()
    page.goto(f"{live_server.url}/en/account/login/?next=/en/account/applications/")
    page.get_by_label("Username").fill(first.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/applications/")
    assert "Rejected" in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("main table a").first.click()
    page.wait_for_url(f"**/account/applications/{first.pk}/")
    assert "Please attach a photo taken this year." in page.locator("main").inner_text()
    assert "FA1234567" not in page.content()
    assert photo_loaded(page, ".badge-photo img")
    assert_accessible(page)

    page.get_by_role("link", name="Apply again").click()
    page.wait_for_url(f"**/account/applications/{first.pk}/reapply/")
    assert page.locator("[name=family_name]").input_value() == "Karimova"
    assert page.locator("[name=email]").is_disabled()
    assert_accessible(page)
    page.locator("input[name=photo]").set_input_files(photo_file("new-portrait.jpg"))
    page.locator(".crop-tool").wait_for(state="visible")
    page.locator("[name=passport_number]").fill("FA1234567")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Submit my new application").click()
    page.wait_for_url("**/account/applications/*/")
    second = Application.objects.exclude(pk=first.pk).get(event=event)
    assert page.url.endswith(f"/account/applications/{second.pk}/")
    assert second.status == Application.Status.SUBMITTED and second.user == first.user
    assert "Submitted" in page.locator("main").inner_text()
    assert_accessible(page)


def test_journalist_applies_online_with_a_press_card_on_a_phone(phone_page, live_server, event):
    page = phone_page
    page.goto(f"{live_server.url}/en/{event.slug}/register/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)
    page.locator("[name=category]").select_option(label="Media")
    fill_person(page, email="reporter@example.org", family="Wang", given="Li", native="王力")
    page.get_by_label("Online").check()
    # Passport and travel details are not asked of online participants.
    assert not page.locator("[name=passport_number]").is_visible()
    assert page.locator("input[name=supporting_document]").is_visible()
    page.locator("input[name=photo]").set_input_files(photo_file())
    page.locator("input[name=supporting_document]").set_input_files(
        {"name": "press-card.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("I have read the privacy notice").check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)
    page.get_by_role("button", name="Submit my application").click()
    page.wait_for_url("**/register/done/")
    assert_accessible(page)

    application = Application.objects.get(event=event)
    assert application.category.code == "media" and application.mode == "online"
    assert application.supporting_document_name == "press-card.pdf"
    assert application.passport_number_encrypted is None
    assert application.status == Application.Status.SUBMITTED

    # Approved and listed: the journalist appears in the public list, without e-mail or photo.
    application.listed_publicly = True
    application.save(update_fields=["listed_publicly"])
    services.approve_application(application, actor=make_user())
    page.goto(f"{live_server.url}/en/{event.slug}/participants/")
    main = page.locator("main").inner_text()
    assert "Li WANG" in main and "reporter@example.org" not in main
    assert page.locator("main img").count() == 0
    assert_accessible(page)
