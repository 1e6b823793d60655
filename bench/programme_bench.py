#!/usr/bin/env python3
"""Programme benchmark: how fast the published programme is served, and how many SQL queries it costs.

What it does, all on loopback and in a throwaway folder:

1. creates a temporary ``MAJLIS_VAR_DIR`` (SQLite database, files), migrates it and loads the demo
   (``majlis demo``, plus the demo programme if the command does not load it yet);
2. counts the SQL queries of one request per URL in-process (Django test client), cold (empty cache)
   and warm;
3. starts ``gunicorn majlis.wsgi`` on a free 127.0.0.1 port (2 workers, DEBUG off), warms it up;
4. drives a bounded load per URL with ``wrk`` (Debian package ``wrk``; it runs for a time, set to
   what ``--requests`` should take at the warm-up rate, at most ``--max-seconds``) or, without it,
   with a Python load generator (threads, ``http.client``; exactly ``--requests``), and prints
   requests/s and the p50/p99 latency per URL, with ``/healthz`` as a reference;
5. stops gunicorn and removes the folder, also on Ctrl+C or on an error.

Run from the repository root: ``.venv/bin/python bench/programme_bench.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import http.client
import io
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

EVENT_SLUG = "tashkent-2022"
DEFAULT_URLS = [f"/en/{EVENT_SLUG}/programme/", f"/en/{EVENT_SLUG}/schedule.json"]
BASELINE_URL = "/healthz"  # the cheapest request of the application: what the framework alone costs
HOST = "127.0.0.1"
HARD_LIMIT_SECONDS = 15 * 60  # whatever happens, the script stops (and cleans up) after this


@dataclass
class Result:
    url: str
    status: int = 0
    body_bytes: int = 0
    queries_cold: int | None = None
    queries_warm: int | None = None
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    non_2xx: int = 0
    tool: str = ""
    notes: list[str] = field(default_factory=list)


class Stop(Exception):
    """Raised by the signal handlers so that the ``finally`` blocks clean up."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="requests per URL (default 5000)")
    parser.add_argument("--concurrency", type=int, default=16, help="open connections (default 16)")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="time limit per URL (default 60)")
    parser.add_argument("--warmup", type=int, default=200, help="warm-up requests per URL (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--url", action="append", dest="urls", help="path to request (repeatable)")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    parser.add_argument(
        "--no-baseline", action="store_true", help="do not also measure /healthz (one trivial query) for reference"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (prints its path)")
    parser.add_argument(
        "--database-url",
        default="",
        help="use this database instead of a throwaway SQLite file (it will be migrated and get the demo)",
    )
    args = parser.parse_args(argv)
    args.urls = args.urls or list(DEFAULT_URLS)
    if not args.no_baseline and BASELINE_URL not in args.urls:
        args.urls.append(BASELINE_URL)
    if args.requests < 1 or args.concurrency < 1 or args.workers < 1 or args.max_seconds <= 0:
        parser.error("--requests, --concurrency, --workers and --max-seconds must be positive")
    return args


# --- preparation (in this process) ------------------------------------------------------------------


def configure_environment(var_dir: Path, database_url: str) -> dict[str, str]:
    """Settings for this process and for gunicorn: throwaway folder, DEBUG off, no task worker."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "majlis.settings",
            "MAJLIS_VAR_DIR": str(var_dir),
            "MAJLIS_ENV": "development",
            "MAJLIS_DEBUG": "0",
            "MAJLIS_INLINE_WORKER": "0",
            "MAJLIS_LOG_LEVEL": "WARNING",
            "MAJLIS_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        }
    )
    (var_dir / "static").mkdir(exist_ok=True)  # WhiteNoise warns without it; no static file is measured
    # Never touch a developer's database or shared cache by accident.
    os.environ.pop("MAJLIS_REDIS_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    return dict(os.environ)


def prepare(urls: list[str]) -> dict[str, tuple[int, int, int, int]]:
    """Migrate, load the demo, and count queries per URL: {url: (status, bytes, cold, warm)}."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from majlis.events.models import Event
    from majlis.programme.models import Session

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo", stdout=io.StringIO())
    event = Event.objects.get(slug=EVENT_SLUG)
    if not Session.objects.filter(event=event).exists():
        from majlis.programme.demo import load_demo_programme

        load_demo_programme(event)
    print(f"Database migrated and demo loaded in {time.monotonic() - started:.1f} s.")

    counts = {}
    client = Client()
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        counts[url] = (response.status_code, len(body), len(cold.captured_queries), len(warm.captured_queries))
    connections.close_all()
    return counts


# --- the server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, env: dict[str, str], log: Path, threads: int = 4) -> subprocess.Popen[bytes]:
    # The worker model of `majlis serve`: gthread workers with keep-alive.
    command = [
        sys.executable, "-m", "gunicorn", "majlis.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(workers),
        "--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "5",
        "--error-logfile", str(log), "--log-level", "warning",
        "--timeout", "60", "--graceful-timeout", "5", "--no-control-socket", "--name", "majlis-bench",
    ]  # fmt: skip
    # Its own session, so that stopping it also stops its workers and nothing else.
    return subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL)  # noqa: S603


