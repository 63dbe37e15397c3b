"""Gongkai settings: one module, switched by environment variables (see .env.example).

Development (`make run`) sets DEBUG=true; production leaves it unset and must then provide
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. `manage.py check --deploy --fail-level WARNING`
passes with the production values (tests/test_security_settings.py proves it).
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("GONGKAI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)


def _development_secret(file_name: str) -> str:
    """Development only: one random key per checkout, kept in var/ (git ignores it)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / file_name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    return _development_secret("secret_key")


SECRET_KEY = _secret_key()


def _personal_data_keys() -> str:
    """``key_id:base64key`` entries, the first current (gongkai.core.crypto; docs/decisions/0022).

    Kept outside the database: in the environment, or in a file named by PERSONAL_DATA_KEYS_FILE
    (one entry a line). Production refuses to start without them, like without SECRET_KEY."""
    keys = envstr("PERSONAL_DATA_KEYS")
    if keys.strip():
        return keys
    if not DEBUG:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS (or PERSONAL_DATA_KEYS_FILE) must be set when DEBUG is off (see .env.example)."
        )
    # Development only: one random key per checkout, kept in var/ (git ignores it).
    import base64

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "personal_data_keys"
    if not path.exists():
        path.write_text(f"dev1:{base64.b64encode(secrets.token_bytes(32)).decode()}\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8")


PERSONAL_DATA_KEYS = _personal_data_keys()
# sm4: SM4-GCM and HMAC-SM3, the algorithms a level-3 system's 密评 expects (GB/T 39786-2021);
# aes: AES-256-GCM and HMAC-SHA256. Tokens name their algorithm, so both are always readable;
# after switching, `manage.py rotate_personal_data_key` rewrites everything with the new one.
PERSONAL_DATA_CIPHER = envstr("PERSONAL_DATA_CIPHER", "sm4")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    # Second factor for staff (security.md AUTH-04): TOTP devices and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.portal",
    "gongkai.applications",
    "gongkai.catalog",
    "gongkai.disputes",
    "gongkai.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.middleware.DropUnsafeCookiesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.core.middleware.RequestContextMiddleware",
    "gongkai.accounts.middleware.SessionLifetimeMiddleware",
    # Before every other check of a staff page: the network allowlists, then the second factor.
    "gongkai.accounts.middleware.StaffNetworkMiddleware",
    "gongkai.accounts.middleware.TwoFactorMiddleware",
    "gongkai.accounts.middleware.PasswordAgeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gongkai.core.middleware.NoStoreMiddleware",
    # Before any view, the access policy and axes read the input (WEB-05)
    "gongkai.core.middleware.UnsafeInputMiddleware",
    "gongkai.core.middleware.MethodNotAllowedMiddleware",
    "gongkai.core.middleware.AccessPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.accounts.context_processors.staff_context",
                "gongkai.core.reminders.due_soon_context",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite (WAL) is the embedded default; PostgreSQL is production. IMMEDIATE transactions make
# SQLite writers queue instead of failing with "database is locked" (security.md, note 2).
# A PostgreSQL connection is kept for a minute (checked before reuse) instead of being opened for
# every request, which costs about 5 ms (docs/performance.md); SQLite opens cheaply.
_DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        conn_max_age=envint("DB_CONN_MAX_AGE", 60 if _DATABASE_URL.startswith("postgres") else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: freed pages are zeroed, so purged personal data leaves no trace (PI-04).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs ------------------------------------------------------------
# One cache shared by every worker and process, because rate limits live in it (ABUSE-01):
# Redis when REDIS_URL is set, else a database table (created by `migrate`; gongkai.core.cache
# makes its counters atomic). Never a per-process cache (decision 0016).
REDIS_URL = envstr("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "gongkai.core.cache.DatabaseCache",
            "LOCATION": "gongkai_cache",
            # Culling deletes entries early: keep it far away, or a flood of keys resets the limits.
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 1_000_000)},
        }
    }

