"""Settings from the environment, checked in fresh processes as an operator would start them."""

from __future__ import annotations

import secrets
import stat
import subprocess
import sys
from pathlib import Path

from tests.core.test_cli import command_env, majlis

GOOD_KEY = secrets.token_urlsafe(64)
PRINT_KEY = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"


def python(code: str, var_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=command_env(var_dir, DJANGO_SETTINGS_MODULE="majlis.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=var_dir,
    )


def production(**env: str) -> dict[str, str]:
    return {"MAJLIS_ENV": "production", **env}


def test_settings_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = python("import django; django.setup()", tmp_path, **production(MAJLIS_ALLOWED_HOSTS="majlis.example.org"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "MAJLIS_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_settings_production_refuses_a_short_or_insecure_secret_key(tmp_path):
    for key in ("too-short", "django-insecure-" + "x" * 60, "a" * 60):
        result = python(
            "import django; django.setup()",
            tmp_path,
            **production(MAJLIS_SECRET_KEY=key, MAJLIS_ALLOWED_HOSTS="majlis.example.org"),
        )
        assert result.returncode != 0, key
        assert "at least 50 random characters" in result.stderr, key


def test_settings_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = python("import django; django.setup()", tmp_path, **production(MAJLIS_SECRET_KEY=GOOD_KEY))
    assert result.returncode != 0
    assert "MAJLIS_ALLOWED_HOSTS" in result.stderr


def test_settings_unknown_environment_name_is_refused(tmp_path):
    result = python("import django; django.setup()", tmp_path, MAJLIS_ENV="staging")
    assert result.returncode != 0
    assert "MAJLIS_ENV must be development, production or test" in result.stderr


DATA_KEY = "q4F0Nq0yq0mJ7kQ2T2d8r1y3W3n5j0q6V1m2b4c6d8E="
REDIS_URL = "redis://127.0.0.1:6379/15"  # the deployment check writes, reads and deletes one key
DIGEST_KEYS = "d1:c2V2ZXJhbC1yYW5kb20tYnl0ZXMtZm9yLXRoZS1kaWdlc3Qta2V5IQ"


def complete_production(**overrides: str) -> dict[str, str]:
    """Production settings that pass every deployment check, with ``overrides`` applied."""
    return production(
        **{
            "MAJLIS_SECRET_KEY": GOOD_KEY,
            "MAJLIS_ALLOWED_HOSTS": "majlis.example.org",
            "MAJLIS_DATA_KEYS": DATA_KEY,
            "MAJLIS_PUBLIC_URL": "https://majlis.example.org",
            "MAJLIS_REDIS_URL": REDIS_URL,
            "MAJLIS_DIGEST_KEYS": DIGEST_KEYS,
            **overrides,
        }
    )


def test_settings_production_passes_the_deployment_checks(tmp_path):
    result = majlis(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        var_dir=tmp_path,
        **production(
            MAJLIS_SECRET_KEY=GOOD_KEY,
            MAJLIS_ALLOWED_HOSTS="majlis.example.org,www.majlis.example.org",
            MAJLIS_DATA_KEYS=DATA_KEY,
            MAJLIS_PUBLIC_URL="https://majlis.example.org",
            MAJLIS_REDIS_URL=REDIS_URL,
            MAJLIS_DIGEST_KEYS=DIGEST_KEYS,
            MAJLIS_TRUSTED_PROXIES="127.0.0.1,10.0.0.0/8",
        ),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_settings_production_deployment_check_demands_data_keys(tmp_path):
    result = majlis(
        "check",
        "--deploy",
        var_dir=tmp_path,
        **production(
            MAJLIS_SECRET_KEY=GOOD_KEY,
            MAJLIS_ALLOWED_HOSTS="majlis.example.org",
            MAJLIS_PUBLIC_URL="https://majlis.example.org",
        ),
    )
    assert result.returncode != 0
    assert "MAJLIS_DATA_KEYS" in result.stdout + result.stderr


def test_settings_production_deployment_check_demands_an_https_public_url(tmp_path):
    result = majlis(
        "check",
        "--deploy",
        var_dir=tmp_path,
        **production(MAJLIS_SECRET_KEY=GOOD_KEY, MAJLIS_ALLOWED_HOSTS="majlis.example.org", MAJLIS_DATA_KEYS=DATA_KEY),
    )
    assert result.returncode != 0
    assert "MAJLIS_PUBLIC_URL" in result.stdout + result.stderr


def test_settings_production_values(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.MAJLIS_REQUIRE_STAFF_2FA, s.MAJLIS_INLINE_WORKER, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS)"
    )
    result = python(code, tmp_path, **production(MAJLIS_SECRET_KEY=GOOD_KEY, MAJLIS_ALLOWED_HOSTS="a.example.org"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "False", "True", "True", "True", "True", "['a.example.org']"]


def test_settings_development_generates_a_private_secret_key_and_reuses_it(tmp_path):
    first = python(PRINT_KEY, tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = first.stdout.strip()
    assert len(key) >= 50
    assert key == key_file.read_text().strip()
    second = python(PRINT_KEY, tmp_path)
    assert second.stdout.strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_settings_development_defaults_need_no_configuration(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.MAJLIS_REQUIRE_STAFF_2FA, s.MAJLIS_INLINE_WORKER, s.EMAIL_BACKEND, "
        "s.DATABASES['default']['NAME'], s.STATIC_ROOT)"
    )
    result = python(code, tmp_path, MAJLIS_DEBUG="")
    assert result.returncode == 0, result.stderr
    debug, two_factor, worker, backend, database, static_root = result.stdout.split()
    assert (debug, two_factor, worker) == ("True", "False", "True")
    assert backend == "majlis.core.mail.ConsoleOutboxBackend"
    assert database == str(tmp_path.resolve() / "majlis.sqlite3")
    assert static_root == str(tmp_path.resolve() / "static")


def test_settings_secret_key_from_the_environment_wins_in_development(tmp_path):
    result = python(PRINT_KEY, tmp_path, MAJLIS_SECRET_KEY=GOOD_KEY)
    assert result.stdout.strip() == GOOD_KEY
    assert not (tmp_path / "secret_key").exists()


def test_settings_production_deployment_check_refuses_debug(tmp_path):
    result = majlis("check", "--deploy", var_dir=tmp_path, **complete_production(MAJLIS_DEBUG="1"))
    assert result.returncode != 0
    assert "majlis.E003" in result.stdout + result.stderr
    assert "MAJLIS_DEBUG is on in production" in result.stdout + result.stderr


def test_settings_production_deployment_check_refuses_staff_without_second_factor(tmp_path):
    result = majlis("check", "--deploy", var_dir=tmp_path, **complete_production(MAJLIS_REQUIRE_STAFF_2FA="0"))
    assert result.returncode != 0
    assert "majlis.E004" in result.stdout + result.stderr


def test_settings_production_deployment_check_demands_data_keys_even_with_everything_else(tmp_path):
    env = complete_production()
    del env["MAJLIS_DATA_KEYS"]
    result = majlis("check", "--deploy", var_dir=tmp_path, **env)
    assert result.returncode != 0
    assert "majlis.E001" in result.stdout + result.stderr


def test_settings_production_deployment_check_demands_digest_keys(tmp_path):
    env = complete_production()
    del env["MAJLIS_DIGEST_KEYS"]
    result = majlis("check", "--deploy", var_dir=tmp_path, **env)
    assert result.returncode != 0
    assert "majlis.E008" in result.stdout + result.stderr


def test_settings_production_deployment_check_fails_when_the_cache_does_not_answer(tmp_path):
    # Nothing listens on port 9: the first cache access would fail in production; the check says so.
    result = majlis(
        "check", "--deploy", var_dir=tmp_path, **complete_production(MAJLIS_REDIS_URL="redis://127.0.0.1:9/0")
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "majlis.E007" in output and "The cache does not answer" in output


def test_settings_production_deployment_check_demands_a_shared_cache(tmp_path):
    env = complete_production()
    del env["MAJLIS_REDIS_URL"]
    result = majlis("check", "--deploy", var_dir=tmp_path, **env)
    assert result.returncode != 0
    assert "majlis.E005" in result.stdout + result.stderr


def test_settings_deployment_check_reports_invalid_trusted_proxies(tmp_path):
    result = majlis(
        "check", "--deploy", var_dir=tmp_path, **complete_production(MAJLIS_TRUSTED_PROXIES="10.0.0.1,proxy.local")
    )
    assert result.returncode != 0
    assert "majlis.E006" in result.stdout + result.stderr
    assert "'proxy.local'" in result.stdout + result.stderr
