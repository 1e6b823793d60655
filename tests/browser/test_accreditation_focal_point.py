"""A focal point accredits a delegation of three; an organiser approves it; the focal point sees the result."""

from __future__ import annotations

from io import BytesIO

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCAL_EMAIL = "focal.point@mfa.example.kz"


def note_verbale_pdf() -> bytes:
    """A small real PDF, as a ministry would send."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 770, "Ministry of Foreign Affairs of the Republic of Kazakhstan")
    pdf.drawString(72, 740, "Note verbale No. 12-1/2022")
    pdf.drawString(72, 710, "The Ministry has the honour to nominate the following delegation ...")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def passport_photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (700, 900), "#dfe6ee")
    draw = ImageDraw.Draw(image)
    draw.ellipse((230, 180, 470, 460), fill="#c8a27a")
    draw.rectangle((170, 520, 530, 900), fill="#1f3b5c")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/en/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/**")


def log_out(page) -> None:
    page.locator("form.logout button").click()
    page.wait_for_load_state()


def submit(page, button: str, url_pattern: str) -> None:
    """Click a form's button and wait for the redirect; on a refusal, fail with the form's messages."""
    page.get_by_role("button", name=button).click()
    try:
        page.wait_for_url(url_pattern, timeout=8_000)
    except Exception as error:  # noqa: BLE001 - reported with what the page says
        errors = page.locator(".field-errors, .notice-error").all_inner_texts()
        raise AssertionError(f"{button!r} did not lead to {url_pattern}: {errors}") from error


def fill_member(page, *, given: str, family: str, email: str | None, in_person: bool) -> None:
    page.locator("select[name=honorific]").select_option("he" if in_person else "ms")
    page.get_by_label("Family name, as in the passport").fill(family)
    page.get_by_label("Given names, as in the passport").fill(given)
    page.get_by_label("Nationality").select_option("KZ")
    page.locator("input[name=position]").fill("Deputy Minister" if in_person else "Counsellor")
    if email is not None:
        page.locator("input[name=email]").fill(email)
    page.get_by_label("Phone").fill("+7 717 272 05 17")
    page.get_by_label("Language for our e-mails to this person").select_option("ru")
    if in_person:
        page.get_by_label("In person").check()
        page.get_by_label("Passport number").fill("N12345678")
        page.get_by_label("Passport expiry date").fill("2030-01-31")
        page.get_by_label("Passport issued by").select_option("KZ")
        page.get_by_label("Arrival (date and time)").fill("2022-03-02T18:30")
        page.get_by_label("Arrival details (flight or train)").fill("KC 127")
        page.get_by_label("Departure (date and time)").fill("2022-03-05T09:00")
    else:
        page.get_by_label("Online").check()
    page.get_by_label("This person has read the privacy notice").check()


def test_focal_point_accredits_a_delegation_of_three(page, live_server):

    from majlis.accreditation.models import Application, Delegation
    from tests.factories import PASSWORD, make_accreditation_event, make_delegation, make_role, make_user

    event = make_accreditation_event(slug="tashkent-test")
    organiser = make_role(event, "organiser_admin", user=make_user(username="organiser")).user
    invited = make_delegation(event, focal_point_email=FOCAL_EMAIL)  # the organiser invited it
    make_user(username="focal", email=FOCAL_EMAIL)  # the account the invitation link logs in
    base = live_server.url
    delegation_url = f"{base}/en/{event.slug}/delegations/mine/"

    # The focal point logs in, is asked to accept the delegation (a GET binds nothing) and accepts.
    log_in(page, base, "focal", PASSWORD)
    page.goto(delegation_url)
    page.wait_for_url(f"**/delegations/mine/{invited.pk}/accept/")
    assert "You are invited as the focal point of" in page.locator("main").inner_text()
    assert_accessible(page)
    submit(page, "Accept and become the focal point", f"**/delegations/mine/{invited.pk}/")
    assert "Missing: Upload the note verbale." in page.locator("main").inner_text()
    assert_accessible(page)

    # The note verbale.
    page.get_by_label("Document").select_option("note_verbale")
    page.locator("input[name=file]").set_input_files(
        {"name": "note-verbale-12-1-2022.pdf", "mimeType": "application/pdf", "buffer": note_verbale_pdf()}
    )
    page.get_by_role("button", name="Upload the document").click()
    page.wait_for_load_state()
    assert "was uploaded" in page.locator(".messages").inner_text()
    assert "Done: Upload the note verbale." in page.locator("main").inner_text()
    assert_accessible(page)

    # First member: full data, photo included.
    page.get_by_role("link", name="Nominate a member and fill in their data").click()
    page.wait_for_url("**/members/new/")
    assert_accessible(page)
    fill_member(page, given="Nurlan", family="Tokayev", email="nurlan.tokayev@example.kz", in_person=True)
    page.locator("input[name=photo]").set_input_files(
        {"name": "tokayev.jpg", "mimeType": "image/jpeg", "buffer": passport_photo()}
    )
    submit(page, "Add the member", f"**/delegations/mine/{invited.pk}/")
    assert "Nurlan Tokayev was added to the delegation." in page.locator(".messages").inner_text()

    # Second member: an invitation to fill in their own data.
    page.get_by_role("link", name="Invite a member to fill in their own data").click()
    page.wait_for_url("**/members/invite/")
    assert_accessible(page)
    page.get_by_label("Given names (as in the passport)").fill("Aigerim")
    page.get_by_label("Family name (as in the passport)").fill("Suleimenova")
    page.locator("input[name=email]").fill("aigerim.suleimenova@example.kz")
    page.get_by_label("Preferred language").select_option("uz")
    submit(page, "Send the invitation", f"**/delegations/mine/{invited.pk}/")
    assert "Invited to complete their own data." in page.locator("main").inner_text()

    # Third member: data again, online this time, no photo yet.
    page.get_by_role("link", name="Nominate a member and fill in their data").click()
    fill_member(page, given="Dana", family="Abenova", email="dana.abenova@example.kz", in_person=False)
    submit(page, "Add the member", f"**/delegations/mine/{invited.pk}/")
    assert_accessible(page)

    # The invited member has not answered before the deadline: the focal point completes her data
    # (a focal point may change a member's data until it is approved).
    page.get_by_role("link", name="Change the data of Aigerim Suleimenova").click()
    page.wait_for_url("**/members/*/")
    assert_accessible(page)
    fill_member(page, given="Aigerim", family="Suleimenova", email=None, in_person=False)
    submit(page, "Save the member's data", f"**/delegations/mine/{invited.pk}/")

    # Head of delegation, then submission.
    page.get_by_label("Head of delegation").select_option(label="Nurlan Tokayev")
    page.get_by_role("button", name="Designate the head of delegation").click()
    page.wait_for_load_state()
    assert "Nurlan Tokayev is the head of delegation." in page.locator(".messages").inner_text()
    assert "Done: Designate the head of delegation." in page.locator("main").inner_text()
    page.get_by_role("button", name="Submit the delegation for approval").click()
    page.wait_for_load_state()
    assert "submitted to the organisers" in page.locator(".messages").inner_text()
    assert page.locator("#delegation-status").inner_text() == "Credentials submitted"
    assert page.locator(".members-table .status-submitted").count() == 3
    assert_accessible(page)
    log_out(page)

    # The organiser approves the credentials and each member.
    log_in(page, base, organiser.username, PASSWORD)
    page.goto(f"{base}/en/{event.slug}/delegations/")
    assert_accessible(page)
    page.get_by_role("link", name=str(invited.organisation)).click()
    page.wait_for_url(f"**/delegations/{invited.pk}/")
    assert page.get_by_role("link", name="Photo of Nurlan Tokayev").count() == 1
    assert_accessible(page)
    page.locator("form.decision-form").get_by_label("Decision").select_option("approve")
    page.get_by_role("button", name="Record the decision on the credentials").click()
    page.wait_for_load_state()
    assert "The credentials of the delegation were approved." in page.locator(".messages").inner_text()
    for name in ("Nurlan Tokayev", "Aigerim Suleimenova", "Dana Abenova"):
        page.get_by_role("button", name=f"Decide on {name}").click()
        page.wait_for_load_state()
        assert f"The application of {name} is now: approved." in page.locator(".messages").inner_text()
    assert_accessible(page)
    log_out(page)

    # The focal point sees every member approved.
    log_in(page, base, "focal", PASSWORD)
    page.goto(delegation_url)
    page.wait_for_url(f"**/delegations/mine/{invited.pk}/")
    assert page.locator("#delegation-status").inner_text() == "Credentials approved"
    assert page.locator(".members-table .status-approved").count() == 3
    assert_accessible(page)

    statuses = set(Application.objects.filter(delegation=invited).values_list("status", flat=True))
    assert statuses == {"approved"}
    invited.refresh_from_db()
    assert invited.status == Delegation.Status.APPROVED
    head = Application.objects.get(delegation=invited, is_head_of_delegation=True)
    assert head.family_name == "Tokayev" and head.photo


def test_late_member_added_after_approval_and_approved(page, live_server):
    """The credentials were approved; a minister joins late: the focal point adds and submits him, the
    organiser decides on him alone."""
    from majlis.accreditation.models import Application, Delegation
    from tests.factories import (
        PASSWORD,
        make_accreditation_event,
        make_application,
        make_delegation,
        make_role,
        make_user,
    )

    event = make_accreditation_event(slug="tashkent-late")
    organiser = make_role(event, "organiser_admin", user=make_user(username="organiser")).user
    focal = make_user(username="focal", email=FOCAL_EMAIL)
    delegation = make_delegation(event, focal_point=focal, status=Delegation.Status.APPROVED)
    make_application(event, delegation=delegation, category="delegate", status="approved", mode="online")
    base = live_server.url

    log_in(page, base, "focal", PASSWORD)
    page.goto(f"{base}/en/{event.slug}/delegations/mine/{delegation.pk}/")
    page.get_by_role("link", name="Nominate a member and fill in their data").click()
    page.wait_for_url("**/members/new/")
    page.get_by_label("Category").select_option(label="Minister / Head of Delegation")
    fill_member(page, given="Bakhyt", family="Sultanov", email="bakhyt.sultanov@example.kz", in_person=False)
    submit(page, "Add the member", f"**/delegations/mine/{delegation.pk}/")
    assert "1 member was added after the credentials were approved" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the new members for approval").click()
    page.wait_for_load_state()
    assert "1 new member was submitted to the organisers for approval." in page.locator(".messages").inner_text()
    assert page.locator(".members-table .status-submitted").count() == 1
    log_out(page)

    log_in(page, base, organiser.username, PASSWORD)
    page.goto(f"{base}/en/{event.slug}/delegations/{delegation.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Decide on Bakhyt Sultanov").click()
    page.wait_for_load_state()
    assert "The application of Bakhyt Sultanov is now: approved." in page.locator(".messages").inner_text()
    late = Application.objects.get(delegation=delegation, family_name="Sultanov")
    assert late.status == "approved" and late.category.code == "minister"


def test_focal_point_overview_fits_a_phone_in_uzbek(phone_page, live_server):
    """The facts list (long Uzbek labels, the delegation's categories) stacks instead of overflowing."""
    from majlis.accreditation.models import Delegation
    from tests.factories import PASSWORD, make_accreditation_event, make_application, make_delegation, make_user

    event = make_accreditation_event(slug="tashkent-phone")
    focal = make_user(username="focal", email=FOCAL_EMAIL)
    delegation = make_delegation(event, focal_point=focal, status=Delegation.Status.APPROVED)
    make_application(event, delegation=delegation, category="delegate", status="approved", mode="online")
    base = live_server.url
    phone_page.goto(f"{base}/uz/account/login/")
    phone_page.locator("input[name=username]").fill("focal")
    phone_page.locator("input[name=password]").fill(PASSWORD)
    phone_page.locator("main form button[type=submit]").click()
    phone_page.wait_for_load_state()
    phone_page.goto(f"{base}/uz/{event.slug}/delegations/mine/{delegation.pk}/")
    assert "Aʼzolari ega boʻlishi mumkin boʻlgan toifalar" in phone_page.locator("main").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.viewport_size["width"]
    assert_accessible(phone_page)
