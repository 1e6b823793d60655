from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip a test whose tool is missing on a developer's machine; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI needs this: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from django.conf import settings

    # settings.py gives each test run its own temporary var/ folder (see UNDER_PYTEST there).
    if settings.UNDER_PYTEST and "majlis-test-var-" in str(settings.VAR_DIR):
        shutil.rmtree(settings.VAR_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _english_by_default():
    # Each test starts in English: a language activated by an earlier test must not leak into
    # the URLs it reverses or the texts it expects.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Cache keys contain row ids, which the database reuses from one test to the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    settings.MAJLIS_OUTBOX_DIR = tmp_path / "outbox"


@pytest.fixture
def shared_dir() -> Path:
    require(SHARED_DIR.is_dir(), f"the shared reference folder {SHARED_DIR} is absent")
    return SHARED_DIR


@pytest.fixture
def on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        # Not a missing tool: `.ci/run` runs the whole suite a second time on PostgreSQL.
        pytest.skip("needs PostgreSQL: runs in the DATABASE_URL=postgres://… pass")
    return connection