def wait_until_ready(server: subprocess.Popen[bytes], port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {HOST}:{port} within {timeout:.0f} s")


def stop_server(server: subprocess.Popen[bytes] | None) -> None:
    if server is None or server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass


# --- load generators ----------------------------------------------------------------------------------


def python_load(port: int, path: str, total: int, concurrency: int, max_seconds: float) -> Result:
    """Threads with one keep-alive connection each (gunicorn's sync workers close it; it reopens)."""
    result = Result(url=path, tool="python")
    latencies: list[float] = []
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        nonlocal issued
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        errors = non_2xx = 0
        while time.monotonic() < deadline:
            with lock:
                if issued >= total:
                    break
                issued += 1
            begin = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if not 200 <= response.status < 400:
                    non_2xx += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                continue
            mine.append(time.perf_counter() - begin)
        connection.close()
        with lock:
            latencies.extend(mine)
            result.errors += errors
            result.non_2xx += non_2xx

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + 35)
    result.seconds = time.perf_counter() - started
    result.requests = len(latencies)
    result.rps = result.requests / result.seconds if result.seconds else 0.0
    if latencies:
        latencies.sort()
        result.p50_ms = percentile(latencies, 50) * 1000
        result.p99_ms = percentile(latencies, 99) * 1000
    if result.requests < total:
        result.notes.append(f"stopped by the {max_seconds:.0f} s limit")
    return result


def percentile(ordered: list[float], pct: float) -> float:
    index = max(0, math.ceil(pct / 100 * len(ordered)) - 1)
    return ordered[index]


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_load(port: int, path: str, total: int, concurrency: int, max_seconds: float, estimated_rps: float) -> Result:
    """wrk runs for a time, not a count: the duration is what ``total`` requests should take at the
    warm-up rate, at least 2 s and at most ``max_seconds``."""
    threads = max(1, min(4, os.cpu_count() or 1, concurrency))
    seconds = min(max_seconds, max(2.0, total / estimated_rps if estimated_rps > 0 else max_seconds))
    command = [
        "wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{math.ceil(seconds)}s",
        "--timeout", "30s", "--latency", f"http://{HOST}:{port}{path}",
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    output = completed.stdout
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip() or output.strip()}")
    result = Result(url=path, tool=f"wrk ({threads} threads)")
    match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output)
    if match:
        result.requests = int(match.group(1))
        result.seconds = float(match.group(2)) * _UNITS[match.group(3)] / 1000
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match:
        result.rps = float(match.group(1))
    for pct, value, unit in re.findall(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE):
        ms = float(value) * _UNITS[unit]
        if pct == "50":
            result.p50_ms = ms
        else:
            result.p99_ms = ms
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if match:
        result.non_2xx = int(match.group(1))
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if match:
        result.errors = sum(int(n) for n in match.groups())
    if seconds >= max_seconds and result.requests < total:
        result.notes.append(f"stopped by the {max_seconds:.0f} s limit")
    return result


# --- main -----------------------------------------------------------------------------------------


def _raise_stop(signum: int, frame: object) -> None:
    raise Stop(f"stopped by signal {signum}")


def _load_average() -> str:
    try:
        return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    except OSError:
        return "unknown"


