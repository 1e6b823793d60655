"""The gate page in Chromium: a hand scanner's keyboard input, refusals with their reason, a search
and manual admission, the offline path (prepare, verify in the page, queue, sync), the offline
list deleted after a 401/403 and when the event has ended, a gate device's token; axe-core on
every state visited, and a phone's width."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
import segno

from majlis.badges.services import revoke_badge
from majlis.events import services_tokens
from majlis.events.models import EventRole
from majlis.gates import views_scan
from majlis.gates.models import Presence, Scan
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.conftest import assert_accessible as assert_no_serious_violations
from tests.factories import PASSWORD, make_role
from tests.gates.gate_helpers import OFFICER, altered, gate_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """axe-core (WCAG 2.1 A and AA): no violation at all, of any impact, on the gate page."""
    from axe_playwright_python.sync_playwright import Axe

    assert_no_serious_violations(page)
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in results.response["violations"]]
    assert violations == [], violations


@pytest.fixture(autouse=True)
def _results_stay(monkeypatch):
    """Results stay on screen while a test reads them and axe-core checks them, however busy the
    machine (the camera test puts the normal few seconds back, to see a result clear itself)."""
    monkeypatch.setattr(views_scan, "ACCEPTED_SHOWN_MS", 60_000)
    monkeypatch.setattr(views_scan, "REFUSED_SHOWN_MS", 60_000)


@pytest.fixture
def setup(db):
    return gate_setup()


def log_in(page, base_url: str, username: str = OFFICER) -> None:
    page.goto(f"{base_url}/en/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/account/**")


def open_gate(page, base_url: str, slug: str = "gate-test") -> None:
    page.goto(f"{base_url}/en/{slug}/gates/scan/")
    page.locator("#gate-main[data-ready=yes]").wait_for()


def hand_scan(page, code: str) -> None:
    """A USB scanner: fast keystrokes into the focused field, then Enter."""
    assert page.evaluate("document.activeElement.id") == "gate-code"
    page.keyboard.type(code, delay=2)
    page.keyboard.press("Enter")


def result(page) -> dict[str, str]:
    box = page.locator("#gate-result")
    box.wait_for(state="visible")
    return {
        "result": box.get_attribute("data-result") or "",
        "reason": box.get_attribute("data-reason") or "",
        "text": box.inner_text(),
    }


def next_scan(page) -> None:
    page.get_by_role("button", name="Next scan").click()
    page.locator("#gate-result").wait_for(state="hidden")


def test_hand_scanner_admits_and_refuses_with_the_reason(page, live_server, setup):
    log_in(page, live_server.url)
    open_gate(page, live_server.url)
    assert_accessible(page)

    hand_scan(page, setup.code("karimova"))
    shown = result(page)
    assert shown["result"] == "accepted"
    assert "Accepted" in shown["text"] and "Dr Dilnoza KARIMOVA" in shown["text"]
    assert "Дилноза Каримова" in shown["text"] and "Expert" in shown["text"]
    assert page.locator("#gate-result img.gate-photo").get_attribute("alt") == "Photo of Dr Dilnoza KARIMOVA"
    assert_accessible(page)
    scan = Scan.objects.get(badge=setup.badges["karimova"])
    assert scan.result == Scan.Result.ACCEPTED and scan.gate == setup.gate and scan.officer == setup.officer
    assert not scan.offline

    # The focus stays in the code field: the next scan needs no tap, and replaces the result.
    hand_scan(page, setup.code("revoked"))
    page.locator("#gate-result[data-result=refused]").wait_for()
    shown = result(page)
    assert shown["reason"] == "revoked" and "Refused" in shown["text"]
    assert "The badge was revoked." in shown["text"]
    assert_accessible(page)
    next_scan(page)

    hand_scan(page, setup.code("chen"))
    page.locator("#gate-result[data-result=refused]").wait_for()
    shown = result(page)
    assert shown["reason"] == "category" and "Ming CHEN" in shown["text"]
    next_scan(page)

    hand_scan(page, altered(setup.code("ivanov")))
    page.locator("#gate-result[data-result=refused]").wait_for()
    assert result(page)["reason"] == "forged"
    assert Scan.objects.filter(result=Scan.Result.REFUSED).count() == 3


def test_search_then_admit_after_comparing_the_photo(page, live_server, setup):
    log_in(page, live_server.url)
    open_gate(page, live_server.url)
    page.get_by_role("searchbox", name="Name or badge number").fill("karim")
    page.get_by_role("button", name="Search", exact=True).click()
    item = page.locator(".gate-result-item").first
    item.wait_for()
    assert "Dr Dilnoza KARIMOVA" in item.inner_text()
    assert item.locator("img").get_attribute("alt") == "Photo of Dr Dilnoza KARIMOVA"
    assert_accessible(page)
    item.get_by_role("button", name="Admit Dr Dilnoza KARIMOVA").click()
    assert result(page)["result"] == "accepted"
    assert Presence.objects.get(badge=setup.badges["karimova"], zone=setup.zone).entries == 1


def test_offline_verification_queue_and_sync(page, live_server, setup):
    log_in(page, live_server.url)
    open_gate(page, live_server.url)
    page.get_by_role("button", name="Prepare for offline").click()
    page.locator("#gate-main[data-offline-ready=yes]").wait_for()
    assert "Ready for offline use: 2 badges" in page.locator("#gate-package-status").inner_text()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    # Meanwhile (the gate does not know yet) the organisers revoke Ivanov's badge.
    revoke_badge(setup.badges["ivanov"], actor=None, note="Withdrawn by the delegation")

    page.context.set_offline(True)
    # The page opens without network (the service worker's copy) and still has its list.
    page.reload()
    page.locator("#gate-main[data-ready=yes][data-offline-ready=yes]").wait_for()
    assert "No network" in page.locator("#gate-network").inner_text()

    hand_scan(page, setup.code("karimova"))
    shown = result(page)
    assert shown["result"] == "accepted" and "Dr Dilnoza KARIMOVA" in shown["text"]
    assert "Decided on this device without network" in shown["text"]
    assert_accessible(page)

    hand_scan(page, altered(setup.code("ivanov")))
    page.locator("#gate-result[data-result=refused]").wait_for()
    shown = result(page)
    assert shown["reason"] == "forged"
    assert "The signature does not match: the badge was altered or forged." in shown["text"]
    next_scan(page)

    hand_scan(page, setup.code("revoked"))
    page.locator("#gate-result[data-result=refused]").wait_for()
    assert result(page)["reason"] == "revoked"
    next_scan(page)

    # Its list is older than the revocation: the gate lets Ivanov in, and the server will disagree.
    hand_scan(page, setup.code("ivanov"))
    assert result(page)["result"] == "accepted"
    next_scan(page)

    # The search works from the device's list too; the officer admits after comparing the photo.
    page.get_by_role("searchbox", name="Name or badge number").fill("karim")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name="Admit Dr Dilnoza KARIMOVA").click()
    assert result(page)["result"] == "accepted"
    next_scan(page)
    assert page.locator("#gate-main").get_attribute("data-queue") == "5"
    assert "Scans waiting to be sent: 5" in page.locator("#gate-queue").inner_text()
    assert Scan.objects.count() == 0

    page.context.set_offline(False)
    page.locator("#gate-main[data-queue='0']").wait_for(timeout=30_000)
    assert "5 recorded, 0 already known, 1 conflicts" in page.locator("#gate-sync-status").inner_text()
    conflict = page.locator("#gate-conflicts li")
    assert conflict.count() == 1
    assert "badge 0002: Let in offline, but the badge should have been refused: The badge was revoked." in (
        conflict.inner_text()
    )
    assert Scan.objects.filter(badge=setup.badges["karimova"], offline=True).count() == 2
    scans = {scan.badge_id: scan for scan in Scan.objects.all()}
    assert len(scans) == 4 and all(scan.offline for scan in scans.values())
    assert scans[setup.badges["karimova"].pk].result == Scan.Result.ACCEPTED
    assert scans[setup.badges["revoked"].pk].result == Scan.Result.REFUSED
    assert scans[setup.badges["revoked"].pk].reason == "revoked"
    assert scans[None].reason == "forged"
    assert scans[setup.badges["ivanov"].pk].result == Scan.Result.ACCEPTED  # the person went through
    assert scans[setup.badges["ivanov"].pk].conflict
    assert [scan.badge_id for scan in scans.values() if scan.conflict] == [setup.badges["ivanov"].pk]
    assert_accessible(page)


def stored_packages(page) -> int:
    return page.evaluate("MajlisGateStore.list('packages', '').then((items) => items.length)")


def test_offline_list_is_deleted_after_a_403(page, live_server, setup, page_problems):
    log_in(page, live_server.url)
    open_gate(page, live_server.url)
    page.get_by_role("button", name="Prepare for offline").click()
    page.locator("#gate-main[data-offline-ready=yes]").wait_for()
    assert stored_packages(page) == 1

    # The organisers take the gate officer's role away: the next answer is 403.
    EventRole.objects.filter(user=setup.officer, role=EventRole.Role.GATE_OFFICER).delete()
    hand_scan(page, setup.code("karimova"))
    page.locator("#gate-main[data-offline-ready=no]").wait_for()
    assert stored_packages(page) == 0
    assert "no longer accepts this device" in page.locator("#gate-error").inner_text()
    assert_accessible(page)
    # Chromium logs the refused request; that one message is expected.
    assert [m for m in page_problems.console_errors if "403" in m] == page_problems.console_errors
    page_problems.console_errors.clear()
    # Without network now, nothing can be decided: the list is gone.
    page.context.set_offline(True)
    hand_scan(page, setup.code("karimova"))
    page.locator("#gate-error", has_text="not prepared for offline use").wait_for()
    page.context.set_offline(False)


def test_offline_list_is_deleted_when_the_event_has_ended(page, live_server, setup):
    log_in(page, live_server.url)
    open_gate(page, live_server.url)
    page.get_by_role("button", name="Prepare for offline").click()
    page.locator("#gate-main[data-offline-ready=yes]").wait_for()
    # The package says until when it may be used; make that moment past, as after the last day.
    page.evaluate(
        """async () => {
            const items = await MajlisGateStore.list('packages', '');
            for (const item of items) {
                item.data.expires_at = new Date(Date.now() - 1000).toISOString();
                await MajlisGateStore.put('packages', item);
            }
        }"""
    )
    page.reload()
    page.locator("#gate-main[data-ready=yes]").wait_for()
    assert page.locator("#gate-main").get_attribute("data-offline-ready") == "no"
    assert stored_packages(page) == 0
    assert "the event has ended" in page.locator("#gate-package-status").inner_text()


def test_phone_width_nothing_overflows(browser, live_server, setup, page_problems):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    page = context.new_page()
    page.on("pageerror", lambda error: page_problems.page_errors.append(str(error)))
    try:
        log_in(page, live_server.url)
        open_gate(page, live_server.url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "gate-phone.png"), full_page=True)
        assert_accessible(page)
        page.locator("#gate-code").fill(setup.code("karimova"))
        page.keyboard.press("Enter")
        assert result(page)["result"] == "accepted"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SCREENSHOTS / "gate-phone-accepted.png"))
        next_scan(page)
        page.locator("#gate-code").fill(setup.code("revoked"))
        page.keyboard.press("Enter")
        page.locator("#gate-result[data-result=refused]").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SCREENSHOTS / "gate-phone-refused.png"))
        assert_accessible(page)
    finally:
        context.close()
    assert page_problems.page_errors == []


def test_gate_device_with_its_token(page, live_server, setup, page_problems):
    admin = make_role(setup.event, EventRole.Role.ORGANISER_ADMIN).user
    issued = services_tokens.create_token(
        setup.event, actor=admin, name="Hall tablet", scopes=["gates.scan"], zone=str(setup.zone.pk)
    )
    page.goto(f"{live_server.url}/en/gate-test/gates/device/")
    page.locator("#gate-token-panel").wait_for()
    assert_accessible(page)

    page.get_by_label("Gate device token").fill("mjl_not-a-token")
    page.get_by_role("button", name="Use this token").click()
    page.locator("#gate-token-error", has_text="This token was refused").wait_for()
    assert page.get_by_label("Gate device token").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.get_by_label("Gate device token").fill(issued.secret)
    page.get_by_role("button", name="Use this token").click()
    page.locator("#gate-main[data-ready=yes]").wait_for()
    assert page.locator("#gate-zone option").all_inner_texts() == ["Plenary hall"]
    hand_scan(page, setup.code("karimova"))
    assert result(page)["result"] == "accepted"
    scan = Scan.objects.get(badge=setup.badges["karimova"])
    assert scan.device == issued.token and scan.officer is None
    next_scan(page)

    # The page asks once: opened again, it goes straight to scanning.
    page.reload()
    page.locator("#gate-main[data-ready=yes]").wait_for()
    page.get_by_role("button", name="Prepare for offline").click()
    page.locator("#gate-main[data-offline-ready=yes]").wait_for()
    assert stored_packages(page) == 1

    # The organisers revoke the device's token: the next answer is 401, the list and the token go.
    services_tokens.revoke_token(issued.token, actor=admin)
    hand_scan(page, setup.code("ivanov"))
    page.locator("#gate-token-panel").wait_for()
    assert stored_packages(page) == 0
    assert page.evaluate("MajlisGateStore.get('settings', 'token:gate-test')") is None
    assert "no longer accepts this device" in page.locator("#gate-error").inner_text()
    assert_accessible(page)
    assert all("401" in m for m in page_problems.console_errors)
    page_problems.console_errors.clear()


def y4m_of_qr(text: str, path: Path, frames: int = 10) -> None:
    """A video file for Chromium's fake camera: the badge's QR code, still, on white (YUV 4:2:0)."""
    from PIL import Image

    size = 480
    qr = segno.make(text, error="q")
    buffer = BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)
    image = Image.new("RGB", (size, size), "white")
    code = Image.open(BytesIO(buffer.getvalue())).convert("RGB")
    image.paste(code, ((size - code.width) // 2, (size - code.height) // 2))
    y, cb, cr = image.convert("YCbCr").split()
    half = (size // 2, size // 2)
    frame = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + frame)


def test_camera_reads_the_badge(browser, live_server, setup, tmp_path, monkeypatch):
    """Chromium's fake camera shows a badge's QR code; the page decodes it (BarcodeDetector where the
    browser has it, else the vendored jsQR) and admits the holder."""
    monkeypatch.setattr(views_scan, "ACCEPTED_SHOWN_MS", 4_000)

    video = tmp_path / "badge.y4m"
    y4m_of_qr(setup.code("karimova"), video)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    errors: list[str] = []
    # A browser of its own (the fake camera is a launch option), from the session's Playwright.
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        context = camera_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        log_in(page, live_server.url)
        open_gate(page, live_server.url)
        page.get_by_role("button", name="Scan with the camera").click()
        # Decoding frames in JavaScript on a busy two-core machine can take a while.
        page.locator("#gate-result").wait_for(state="visible", timeout=45_000)
        shown = result(page)
        assert shown["result"] == "accepted" and "Dr Dilnoza KARIMOVA" in shown["text"]
        assert page.get_by_role("button", name="Stop the camera").get_attribute("aria-pressed") == "true"
        assert_accessible(page)
        # The result clears itself after a few seconds, ready for the next badge.
        page.locator("#gate-result").wait_for(state="hidden", timeout=20_000)
        page.get_by_role("button", name="Stop the camera").click()
        assert page.locator("#gate-video").is_hidden()
    finally:
        camera_browser.close()
    assert errors == []
    # The camera keeps seeing the same code: it is scanned once, not once per frame.
    assert Scan.objects.filter(badge=setup.badges["karimova"]).count() == 1
