"""Real-browser tests: Playwright drives Debian's Chromium; axe-core checks every page visited."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves (loading fixtures) are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MAJLIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require(Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None, f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageProblems:
    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


def _open_page(browser, problems: PageProblems, **context_options):  # type: ignore[no-untyped-def]
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.console_errors.append(message.text))
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    return context, page


@pytest.fixture
def page(browser, page_problems, live_server) -> Iterator[object]:
    context, page = _open_page(browser, page_problems, viewport={"width": 1280, "height": 900}, locale="en-GB")
    page.set_default_timeout(15_000)
    yield page
    context.close()
    # A CSP violation or a script error is a bug even when the page looks right.
    assert page_problems.page_errors == []
    assert page_problems.console_errors == []


@pytest.fixture
def phone_page(browser, page_problems, live_server) -> Iterator[object]:
    context, page = _open_page(
        browser,
        page_problems,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert page_problems.page_errors == []
    assert page_problems.console_errors == []


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """Run axe-core (WCAG 2.1 A and AA rules) and fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
    )
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in blocking
    )
    assert not blocking, f"axe-core found serious/critical violations on {page.url}:\n{details}"
