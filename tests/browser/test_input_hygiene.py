"""In Chromium: names cannot reorder the page around them, and a NUL gets a readable 400 page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from majlis.accreditation.models import Application
from tests.accreditation.applicant_helpers import make_open_event
from tests.browser.conftest import assert_accessible
from tests.factories import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_list_keeps_a_name_with_an_override_inside_its_own_box(page, live_server):
    # A row stored before the cleaning existed: U+202E (right-to-left override) and no closing PDF.
    event = make_open_event()
    make_application(
        event,
        family_name="\u202eavomiraK",
        given_names="Dilnoza",
        name_native="דוד כהן",
        organisation_name="Institute for Strategic and Regional Studies",
        status=Application.Status.APPROVED,
        listed_publicly=True,
    )

    page.goto(live_server.url + reverse("accreditation:participants", kwargs={"event": event.slug}))

    row = page.locator("tbody tr").first
    latin = row.locator(".name-latin").bounding_box()
    native = row.locator(".name-native").bounding_box()
    # Isolated, the override stops at the end of the name: the native name stays to its right.
    # Without <bdi> it runs to the end of the cell and pulls "(דוד כהן)" to the left of the name.
    assert native["x"] >= latin["x"] + latin["width"] - 1, (latin, native)
    assert_accessible(page)


def test_nul_in_the_address_gets_a_translated_accessible_page(phone_page, page_problems, live_server):
    try:
        response = phone_page.goto(f"{live_server.url}/ru/?q=%00")

        assert response.status == 400
        assert phone_page.locator("html").get_attribute("lang") == "ru"
        assert "U+0000" in phone_page.get_by_role("alert").inner_text()
        assert_accessible(phone_page)
    finally:
        # Chromium logs the 400 of the page itself as a console error; that one is expected here.
        expected = "the server responded with a status of 400"
        page_problems.console_errors[:] = [e for e in page_problems.console_errors if expected not in e]
