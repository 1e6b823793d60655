from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/en/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/")


def test_participant_filters_to_a_pillar_and_adds_a_session_to_the_agenda(phone_page, live_server):
    call_command("demo", verbosity=0)
    from majlis.programme.models import Session

    pillar_panel = Session.objects.get(event__slug="tashkent-2022", kind="breakout", track__pillar__number=2)
    page = phone_page
    log_in(page, live_server.url, "participant", "demo-participant-2022")

    page.goto(f"{live_server.url}/en/tashkent-2022/programme/?day=2022-03-03")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)

    page.locator("details.programme-filter-box summary").click()
    # The pillars' long official wording must not widen the filter form beyond the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_label("Track").select_option("pillar-2")
    page.locator("form.programme-filters button[type=submit]").click()
    page.wait_for_url("**track=pillar-2**")
    titles = page.locator("main h3 a, main .session-title a").all_inner_texts()
    assert pillar_panel.title_en in [t.strip() for t in titles]
    assert all(t.strip() != "Opening ceremony" for t in titles)
    assert_accessible(page)

    page.get_by_role("link", name=pillar_panel.title_en).first.click()
    page.wait_for_url(f"**/sessions/{pillar_panel.slug}/")
    assert_accessible(page)

    button = page.locator("form.agenda-toggle button")
    before = button.inner_text()
    button.click()
    page.wait_for_function(
        "before => document.querySelector('form.agenda-toggle button').innerText !== before", arg=before
    )
    # htmx swapped the button in place: the page did not reload and focus stayed on the button.
    assert page.url.endswith(f"/sessions/{pillar_panel.slug}/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/en/tashkent-2022/agenda/")
    assert pillar_panel.title_en in page.locator("main").inner_text()
    assert_accessible(page)
