#!/usr/bin/env python3
"""Log-in link timing: does the request form answer a registered address faster or slower than an unknown one?

Issue 7 measured 38.7 ms (registered) against 14.2 ms (unknown): the difference told who has an
account. The request now only counts the client's address and queues a task; the account lookup,
the link and the e-mail happen in the task worker for both. This script, in a throwaway folder
(SQLite, ``MAJLIS_VAR_DIR``), migrates, creates one participant account, then POSTs the form
``--rounds`` times for each address in turn (in-process Django test client, a fresh client address
each time so that no limit is reached, the task only queued as in production) and prints the median
and p90 time of each, and the difference of the medians.

Run from the repository root: ``.venv/bin/python bench/login_link_timing.py [--rounds 200]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="requests per address (default 200)")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="majlis-bench-login-"))
    try:
        os.environ.update(
            {
                "MAJLIS_VAR_DIR": str(var_dir),
                "MAJLIS_ENV": "development",
                "MAJLIS_DEBUG": "0",
                "DJANGO_SETTINGS_MODULE": "majlis.settings",
            }
        )
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        call_command("migrate", verbosity=0)
        known = "registered.someone@example.org"  # as long as the unknown addresses
        get_user_model().objects.create_user(username="participant", email=known, password=None)
        client = Client()
        url = reverse("login-link:request")
        client.get(url)  # warm up templates and URL resolution

        timings: dict[str, list[float]] = {"registered": [], "unknown": []}
        for number in range(args.rounds):
            pair = [("registered", known), ("unknown", f"nobody{number:04d}@example.org")]
            for label, email in pair if number % 2 else reversed(pair):  # alternate which goes first
                cache.clear()  # a fresh count each time: the limit is not what is measured
                address = f"198.51.{number % 250}.{1 + (number // 250) % 250}"
                started = time.perf_counter()
                response = client.post(url, {"email": email}, REMOTE_ADDR=address)
                timings[label].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code

        print(f"log-in link request, {args.rounds} requests per address (SQLite, in-process):")
        medians = {}
        for label, values in timings.items():
            values.sort()
            medians[label] = statistics.median(values)
            p90 = values[int(len(values) * 0.9) - 1]
            print(f"  {label:<10}  median {medians[label]:6.2f} ms   p90 {p90:6.2f} ms")
        print(f"  difference of the medians: {medians['registered'] - medians['unknown']:+.2f} ms")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
