"""The ``majlis`` command line, run for real: help, hyphenated names, ``serve`` and ``worker``."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

MAJLIS = Path(sys.executable).with_name("majlis")
ENQUEUE = (
    "from majlis.core.tasks import send_mail_task; "
    "send_mail_task.enqueue({subject!r}, 'Body of the message.', ['delegate@example.org'])"
)


def command_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment of a fresh installation: nothing of the developer's or CI's Majlis settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MAJLIS_")
        and key
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "PORT",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "PYTEST_VERSION",
        }
    }
    env.update({"MAJLIS_VAR_DIR": str(var_dir), "MAJLIS_ENV": "development", "MAJLIS_DEBUG": "0"})
    env.update(overrides)
    return env


def majlis(*args: str, var_dir: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MAJLIS), *args],
        env=command_env(var_dir, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=var_dir,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0) until its parent reaps it.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


@pytest.fixture(scope="module")
def migrated_var(tmp_path_factory) -> Path:
    assert MAJLIS.exists(), f"the majlis console script is not installed at {MAJLIS}"
    var_dir = tmp_path_factory.mktemp("majlis-var")
    result = majlis("migrate", "--no-input", var_dir=var_dir)
    assert result.returncode == 0, result.stderr
    return var_dir


def test_cli_help_lists_the_majlis_commands(tmp_path):
    result = majlis("--help", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in ("serve", "worker", "otp_enroll", "migrate"):
        assert command in result.stdout


def test_cli_hyphenated_name_reaches_the_underscored_command(tmp_path, migrated_var):
    result = majlis("otp-enroll", "--help", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Create a confirmed TOTP device" in result.stdout
    result = majlis("otp-enroll", "nobody", var_dir=migrated_var)
    assert result.returncode == 1
    assert "There is no user 'nobody'" in result.stderr


def test_cli_main_maps_hyphens_only_in_the_command_name(monkeypatch):
    from majlis import cli

    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    cli.main(["/x/bin/majlis", "purge-personal-data", "--dry-run", "some-slug"])
    assert seen == [["majlis", "purge_personal_data", "--dry-run", "some-slug"]]


def test_worker_runs_an_enqueued_mail_task_into_the_outbox(migrated_var):
    result = majlis("shell", "-c", ENQUEUE.format(subject="Worker test"), var_dir=migrated_var)
    assert result.returncode == 0, result.stderr
    result = majlis("worker", "--batch", "--no-startup-delay", "--no-reload", var_dir=migrated_var)
    assert result.returncode == 0, result.stderr
    messages = [p.read_text() for p in (migrated_var / "outbox").glob("*.eml")]
    assert any("Subject: Worker test" in m and "delegate@example.org" in m for m in messages), messages


@pytest.mark.django_db(transaction=True)
def test_worker_command_marks_the_task_successful(settings):
    from django_tasks_db.models import DBTaskResult

    from majlis.core.tasks import send_mail_task

    settings.EMAIL_BACKEND = "majlis.core.mail.ConsoleOutboxBackend"
    result = send_mail_task.enqueue("In-process test", "Body", ["a@example.org"], reply_to=["b@example.org"])
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "SUCCESSFUL"
    assert stored.return_value == 1
    (message,) = Path(settings.MAJLIS_OUTBOX_DIR).glob("*.eml")
    assert "Reply-To: b@example.org" in message.read_text()


def start_serve(var_dir: Path, port: int | None, log: Path, **env: str) -> subprocess.Popen[bytes]:
    port_args = ["--port", str(port)] if port else []
    return subprocess.Popen(
        [str(MAJLIS), "serve", *port_args],
        env=command_env(var_dir, **env),
        cwd=var_dir,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def child_pids(log: Path) -> dict[str, int]:
    return {
        name: int(pid)
        for name, pid in re.findall(r"Started the (web server|task worker) \(pid (\d+)\)", log.read_text())
    }


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_runs_gunicorn_and_the_worker_then_stops_both(migrated_var, tmp_path, stop_signal):
    port = free_port()
    log = tmp_path / "serve.log"
    subject = f"Served {stop_signal.name}"
    server = start_serve(migrated_var, port, log, MAJLIS_INLINE_WORKER="1", MAJLIS_WEB_WORKERS="1")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _healthy(base), 60, f"/healthz on port {port}:\n{log.read_text()}")
        status, body = get(f"{base}/static/admin/css/base.css")
        assert status == 200
        assert b"body" in body
        assert (migrated_var / "static" / "admin" / "css" / "base.css").exists()
        assert f"Majlis is running at {base}/" in log.read_text()
        pids = child_pids(log)
        assert set(pids) == {"web server", "task worker"}
        # The inline worker picks up a task enqueued by another process.
        result = majlis("shell", "-c", ENQUEUE.format(subject=subject), var_dir=migrated_var)
        assert result.returncode == 0, result.stderr
        wait_for(
            lambda: any(f"Subject: {subject}" in p.read_text() for p in (migrated_var / "outbox").glob("*.eml")),
            30,
            "the inline worker to send the message",
        )
    finally:
        server.send_signal(stop_signal)
        try:
            code = server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert code == 0, log.read_text()
    assert "Majlis has stopped." in log.read_text()
    for name, pid in pids.items():
        wait_for(lambda pid=pid: not process_exists(pid), 10, f"the {name} (pid {pid}) to exit")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def _healthy(base: str) -> bool:
    try:
        return get(f"{base}/healthz")[0] == 200
    except OSError:
        return False


def test_serve_takes_the_port_from_the_environment_and_can_run_without_worker(migrated_var, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    server = start_serve(migrated_var, None, log, MAJLIS_INLINE_WORKER="0", PORT=str(port))
    try:
        wait_for(lambda: _healthy(f"http://127.0.0.1:{port}"), 60, f"/healthz:\n{log.read_text()}")
        assert set(child_pids(log)) == {"web server"}
    finally:
        server.terminate()
        server.wait(timeout=40)
    assert server.returncode == 0


def test_serve_fails_and_stops_the_worker_when_the_port_is_taken(migrated_var, tmp_path):
    log = tmp_path / "serve.log"
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        server = start_serve(migrated_var, port, log, MAJLIS_INLINE_WORKER="1")
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert code != 0
    assert "stopped unexpectedly" in log.read_text()
    for name, pid in child_pids(log).items():
        wait_for(lambda pid=pid: not process_exists(pid), 10, f"the {name} (pid {pid}) to exit")
