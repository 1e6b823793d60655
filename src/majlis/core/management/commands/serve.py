"""``majlis serve``: the web application under gunicorn, plus the task worker when configured.

Static files are collected first (WhiteNoise serves them from ``STATIC_ROOT``). With
``MAJLIS_INLINE_WORKER`` on (the default outside production), ``majlis worker`` runs as a second
child process. Ctrl+C or SIGTERM stops both cleanly; if either dies, the other is stopped too and
``serve`` exits with an error, so that a process supervisor notices.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

STOP_TIMEOUT = 20.0


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return _positive_int(raw)
    except ValueError as error:
        raise CommandError(f"{name} must be a positive whole number, not {raw!r}.") from error


class Command(BaseCommand):
    help = (
        "Serve Majlis with gunicorn on http://127.0.0.1:8000/ (--port, or the PORT variable), after collecting "
        "static files; also runs the task worker when MAJLIS_INLINE_WORKER is on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=_positive_int, default=None, help="Port (default: $PORT, else 8000).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: 127.0.0.1).")
        parser.add_argument(
            "--workers",
            type=_positive_int,
            default=None,
            help="Web worker processes (default: $MAJLIS_WEB_WORKERS, else 2).",
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="Do not start the task worker even if MAJLIS_INLINE_WORKER is on.",
        )
        parser.add_argument("--skip-collectstatic", action="store_true", help="Do not run collectstatic first.")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"] or _env_int("PORT", 8000)
        host = options["host"]
        workers = options["workers"] or _env_int("MAJLIS_WEB_WORKERS", 2)
        # Threads with keep-alive: a cached page costs less than opening a connection for it
        # (measured in bench/programme_bench.py: about 10 % more requests per second than sync workers).
        threads = _env_int("MAJLIS_WEB_THREADS", 4)
        with_task_worker = settings.MAJLIS_INLINE_WORKER and not options["no_task_worker"]

        if not options["skip_collectstatic"]:
            self.stdout.write(f"Collecting static files into {settings.STATIC_ROOT} …")
            call_command("collectstatic", interactive=False, verbosity=0)
        self._warn_about_unapplied_migrations()
        connections.close_all()

        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "majlis.settings")}
        web_command = [
            sys.executable,
            "-m",
            "gunicorn",
            "majlis.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--access-logfile",
            "-",
            # Access log without log-in link tokens; responses without "Server: gunicorn".
            "--logger-class",
            "majlis.core.gunicorn_support.TokenSafeLogger",
            # var/ files (database, outbox, uploads) readable by this account only.
            "--umask",
            "0o077",
            "--graceful-timeout",
            "10",
            "--timeout",
            "60",
            "--name",
            "majlis",
            "--no-control-socket",
        ]
        children: dict[str, subprocess.Popen[bytes]] = {}
        stop_requested: list[int] = []

        def request_stop(signum: int, frame: Any) -> None:
            stop_requested.append(signum)

        previous_handlers = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            # Own sessions: a Ctrl+C in the terminal reaches only this process, which then stops the
            # children once and in order, instead of each of them getting the signal at the same time.
            children["web server"] = subprocess.Popen(web_command, env=env, start_new_session=True)  # noqa: S603
            if with_task_worker:
                worker_command = [sys.executable, "-m", "majlis.cli", "worker", "--no-reload"]
                children["task worker"] = subprocess.Popen(worker_command, env=env, start_new_session=True)  # noqa: S603
            for name, child in children.items():
                self.stdout.write(f"Started the {name} (pid {child.pid}).")
            url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
            if self._wait_until_listening(host, port, children["web server"], stop_requested):
                self.stdout.write(self.style.SUCCESS(f"Majlis is running at {url}  (Ctrl+C stops it)"))
            self.stdout.flush()
            failed = self._supervise(children, stop_requested)
        finally:
            self._stop(children)
            for sig, handler in previous_handlers.items():
                signal.signal(sig, handler)
        if failed:
            name, code = failed
            raise CommandError(f"The {name} stopped unexpectedly (exit status {code}); Majlis was shut down.")
        self.stdout.write("Majlis has stopped.")

    def _warn_about_unapplied_migrations(self) -> None:
        from django.db.migrations.executor import MigrationExecutor

        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as error:  # noqa: BLE001 - the web server will report a broken database itself
            self.stderr.write(f"Could not check the database: {error}")
            return
        if pending:
            self.stderr.write(
                self.style.WARNING(f"{len(pending)} database migration(s) not applied: run `majlis migrate` first.")
            )

    @staticmethod
    def _wait_until_listening(host: str, port: int, web: subprocess.Popen[bytes], stop: list[int]) -> bool:
        probe_host = "127.0.0.1" if host in {"0.0.0.0", ""} else ("::1" if host == "::" else host)  # noqa: S104
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and web.poll() is None and not stop:
            try:
                with socket.create_connection((probe_host, port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.2)
        return False

    @staticmethod
    def _supervise(children: dict[str, subprocess.Popen[bytes]], stop: list[int]) -> tuple[str, int] | None:
        while not stop:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    return name, code
            time.sleep(0.2)
        return None

    def _stop(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        running = {name: child for name, child in children.items() if child.poll() is None}
        if running:
            self.stdout.write("Stopping " + " and ".join(f"the {name}" for name in running) + " …")
        for child in running.values():
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for name, child in running.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"The {name} did not stop within {STOP_TIMEOUT:.0f} s; killing it.")
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.flush()