# huey: SQLite queue file beside the database by default (no extra service), Redis when set.
HUEY = {
    "name": "gongkai",
    "immediate": envbool("HUEY_IMMEDIATE", False),
    "utc": False,
    "consumer": {"workers": 1, "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# 等保 asks for length and complexity; ASVS forbids composition rules. Both are configurable
# (security.md, note 1): staff default to 12 characters and 3 of 4 character classes.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "gongkai.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": envint("PASSWORD_MIN_CHARACTER_CLASSES", 3)},
    },
    {"NAME": "gongkai.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after 5 failures per account+IP for 30 minutes (security.md AUTH-03).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "gongkai.core.request_context.client_ip"
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Second factor (security.md AUTH-04; docs/decisions/0021-otp.md). Administrators (三员) and
# leaders always need a TOTP code; other staff when their agency asks for it, or everyone when
# TWO_FACTOR_FOR_ALL_STAFF is on. Wrong codes lock the device for 1, 2, 4, 8 … × the factor seconds.
TWO_FACTOR_FOR_ALL_STAFF = envbool("TWO_FACTOR_FOR_ALL_STAFF", False)
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "Gongkai")
OTP_TOTP_THROTTLE_FACTOR = envint("OTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = envint("OTP_THROTTLE_FACTOR", 1)
# The administration pages (三员) answer 404 outside these networks (comma-separated CIDR
# ranges; empty: no restriction). Each agency may also limit its staff's pages to its networks.
ADMIN_ALLOWED_NETWORKS = envlist("ADMIN_ALLOWED_NETWORKS")
for _network in ADMIN_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ADMIN_ALLOWED_NETWORKS: {_network!r} is not a CIDR range") from exc

# Staff sessions: 30 minutes idle (each request renews), 8 hours absolute (AUTH-05).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 8 * 60 * 60)
# 等保 asks for periodic password change and for disabling unused accounts (AUTH-01, AUTH-02);
# 0 switches either off. ASVS 5 discourages forced rotation: see docs/decisions/0007.
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", 90)
ACCOUNT_INACTIVE_DAYS = envint("ACCOUNT_INACTIVE_DAYS", 90)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "gongkai.core.views.csrf_failure"

# --- Transport and headers (production values unless DEBUG) --------------------------------
SECURE_COOKIES = envbool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# No inline script, no outside host (security.md WEB-02).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [Path(envstr("GONGKAI_LOCALE_DIR", str(BASE_DIR / "locale")))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: all served by the project (no CDN) --------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it; collectstatic fills it
WHITENOISE_USE_FINDERS = envbool("STATIC_FROM_SOURCE", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "gongkai@localhost")

# --- Logging: never personal data (the filter masks ID numbers and phones) -----------------
# (and query codes: the development server's request lines pass through the same filter).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "gongkai.core.masking.MaskPersonalDataFilter"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
# Error reports (500 e-mails, the DEBUG page) hide personal data, query codes and keys (PI-05).
DEFAULT_EXCEPTION_REPORTER_FILTER = "gongkai.core.masking.PersonalDataExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "gongkai.core.masking.PersonalDataExceptionReporter"

# --- Gongkai ------------------------------------------------------------------------------
# Legal counting rule (民法典 art. 201 practice): the start day is not counted.
WORKDAYS_COUNT_START_DAY = envbool("WORKDAYS_COUNT_START_DAY", False)
# From this month-day on, administrators are warned while next year's arrangement is missing.
CALENDAR_WARN_FROM = (11, 1)
# "Due soon" everywhere (lists, dashboard counts, reminders): due within this many working days
# (seed: reminders at ≤ 3 WD). Read by gongkai.core.reminders.due_soon_until.
DUE_SOON_WORKING_DAYS = envint("DUE_SOON_WORKING_DAYS", 3)
# The audit chain's own key, never SECRET_KEY (AUD-02; decision 0019). AUDIT_HMAC_KEY_FILE works
# too. Production without it: the deploy check warns and every audited action fails (AUD-03).
AUDIT_HMAC_KEY = envstr("AUDIT_HMAC_KEY") or (_development_secret("audit_hmac_key") if DEBUG else "")
# The chain's MAC: "sha256" (HMAC-SHA256) or "sm3" (HMAC-SM3, the national algorithm a 密评 asks
# for). Choose it once, before the first audit row: the whole chain is verified with one algorithm.
AUDIT_HASH_ALGORITHM = envstr("AUDIT_HASH_ALGORITHM", "sha256")
if AUDIT_HASH_ALGORITHM not in ("sha256", "sm3"):
    raise ImproperlyConfigured("AUDIT_HASH_ALGORITHM must be sha256 or sm3.")


def _audit_retention_days() -> int:
    """Audit rows are kept at least 180 days (网络安全法 art. 21(3)); less is refused."""
    days = envint("AUDIT_RETENTION_DAYS", 180)
    if days < 180:
        raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (网络安全法 art. 21(3)).")
    return days


AUDIT_RETENTION_DAYS = _audit_retention_days()
# The daily export of the chain's head (append-only lines) and the retention job's archives:
# files outside the database; in production put them on storage the database host cannot rewrite.
AUDIT_HEAD_EXPORT_DIR = Path(envstr("AUDIT_HEAD_EXPORT_DIR", str(VAR_DIR / "audit-heads")))
AUDIT_ARCHIVE_DIR = Path(envstr("AUDIT_ARCHIVE_DIR", str(VAR_DIR / "audit-archive")))
DEMO_CREDENTIALS_FILE = VAR_DIR / "demo-credentials.txt"
# Generated notices and uploaded files: outside any served directory, reached only through
# permission-checked views (security.md FILE-02).
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # FILE-01: no form takes more than a few files
PRIVATE_MEDIA_ROOT = Path(envstr("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Backups (security.md REL-05, docs/operations.md): where `manage.py backup` writes, and the key
# (32 bytes, base64) that seals each backup with AES-256-GCM; keep the key away from the backups.
BACKUP_DIR = Path(envstr("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_ENCRYPTION_KEY = envstr("BACKUP_ENCRYPTION_KEY")
# Uploads larger than 2.5 MB are spooled to disk while the request is read: keep those temp
# files where the start-up clean-up finds what a crash left (REL-06; docs/decisions/0020).
FILE_UPLOAD_TEMP_DIR = Path(envstr("FILE_UPLOAD_TEMP_DIR", str(VAR_DIR / "upload-tmp")))
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
# Malware scanning of every upload, failing closed (FILE-03; gongkai/core/scanning.py):
# "clamd" (the default in production), "none" (development only: `check --deploy` warns), or a
# dotted path to a scanner class. CLAMD_ADDRESS is clamd's local socket path or host:port.
MALWARE_SCANNER = envstr("MALWARE_SCANNER", "none" if DEBUG else "clamd")
CLAMD_ADDRESS = envstr("CLAMD_ADDRESS", "/run/clamav/clamd.ctl")
CLAMD_TIMEOUT = envint("CLAMD_TIMEOUT", 30)
# Whether the time between a fee notice and payment is excluded from the reply period is not
# verified (regulations.md §3); excluded by default (docs/decisions/0010-application-clock.md).
APPLICATION_FEE_TIME_EXCLUDED = envbool("APPLICATION_FEE_TIME_EXCLUDED", True)
# Public form limits (security.md ABUSE-01).
APPLICATION_MIN_FILL_SECONDS = envint("APPLICATION_MIN_FILL_SECONDS", 5)
APPLICATION_LIMIT_PER_IP_HOUR = envint("APPLICATION_LIMIT_PER_IP_HOUR", 3)
APPLICATION_LIMIT_PER_ID_DAY = envint("APPLICATION_LIMIT_PER_ID_DAY", 3)
# The tracker (web page and API): failed number + query code lookups per hour, per application
# number and per client address; beyond them the lookup answers 429 (ABUSE-01).
APPLICATION_TRACK_FAILURES_PER_NUMBER_HOUR = envint("APPLICATION_TRACK_FAILURES_PER_NUMBER_HOUR", 10)
APPLICATION_TRACK_FAILURES_PER_IP_HOUR = envint("APPLICATION_TRACK_FAILURES_PER_IP_HOUR", 30)
# Retention (security.md PI-04; PIPL art. 19, 47; seed E6; docs/decisions/0022): the applicant's
# personal data and files are purged this many years after the year's archive hand-over; the
# identity proofs already this many days after the reply (6 months to sue, 行政诉讼法 art. 46,
# with a margin for the court's copy of the complaint to arrive).
APPLICATION_RETENTION_YEARS = envint("APPLICATION_RETENTION_YEARS", 10)
IDENTITY_PROOF_RETENTION_DAYS = envint("IDENTITY_PROOF_RETENTION_DAYS", 365)

# The catalog (issue 3). Its search index is derived from the database and lives on local disk
# (docs/decisions/0012-catalog-search.md); each application server keeps its own copy.
CATALOG_SEARCH_INDEX_DIR = Path(envstr("CATALOG_SEARCH_INDEX_DIR", str(VAR_DIR / "search-index")))
CATALOG_ATTACHMENT_MAX_MB = envint("CATALOG_ATTACHMENT_MAX_MB", 20)
CATALOG_IMPORT_MAX_ROWS = envint("CATALOG_IMPORT_MAX_ROWS", 5000)