def fmt(value: float | int | None, pattern: str = "{:.1f}") -> str:
    return "–" if value is None else pattern.format(value)


def report(results: list[Result], args: argparse.Namespace) -> None:
    print()
    print(
        f"gunicorn gthread workers: {args.workers} × {args.threads} threads; connections: {args.concurrency}; "
        f"up to {args.requests} requests or {args.max_seconds:.0f} s per URL; "
        f"CPU: {os.cpu_count()} × {platform.machine()}; Python {platform.python_version()}; "
        f"load average before/after: {args.load_before} / {_load_average()}"
    )
    header = ["URL", "status", "bytes", "SQL cold/warm", "requests", "req/s", "p50 ms", "p99 ms", "errors", "tool"]
    rows = [
        [
            r.url,
            str(r.status),
            str(r.body_bytes),
            f"{fmt(r.queries_cold, '{}')}/{fmt(r.queries_warm, '{}')}",
            str(r.requests),
            fmt(r.rps, "{:.0f}"),
            fmt(r.p50_ms, "{:.2f}"),
            fmt(r.p99_ms, "{:.2f}"),
            str(r.errors + r.non_2xx),
            r.tool,
        ]
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    for r in results:
        for note in r.notes:
            print(f"note: {r.url}: {note}")
    print(
        "SQL cold/warm: queries of one request with an empty cache, then of the next one (in-process, "
        "test client). errors: socket errors plus responses other than 2xx/3xx. "
        f"{BASELINE_URL} is the reference: the cost of the framework and one query. A busy machine "
        "(load average above the CPU count) makes every figure slower: compare rows, not runs."
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tool = args.tool
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    elif tool == "wrk" and not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk); use --tool python", file=sys.stderr)
        return 2

    args.load_before = _load_average()
    var_dir = Path(tempfile.mkdtemp(prefix="majlis-bench-"))
    server: subprocess.Popen[bytes] | None = None
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGALRM)}
    signal.alarm(HARD_LIMIT_SECONDS)
    exit_code = 0
    try:
        env = configure_environment(var_dir, args.database_url)
        print(f"Throwaway folder: {var_dir}")
        counts = prepare(args.urls)
        results = []
        for url in args.urls:
            status, size, cold, warm = counts[url]
            result = Result(url=url, status=status, body_bytes=size, queries_cold=cold, queries_warm=warm)
            if status == 404:
                result.notes.append("404: the page does not exist (yet); measured anyway")
            elif status >= 400:
                result.notes.append(f"answers {status}; measured anyway")
            results.append(result)

        port = free_port()
        server = start_server(port, args.workers, env, var_dir / "gunicorn.log", args.threads)
        wait_until_ready(server, port)
        print(f"gunicorn listening on http://{HOST}:{port}/ (pid {server.pid}); warming up …")
        warm_rps = {url: python_load(port, url, args.warmup, min(args.concurrency, 8), 30).rps for url in args.urls}

        for index, url in enumerate(args.urls):
            print(f"Measuring {url} …", flush=True)
            if tool == "wrk":
                measured = wrk_load(port, url, args.requests, args.concurrency, args.max_seconds, warm_rps[url])
            else:
                measured = python_load(port, url, args.requests, args.concurrency, args.max_seconds)
            base = results[index]
            for name in ("requests", "seconds", "rps", "p50_ms", "p99_ms", "errors", "non_2xx", "tool"):
                setattr(base, name, getattr(measured, name))
            base.notes += measured.notes
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn died during the run (status {server.returncode})")
        report(results, args)
    except (Stop, KeyboardInterrupt) as error:
        print(f"Interrupted: {error or 'Ctrl+C'}; cleaning up.", file=sys.stderr)
        exit_code = 130
    except Exception as error:  # noqa: BLE001 - report, clean up, exit non-zero
        print(f"Benchmark failed: {error}", file=sys.stderr)
        log = var_dir / "gunicorn.log"
        if log.exists() and log.stat().st_size:
            print("gunicorn log (last lines):\n" + "\n".join(log.read_text().splitlines()[-20:]), file=sys.stderr)
        exit_code = 1
    finally:
        signal.alarm(0)
        stop_server(server)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if args.keep:
            print(f"Kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
