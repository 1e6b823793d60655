"""Settings for Majlis, read from the environment.

Local use needs no configuration at all: an SQLite file, a generated secret key and an e-mail
outbox under ``var/``. ``MAJLIS_ENV=production`` refuses to start unless the operator has set a
real secret key and the allowed hosts.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
# pytest sets PYTEST_VERSION before Django's settings load: tests never touch a developer's var/.
UNDER_PYTEST = bool(os.environ.get("PYTEST_VERSION"))
MAJLIS_ENV = os.environ.get("MAJLIS_ENV", "test" if UNDER_PYTEST else "development").strip().lower()
if MAJLIS_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"MAJLIS_ENV must be development, production or test, not {MAJLIS_ENV!r}.")
PRODUCTION = MAJLIS_ENV == "production"

if os.environ.get("MAJLIS_VAR_DIR"):
    VAR_DIR = Path(os.environ["MAJLIS_VAR_DIR"]).resolve()
elif UNDER_PYTEST:
    VAR_DIR = Path(tempfile.mkdtemp(prefix="majlis-test-var-"))
else:
    VAR_DIR = (Path.cwd() / "var").resolve()
# var/ holds the database, the outbox (live log-in links), keys and uploaded files: only the account
# running Majlis may read it. Folders are created 0700 and files 0600 (``majlis`` also sets the umask).
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if VAR_DIR.stat().st_uid == os.getuid() and VAR_DIR.stat().st_mode & 0o077:
    VAR_DIR.chmod(0o700)

INSECURE_KEY_PREFIX = "django-insecure"


def _secret_key() -> str:
    key = os.environ.get("MAJLIS_SECRET_KEY") or os.environ.get("SECRET_KEY") or ""
    if PRODUCTION:
        if len(key) < 50 or key.startswith(INSECURE_KEY_PREFIX) or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "MAJLIS_ENV=production needs MAJLIS_SECRET_KEY: at least 50 random characters "
                "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(64))')."
            )
        return key
    if key:
        return key
    # A key generated once per installation keeps sessions valid across restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("MAJLIS_DEBUG", default=MAJLIS_ENV == "development")

ALLOWED_HOSTS = env_list("MAJLIS_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("MAJLIS_ENV=production needs MAJLIS_ALLOWED_HOSTS (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("MAJLIS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_countries",  # country names (its Russian catalogue; Uzbek from majlis/core/country_names)
    "majlis.core",
    "majlis.events",
    "majlis.programme",
    "majlis.accreditation",
    "majlis.badges",
    "majlis.gates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "majlis.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses NUL (400) and strips invisible format controls before anything reads the input.
    "majlis.core.hygiene.InputHygieneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "majlis.core.middleware.OrganiserSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "majlis.urls"
WSGI_APPLICATION = "majlis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "majlis.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'majlis.sqlite3'}",
        conn_max_age=int(os.environ.get("MAJLIS_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite gives its -wal and -shm files the mode of the database file: create that one 0600.
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if str(DATABASES["default"]["NAME"]) != ":memory:" and not _sqlite_file.exists():
        # OSError: another process created it meanwhile, or its folder is missing (SQLite reports that).
        with contextlib.suppress(OSError):
            os.close(os.open(_sqlite_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache also holds the rate-limit and log-in throttle counters: in production it must be Redis
# (MAJLIS_REDIS_URL), shared by every worker process (`majlis check --deploy` says so).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "majlis"}}
if os.environ.get("MAJLIS_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["MAJLIS_REDIS_URL"],
    }

# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated).
# Empty: nobody's; the client is REMOTE_ADDR. See majlis.core.throttle.client_address.
MAJLIS_TRUSTED_PROXIES = env_list("MAJLIS_TRUSTED_PROXIES")

# Failed password log-ins (site and /admin/): after this many failures within the window, for one
# account or from one client address, log-ins are refused until the window ends, even with the
# right password.
MAJLIS_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("MAJLIS_LOGIN_FAILURES_PER_ACCOUNT", "5"))
MAJLIS_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("MAJLIS_LOGIN_FAILURES_PER_ADDRESS", "20"))
MAJLIS_LOGIN_FAILURE_WINDOW = int(os.environ.get("MAJLIS_LOGIN_FAILURE_WINDOW", str(15 * 60)))

# Sessions of organisers and staff (any organiser-type event role, is_staff or is_superuser) end
# after this many seconds without a request, and at the latest this long after the log-in.
# Participants keep Django's normal session (SESSION_COOKIE_AGE, two weeks).
MAJLIS_ORGANISER_SESSION_IDLE = int(os.environ.get("MAJLIS_ORGANISER_SESSION_IDLE", str(60 * 60)))
MAJLIS_ORGANISER_SESSION_MAX = int(os.environ.get("MAJLIS_ORGANISER_SESSION_MAX", str(10 * 60 * 60)))

# Browser features no page uses are switched off (Permissions-Policy header).
MAJLIS_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), bluetooth=(), browsing-topics=(), camera=(), display-capture=(), "
    "geolocation=(), gyroscope=(), hid=(), interest-cohort=(), magnetometer=(), microphone=(), midi=(), "
    "payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Passwords are checked by Django's backend; the second one only answers the admin's model
# permissions from event capabilities (an organiser manages their own events' data, no global right).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "majlis.events.admin_scope.EventCapabilityBackend",
]
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "account:home"

# Languages: English, Russian and Uzbek (Latin script). Content falls back to English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("uz", _("Uzbek"))]
LANGUAGE_NAMES_NATIVE = {"en": "English", "ru": "Русский", "uz": "Oʻzbekcha"}
# The second catalogue holds country names in Uzbek (django-countries has none) and the few Russian
# names it lacks; `make messages` leaves it alone (it is not extracted from the code).
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "core" / "country_names"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(mode=0o700, exist_ok=True)
# Uploaded files (logos, documents, later photos) live outside any public URL: views that check
# permissions stream them. Nothing is served from MEDIA_ROOT directly.
MEDIA_ROOT = VAR_DIR / "files"
MEDIA_URL = "/private-files-are-never-served-here/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAJLIS_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

# E-mail: SMTP when MAJLIS_SMTP_HOST is set, otherwise printed and kept in var/outbox/.
EMAIL_HOST = os.environ.get("MAJLIS_SMTP_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("MAJLIS_SMTP_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("MAJLIS_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("MAJLIS_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("MAJLIS_SMTP_STARTTLS", False)
    EMAIL_USE_SSL = env_bool("MAJLIS_SMTP_SSL", False)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "majlis.core.mail.ConsoleOutboxBackend"
MAJLIS_OUTBOX_DIR = VAR_DIR / "outbox"
DEFAULT_FROM_EMAIL = os.environ.get("MAJLIS_FROM_EMAIL", "Majlis <no-reply@majlis.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: stored in the database; `majlis serve` runs a worker beside the web server
# unless MAJLIS_INLINE_WORKER=0 (production runs `majlis worker` as its own service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MAJLIS_INLINE_WORKER = env_bool("MAJLIS_INLINE_WORKER", not PRODUCTION)

# Invitation e-mails (focal points, members completing their own data) carry a single-use link that
# lasts this many hours, so that people in other time zones can use it; log-in links keep 20 minutes.
MAJLIS_INVITATION_LINK_HOURS = max(int(os.environ.get("MAJLIS_INVITATION_LINK_HOURS", "72")), 1)

# Staff must confirm a TOTP code to reach the back office in production.
MAJLIS_REQUIRE_STAFF_2FA = env_bool("MAJLIS_REQUIRE_STAFF_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "Majlis"

# Content Security Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("MAJLIS_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("MAJLIS_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("MAJLIS_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {
        "redact_passports": {"()": "majlis.core.logging_filters.RedactPassportFilter"},
        "redact_tokens": {"()": "majlis.core.logging_filters.RedactTokenFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_passports", "redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MAJLIS_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (a console handler in DEBUG, mail to ADMINS, which is not set) would
        # write request paths unfiltered: its records go to the filtered root handler only.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},  # not "logger bridge initialized" at every start
        # runserver's request lines go through the same filters (tokens in paths are redacted).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Error reports never show passport numbers or keys, whatever a view forgot to mark sensitive.
DEFAULT_EXCEPTION_REPORTER_FILTER = "majlis.core.logging_filters.PassportSafeExceptionReporterFilter"
# The public address used in e-mailed links (log-in links), so that a forged Host header cannot change them.
MAJLIS_PUBLIC_URL = os.environ.get(
    "MAJLIS_PUBLIC_URL", "" if PRODUCTION else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")
