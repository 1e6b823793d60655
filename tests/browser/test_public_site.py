from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_switches_to_russian_and_opens_a_document(page, live_server):
    call_command("demo", verbosity=0)
    from majlis.events.models import Event

    event = Event.objects.get(slug="tashkent-2022")

    page.goto(f"{live_server.url}/en/tashkent-2022/")
    assert page.locator("h1").first.inner_text().strip() == event.title_en
    assert_accessible(page)

    page.get_by_role("link", name="Русский").first.click()
    page.wait_for_url("**/ru/tashkent-2022/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").first.inner_text().strip() == event.title_ru
    assert_accessible(page)

    page.goto(f"{live_server.url}/ru/tashkent-2022/documents/")
    assert_accessible(page)
    link = page.locator("a[href$='/documents/concept-note/ru/']").first
    with page.expect_response(lambda r: r.url.endswith("/documents/concept-note/ru/")) as response_info:
        link.click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    # The viewer consumes the stream; fetch the same URL with the page's own session to read it.
    pdf = PdfReader(io.BytesIO(page.request.get(response.url).body()))
    text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "Концептуальная записка" in text or "концепц" in text.lower()


def test_phone_visitor_reads_news_and_background(phone_page, live_server):
    call_command("demo", verbosity=0)
    page = phone_page
    for path in (
        "/uz/tashkent-2022/",
        "/uz/tashkent-2022/news/",
        "/uz/tashkent-2022/background/",
        "/uz/tashkent-2022/contacts/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "uz"
        # Nothing may overflow sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert_accessible(page)
