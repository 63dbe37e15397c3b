"""Gongkai settings: one module, switched by environment variables (see .env.example).

Development (`make run`) sets DEBUG=true; production leaves it unset and must then provide
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. `manage.py check --deploy --fail-level WARNING`
passes with the production values (tests/test_security_settings.py proves it).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("GONGKAI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    # Development only: one random key per checkout, kept in var/ (git ignores it).
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "huey.contrib.djhuey",
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.portal",
    "gongkai.applications",
    "gongkai.catalog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.core.middleware.RequestContextMiddleware",
    "gongkai.accounts.middleware.SessionLifetimeMiddleware",
    "gongkai.accounts.middleware.PasswordAgeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gongkai.core.middleware.NoStoreMiddleware",
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
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs ------------------------------------------------------------
REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "gongkai.core.masking.MaskPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "gongkai.core.masking.PersonalDataExceptionReporterFilter"

# --- Gongkai ------------------------------------------------------------------------------
# Legal counting rule (民法典 art. 201 practice): the start day is not counted.
WORKDAYS_COUNT_START_DAY = envbool("WORKDAYS_COUNT_START_DAY", False)
# From this month-day on, administrators are warned while next year's arrangement is missing.
CALENDAR_WARN_FROM = (11, 1)
AUDIT_HMAC_KEY = envstr("AUDIT_HMAC_KEY") or SECRET_KEY
DEMO_CREDENTIALS_FILE = VAR_DIR / "demo-credentials.txt"
# Generated notices and uploaded files: outside any served directory, reached only through
# permission-checked views (security.md FILE-02).
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # FILE-01: no form takes more than a few files
PRIVATE_MEDIA_ROOT = Path(envstr("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
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

# The catalog (issue 3). Its search index is derived from the database and lives on local disk
# (docs/decisions/0012-catalog-search.md); each application server keeps its own copy.
CATALOG_SEARCH_INDEX_DIR = Path(envstr("CATALOG_SEARCH_INDEX_DIR", str(VAR_DIR / "search-index")))
CATALOG_ATTACHMENT_MAX_MB = envint("CATALOG_ATTACHMENT_MAX_MB", 20)
CATALOG_IMPORT_MAX_ROWS = envint("CATALOG_IMPORT_MAX_ROWS", 5000)
