"""Samverkan settings: one module, read from the environment.

Every variable is documented in README.md. Without any variable set, the project runs the
embedded default: SQLite under var/, Celery tasks run eagerly in-process, mail to the console.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # The trigram lookups of search's second pass; harmless on SQLite.
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "axes",
    "simple_history",
    "rus",
    "councils",
    "meetings",
    "protocols",
    "followups",
    "oparl",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come precompressed), before everything that writes the
    # body: gzip for pages and fragments, not for views marked @never_compress (BREACH).
    "rus.middleware.CompressingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rus.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every response (django-csp): everything from our own origin, nothing
# inline (htmx is vendored and configured by a <meta> tag; styles live in static/css), no plugins,
# no framing, forms post only to ourselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

ROOT_URLCONF = "rus.urls"
WSGI_APPLICATION = "rus.wsgi.application"

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
                "django.template.context_processors.i18n",
                "councils.context_processors.roles",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file under var/ for the first run.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'samverkan.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection (django-axes): lock a username + address after repeated failures.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates keep day-month order and the 24-hour clock (rus/formats/en/formats.py).
FORMAT_MODULE_PATH = ["rus.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"  # documents are served only through views that check rights

# Media storage: local files by default; S3-compatible when AWS_STORAGE_BUCKET_NAME is set.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Development and tests serve static/ directly through the finders, re-read on every change;
# production serves the collected, hashed files from STATIC_ROOT (`manage.py collectstatic`).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_MB", 25) * 1024 * 1024
# Zip-based uploads (XLSX, DOCX, PPTX, ODF) are refused beyond these, before being unpacked.
ARCHIVE_MAX_UNPACKED_BYTES = envint("ARCHIVE_MAX_UNPACKED_MB", 50) * 1024 * 1024
ARCHIVE_MAX_ENTRIES = envint("ARCHIVE_MAX_ENTRIES", 2000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samverkan <samverkan@rvn.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in the web process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task's message is acknowledged when the task has finished, not when it starts; a worker
# that dies meanwhile (kill -9, out of memory) hands it back to the broker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Two pool processes on the two cores it runs on: `make bench` (bench/invitations.py) sent 500
# invitations as fast with 2 as with 3 or 4 (196-211/s each, the machine's CPU being the limit),
# with 372 MB against 490 and 608 MB.
CELERY_WORKER_CONCURRENCY = envint("CELERY_WORKER_CONCURRENCY", 2)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 180)
CELERY_TIMEZONE = TIME_ZONE
# A publish to a broker that is down must fail fast, not hang the request.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The worker and beat wait for a broker that is down, however long, instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# ... and does not exit when Redis goes away while a task is unacknowledged (see the class).
CELERY_WORKER_CONSUMER = "rus.celery:BrokerOutageConsumer"
# A task running when the broker connection is lost is stopped (its message is handed out again):
# finishing, it would acknowledge on the lost connection, which makes Celery 5.7's worker exit.
# A mail it was sending is then "sending" with no sender, and the sweep sends it once more with
# the same Message-ID.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

# --- Cache: rendered page fragments ---
# Redis when REDIS_URL is set (the broker's database, keys under KEY_PREFIX), shared by every
# web process; this process's memory otherwise. See docs/architecture.md. Keys carry
# what the fragment shows (versions, rights, language), so entries are never invalidated by
# hand; they expire after CACHE_TIMEOUT seconds of not being rewritten.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "samverkan",
            "TIMEOUT": envint("CACHE_TIMEOUT", 24 * 3600),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": "samverkan",
            "TIMEOUT": envint("CACHE_TIMEOUT", 24 * 3600),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}

# --- Mail: one outbox for every mail (rus.outbox), one retry policy ---
# A temporary failure (SMTP 4xx, network, timeout) is retried after 2, 4, 8 … seconds (each up
# to half again at random), at most MAIL_RETRY_BACKOFF_MAX_SECONDS, MAIL_MAX_RETRIES times; then
# the row is "misslyckades" and can be resent. A permanent refusal (SMTP 5xx) fails at once.
MAIL_MAX_RETRIES = envint("MAIL_MAX_RETRIES", 5)
# Each worker process keeps one SMTP connection open across messages (rus/outbox/smtp.py):
# reopened after MAIL_CONNECTION_MAX_MESSAGES messages or MAIL_CONNECTION_IDLE_SECONDS idle.
MAIL_CONNECTION_MAX_MESSAGES = envint("MAIL_CONNECTION_MAX_MESSAGES", 100)
MAIL_CONNECTION_IDLE_SECONDS = float(os.environ.get("MAIL_CONNECTION_IDLE_SECONDS", 30))
# A council may have the kallelse med handlingar attached to the invitation mail
# (Council.attach_kallelse); a file larger than this goes as a link whatever the council prefers.
# One limit for all councils: it is the mail path's (our relay's and the receiving municipalities'
# servers, commonly 10-25 MB with the base64 overhead), not a council's choice.
KALLELSE_ATTACHMENT_MAX_BYTES = envint("KALLELSE_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
# Invitations are published to the worker in batches of this many (one task claims them together;
# meetings.services.invitations.delivery.deliver_batch). 50 by `make bench`: the worker spent 2.0
# ms of CPU per message against 2.3-2.5 with 20 (each task's own cost), 100 was no better, and
# 500 invitations are still ten tasks for two pool processes.
INVITATION_BATCH_SIZE = envint("INVITATION_BATCH_SIZE", 50)
MAIL_RETRY_BACKOFF_SECONDS = float(os.environ.get("MAIL_RETRY_BACKOFF_SECONDS", 2))
MAIL_RETRY_BACKOFF_MAX_SECONDS = float(os.environ.get("MAIL_RETRY_BACKOFF_MAX_SECONDS", 120))
# Beat's sweep publishes rows never published after MAIL_SWEEP_AFTER_SECONDS (broker down at
# send time), rows published but not picked up within MAIL_SWEEP_STALE_SECONDS (the task
# message was lost with a worker), and rows left "sending" by a dead worker.
MAIL_SWEEP_AFTER_SECONDS = envint("MAIL_SWEEP_AFTER_SECONDS", 30)
MAIL_SWEEP_STALE_SECONDS = envint("MAIL_SWEEP_STALE_SECONDS", 120)
MAIL_SWEEP_EVERY_SECONDS = envint("MAIL_SWEEP_EVERY_SECONDS", 30)

# Redis hands an unacknowledged message to another worker after the visibility timeout. It must
# outlast the longest a message is legitimately held: a retry's countdown (held by the worker
# until due) plus the task's hard time limit. Longer only delays a lost message, which the
# sweep publishes sooner anyway.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": int(MAIL_RETRY_BACKOFF_MAX_SECONDS + CELERY_TASK_TIME_LIMIT + 60),
}
CELERY_BEAT_SCHEDULE = {
    "mail-sweep": {"task": "rus.tasks.sweep_mail", "schedule": float(MAIL_SWEEP_EVERY_SECONDS)},
}

# --- Rendered documents (rus.documents): PDFs and other files made by Celery ---
# A failed render is retried after 2, 4, 8 … seconds, DOCUMENT_MAX_RETRIES times, then the
# document is "misslyckades" and can be rendered again from its page. The sweep publishes rows
# never published, not picked up, or left "rendering" by a dead worker.
DOCUMENT_MAX_RETRIES = envint("DOCUMENT_MAX_RETRIES", 3)
DOCUMENT_RETRY_BACKOFF_SECONDS = float(os.environ.get("DOCUMENT_RETRY_BACKOFF_SECONDS", 2))
DOCUMENT_SWEEP_AFTER_SECONDS = envint("DOCUMENT_SWEEP_AFTER_SECONDS", 30)
DOCUMENT_SWEEP_STALE_SECONDS = envint("DOCUMENT_SWEEP_STALE_SECONDS", 300)
CELERY_BEAT_SCHEDULE["documents-sweep"] = {
    "task": "rus.tasks.sweep_documents",
    "schedule": float(MAIL_SWEEP_EVERY_SECONDS),
}

# Security, for production (DEBUG off); `manage.py check --deploy` is clean with these.
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and container health checks ask over plain http from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step, fontTools every font subset, at INFO.
    "loggers": {
        # Django's own console handler (DEBUG only) would print each message a second time.
        "django": {"handlers": [], "level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Invitations: reminders and delivery retries (R7) ---
# Days before a meeting on which those who have not answered are reminded (comma-separated).
INVITATION_REMINDER_DAYS = [int(days) for days in envlist("INVITATION_REMINDER_DAYS", "7,1")]
CELERY_BEAT_SCHEDULE["invitations-sweep"] = {
    "task": "meetings.tasks.sweep_invitations",
    "schedule": float(MAIL_SWEEP_EVERY_SECONDS),
}
CELERY_BEAT_SCHEDULE["invitations-reminders"] = {
    "task": "meetings.tasks.send_invitation_reminders",
    "schedule": 15 * 60.0,
}
# --- Justering: reminders 3 days and 1 day before the deadline (R8) ---
CELERY_BEAT_SCHEDULE["justering-reminders"] = {
    "task": "protocols.tasks.send_justering_reminders",
    "schedule": 60 * 60.0,
}
# Follow-up (R10): pending formal decisions are reminded per council (Council's days), checked
# every hour; each reminder goes out once (followups/reminders.py).
CELERY_BEAT_SCHEDULE["followups-reminders"] = {
    "task": "followups.tasks.send_followup_reminders",
    "schedule": 60 * 60.0,
}
# With REDIS_URL and the default SQLite file, several worker processes deliver at once: take the
# write lock when a transaction begins and wait for it. SQLite's deferred transactions failed the
# second writer at once ("database is locked") after its mail was sent, leaving the row queued.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
