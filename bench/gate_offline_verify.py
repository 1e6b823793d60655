#!/usr/bin/env python3
"""Offline badge verification in the browser: how long the gate page takes to decide one scan.

Issue 9's target: under 5 ms per scan. In a throwaway folder (SQLite, ``MAJLIS_VAR_DIR``) the script
migrates, creates an event on today with ``--badges`` approved participants (each with a photo), a
zone and a gate officer, and serves the project on a free loopback port (a thread in this process).
Debian's Chromium, driven by Playwright, opens the gate page signed in as the officer, presses
"Prepare for offline" (the zone's offline package into IndexedDB: its size and download time are
printed), then decides ``--scans`` codes in the page, one at a time, exactly as a scan without
network does (parse, Ed25519 signature, event, validity, revocation list, allow-list, zone rules),
timing each with ``performance.now()``. It prints the machine's load average (other processes
competing for the CPU show in the tail, not in the median), and mean, median, p99 and max per verification, with
WebCrypto's Ed25519 and with the vendored @noble/ed25519 fallback. Chromium coarsens
``performance.now()`` to 0.1 ms on a page that is not cross-origin isolated: the mean is also given
from the batch's total.

Run from the repository root: ``.venv/bin/python bench/gate_offline_verify.py [--badges 600] [--scans 1000]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("MAJLIS_CHROMIUM", "/usr/bin/chromium")

MEASURE = """async ([codes, forceNoble]) => {
    const config = JSON.parse(document.getElementById('gate-config').textContent);
    const kept = await MajlisGateStore.list('packages', config.slug + ':');
    const startedPrepare = performance.now();
    const state = await MajlisGateVerify.prepare(kept[0].data, {
        timeZone: config.timeZone,
        nobleUrl: config.assets['gates/vendor/noble-ed25519-3.2.0.js'],
        forceNoble,
    });
    const prepareMs = performance.now() - startedPrepare;
    const entered = new Set();
    // Warm up (JIT, key import, first use of WebCrypto) on a few codes: not counted.
    for (const code of codes.slice(0, 20)) {
        await MajlisGateVerify.decide(state, {code}, {direction: 'entry', entered});
    }
    const times = [];
    const results = {};
    const started = performance.now();
    for (const code of codes) {
        const t0 = performance.now();
        const decision = await MajlisGateVerify.decide(state, {code}, {direction: 'entry', entered});
        times.push(performance.now() - t0);
        results[decision.reason || decision.result] = (results[decision.reason || decision.result] || 0) + 1;
    }
    return {times, total: performance.now() - started, prepareMs, results, badges: state.count,
            noble: !!state.keyring.noble};
}"""


def serve() -> tuple[str, object]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def report(label: str, figures: dict, scans: int) -> None:
    times = sorted(figures["times"])
    p99 = times[max(0, int(len(times) * 0.99) - 1)]
    print(f"  {label}: {scans} verifications, results {figures['results']}")
    print(
        f"    per verification: mean {statistics.fmean(times):.3f} ms (batch total / n: "
        f"{figures['total'] / scans:.3f} ms), median {statistics.median(times):.3f} ms, "
        f"p99 {p99:.3f} ms, max {times[-1]:.3f} ms"
    )
    print(f"    preparing the package (index {figures['badges']} badges, import keys): {figures['prepareMs']:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=600, help="badges in the zone's offline package (default 600)")
    parser.add_argument("--scans", type=int, default=1000, help="verifications timed (default 1000)")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="majlis-bench-gate-"))
    server = None
    try:
        os.environ.update(
            {
                "MAJLIS_VAR_DIR": str(var_dir),
                "MAJLIS_ENV": "development",
                "MAJLIS_DEBUG": "0",
                "DJANGO_SETTINGS_MODULE": "majlis.settings",
                "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
            }
        )
        sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
        call_command("migrate", verbosity=0)
        from tests.gates.gate_helpers import gate_setup

        from majlis.badges.services import token_for

        started = time.perf_counter()
        setup = gate_setup(slug="bench-gate", people=args.badges - 2)  # + Karimova and Ivanov
        print(f"set-up: {args.badges} approved badges in the zone in {time.perf_counter() - started:.1f} s")
        allowed = [badge for name, badge in setup.badges.items() if name not in {"chen", "revoked"}]
        codes = [token_for(allowed[n % len(allowed)]) for n in range(args.scans)]

        client = Client()
        client.force_login(setup.officer)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        base, server = serve()

        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context()
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{base}/en/bench-gate/gates/scan/")
            page.locator("#gate-main[data-ready=yes]").wait_for()
            sizes: list[int] = []
            page.on(
                "response",
                lambda response: "offline-package" in response.url and sizes.append(len(response.body())),
            )
            started = time.perf_counter()
            page.get_by_role("button", name="Prepare for offline").click()
            page.locator("#gate-prepare[disabled]").wait_for(state="attached")
            page.locator("#gate-prepare:not([disabled])").wait_for(state="attached")
            if page.locator("#gate-main").get_attribute("data-offline-ready") != "yes":
                raise SystemExit(f"not prepared: {page.locator('#gate-package-status').inner_text()}")
            prepared = time.perf_counter() - started
            print(
                f"prepare for offline: package of {args.badges} badges, {sizes[0] / 1024:.0f} KiB, "
                f"downloaded and stored in {prepared:.2f} s"
            )
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"Chromium {browser.version}, in-page verification (performance.now()); load average {load}:")
            for label, force_noble in (("WebCrypto Ed25519", False), ("@noble/ed25519 fallback", True)):
                figures = page.evaluate(MEASURE, [codes, force_noble])
                assert figures["noble"] == force_noble
                assert figures["results"] == {"accepted": args.scans}, figures["results"]
                report(label, figures, args.scans)
            browser.close()
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
