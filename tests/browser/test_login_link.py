from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_participant_logs_in_with_an_emailed_link(page, live_server):
    from majlis.accreditation.login_links import issue_login_link

    user = make_user(email="amina@example.org", first_name="Amina")
    path = issue_login_link(user, next_url="/en/account/")

    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)
    # Opening the link logs nobody in (mail scanners follow links); the button does, with a CSRF-checked POST.
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/")
    assert "amina@example.org" in page.locator("main").inner_text()
    assert_accessible(page)

    # The link works once (checked without navigating: the browser would log the 410 as a console error).
    assert page.request.get(f"{live_server.url}{path}").status == 410
