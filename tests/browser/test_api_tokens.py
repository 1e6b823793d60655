"""An organiser makes an API token for a gate device in a real browser, a device uses it, and the
organiser revokes it; at a phone's width too. axe-core checks every step."""

from __future__ import annotations

import pytest
from django.test import Client

from majlis.events.models import EventApiToken, EventRole
from majlis.gates.models import Zone
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_accreditation_event, make_application, make_role, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(db):
    event = make_accreditation_event(slug="tashkent-2022", title_en="Tashkent conference 2022")
    make_application(event, family_name="Ivanov")
    user = make_user(username="officer")
    make_role(event, EventRole.Role.ORGANISER_ADMIN, user=user)
    return event


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/en/account/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/**")


def participants_with(secret: str) -> int:
    return (
        Client()
        .get("/api/v1/events/tashkent-2022/accreditation/participants", HTTP_AUTHORIZATION=f"Bearer {secret}")
        .status_code
    )


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_organiser_creates_and_revokes_a_token(request, live_server, page_problems, event, viewport):
    page = request.getfixturevalue(viewport)
    Zone.objects.create(event=event, name_en="Hall A")  # a device token may be bound to one zone
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/en/tashkent-2022/manage/api-tokens/")
    assert page.get_by_text("No API token yet.").is_visible()
    assert_accessible(page)

    # Nothing chosen: refused, the name typed stays.
    page.get_by_label("Name").fill("Gate 3 scanner")
    page.get_by_role("button", name="Make the token").click()
    page.locator(".notice-error").wait_for()
    assert page.get_by_label("Name").input_value() == "Gate 3 scanner"
    assert_accessible(page)
    # The refused form is answered 400, which Chromium logs; that one message is expected.
    expected = [m for m in page_problems.console_errors if "status of 400" in m]
    assert len(expected) == 1
    page_problems.console_errors.remove(expected[0])

    scopes = page.get_by_role("group", name="Scopes")
    scopes.get_by_label("See applications, delegations and their documents").check()
    page.get_by_label("Zone", exact=True).select_option(label="Hall A")
    page.get_by_role("button", name="Make the token").click()
    secret_box = page.get_by_label("The secret of the new token “Gate 3 scanner”:")
    secret = secret_box.input_value()
    assert secret.startswith("mjl_")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)
    assert participants_with(secret) == 200

    # Shown once: the list afterwards has the token, not its secret.
    page.goto(f"{live_server.url}/en/tashkent-2022/manage/api-tokens/")
    assert secret not in page.content()
    row = page.get_by_role("row", name="Gate 3 scanner")
    assert "active" in row.inner_text()
    row.get_by_role("link", name="Revoke").click()
    page.wait_for_url("**/api-tokens/*/revoke/")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke the token").click()
    page.wait_for_url("**/en/tashkent-2022/manage/api-tokens/")
    assert "revoked" in page.get_by_role("row", name="Gate 3 scanner").inner_text()
    assert_accessible(page)
    assert EventApiToken.objects.get().revoked_at is not None
    assert participants_with(secret) == 401
