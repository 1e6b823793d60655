"""A focal point nominates members from the spreadsheet template: a file with errors, then a clean one."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_accreditation_focal_point import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCAL_EMAIL = "focal.point@mfa.example.kz"


def filled_template(template: bytes, rows: list[dict[str, str]]) -> bytes:
    """The downloaded CSV template with rows appended, as a spreadsheet program would save it."""
    text = template.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    header = table[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(table)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("utf-8")


def member(**overrides: str) -> dict[str, str]:
    row = {
        "Title": "H.E.",
        "Family name, as in the passport": "Tokayev",
        "Given names, as in the passport": "Nurlan",
        "Gender": "male",
        "Nationality": "KZ",
        "Position": "Deputy Minister",
        "E-mail": "nurlan@example.org",
        "Phone": "+7 717 272 05 17",
        "Takes part": "online",
    }
    row.update(overrides)
    return row


def test_focal_point_uploads_a_bulk_nomination(page, page_problems, live_server):
    from majlis.accreditation.models import Application
    from tests.factories import PASSWORD, make_accreditation_event, make_delegation, make_user

    event = make_accreditation_event(slug="tashkent-bulk")
    focal = make_user(username="focal", email=FOCAL_EMAIL)
    delegation = make_delegation(event, focal_point=focal)
    base = live_server.url

    log_in(page, base, "focal", PASSWORD)
    page.goto(f"{base}/en/{event.slug}/delegations/mine/{delegation.pk}/")
    page.get_by_role("link", name="Nominate members from a spreadsheet").click()
    page.wait_for_url("**/members/bulk/")
    assert page.get_by_text("The file is imported only if every row is correct").is_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="template (CSV, UTF-8)").click()
    template = open(download_info.value.path(), "rb").read()  # noqa: SIM115 - read at once

    bad = filled_template(
        template,
        [
            member(),
            member(**{"E-mail": "second@example.org", "Nationality": "XX", "Position": "=1+2"}),
        ],
    )
    page.get_by_label("Filled-in template (CSV or XLSX)").set_input_files(
        {"name": "members.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_label("Every person in the file has read the privacy notice").check()
    page.get_by_role("button", name="Check and import the file").click()
    errors = page.locator("#bulk-errors")
    errors.wait_for()
    assert "Nothing was imported: 1 row has errors." in errors.inner_text()
    table = errors.locator("tbody tr").all_inner_texts()
    # Row 1 is the header, row 2 the template's explanations (left in place), row 3 the first member.
    assert any(line.startswith("4\tNationality") for line in table)
    assert any(line.startswith("4\tPosition") and "spreadsheet formula" in line for line in table)
    assert Application.objects.filter(delegation=delegation).count() == 0
    assert_accessible(page)
    # The refused upload is answered with HTTP 400, which Chromium reports on the console: expected here.
    expected = [m for m in page_problems.console_errors if "status of 400" in m]
    assert len(expected) == 1
    page_problems.console_errors.remove(expected[0])

    good = filled_template(
        template,
        [
            member(),
            member(**{"E-mail": "aigerim@example.org", "Given names, as in the passport": "Aigerim", "Title": "Ms"}),
        ],
    )
    page.get_by_label("Filled-in template (CSV or XLSX)").set_input_files(
        {"name": "members.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.get_by_label("Every person in the file has read the privacy notice").check()
    page.get_by_role("button", name="Check and import the file").click()
    page.wait_for_url(f"**/delegations/mine/{delegation.pk}/")
    assert page.get_by_text("2 members were added to the delegation.").is_visible()
    assert Application.objects.filter(delegation=delegation).count() == 2
    assert_accessible(page)


def test_bulk_page_works_at_phone_width(phone_page, live_server):
    from tests.factories import PASSWORD, make_accreditation_event, make_delegation, make_user

    event = make_accreditation_event(slug="tashkent-bulk-phone")
    focal = make_user(username="focal", email=FOCAL_EMAIL)
    delegation = make_delegation(event, focal_point=focal)
    log_in(phone_page, live_server.url, "focal", PASSWORD)
    phone_page.goto(f"{live_server.url}/en/{event.slug}/delegations/mine/{delegation.pk}/members/bulk/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    assert_accessible(phone_page)
