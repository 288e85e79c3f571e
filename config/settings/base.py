"""Settings shared by every mode. Everything that differs between machines comes from the
environment (see README, "Configuration"); what is here is either fixed or an embedded default
that lets a newcomer run Liaison with no servers installed."""

from __future__ import annotations

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from config.email import anymail_settings
from config.env import env, env_bool, env_int, env_list
from config.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Where embedded-mode state lives: SQLite file, broker folders, media, outbox, beat schedule.
DATA_DIR = Path(env("LIAISON_DATA_DIR", str(BASE_DIR / "var"))).resolve()

SECRET_KEY = env("SECRET_KEY", "dev-insecure-key-only-for-local-development")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # ours, first so that our templates and translations win
    "site_cms",
    "competitions",
    "expos",
    "projects",
    "outreach",
    "crm",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "config.apps.LiaisonUsersAppConfig",  # wagtail.users
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # third party
    "anymail",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "phonenumber_field",
    "django_countries",
    "axes",
    # Django
    "config.apps.LiaisonAdminConfig",  # Django admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ESP webhooks (/anymail/) skip everything below: see config/middleware.py.
    "config.middleware.WebhookFastPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole public pages for anonymous visitors, before sessions, CSRF and routing run.
    "site_cms.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.PublicSiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Content-Security-Policy on every response (see "Security" in the README).
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: answers locked-out logins.
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "site_cms.context_processors.site_navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://user:pass@host:5432/name); without it, an embedded
# SQLite file under DATA_DIR.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'liaison.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Behind PgBouncer in transaction pooling mode nothing may outlive a transaction on the server:
# no server-side cursors outside transactions (see config/db.py).
DATABASE_POOLING = (env("DATABASE_POOLING", "") or "").strip().lower()
if DATABASE_POOLING not in {"", "session", "transaction"}:
    raise ImproperlyConfigured(
        f"DATABASE_POOLING must be 'transaction', 'session' or empty, not {DATABASE_POOLING!r}."
    )
if DATABASE_POOLING == "transaction":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, Celery, cache -------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "liaison",
        }
    }
else:
    # A broker that needs no server: kombu's filesystem transport, in folders under DATA_DIR.
    # Tasks still run in the separate worker process, never inside a web request.
    _broker_dir = DATA_DIR / "broker"
    for _folder in ("queue", "processed"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
# Wagtail writes every image rendition it looks up to the "renditions" cache: keep that in Redis
# when there is one, else in each process's memory (never in files: one write per image per page).
CACHES["renditions"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "liaison-renditions",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
)
# Whole public pages (site_cms.page_cache): in production a Redis of their own with a memory
# limit and LRU eviction (PAGE_CACHE_URL), never the broker's, which must not evict anything.
PAGE_CACHE_URL = env("PAGE_CACHE_URL", REDIS_URL)
CACHES["pages"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": PAGE_CACHE_URL,
        "KEY_PREFIX": "liaison-pages",
    }
    if PAGE_CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "page-cache"),
    }
)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", CELERY_BROKER_URL)
if CELERY_BROKER_URL.startswith("redis"):
    # No task may wait in the broker longer than this; schedules live in the database instead.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's consumer with a workaround that keeps a worker alive when Redis restarts under it
# (see config/broker_restart.py for the upstream bug).
CELERY_WORKER_CONSUMER = "config.broker_restart:Consumer"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Beat wakes at least this often (it renews its lock then; see config/single_beat.py).
CELERY_BEAT_MAX_LOOP_INTERVAL = env_int("BEAT_LOOP_SECONDS", 5)
if CELERY_BROKER_URL.startswith("redis"):
    # One beat in the whole deployment: RedBeat keeps the schedule in the broker's Redis and lets
    # only the beat holding its lock send; a second beat waits (standby) until that lock is
    # released or lapses (BEAT_LOCK_SECONDS after its holder stopped renewing it).
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = CELERY_BROKER_URL
    CELERY_REDBEAT_REDIS_OPTIONS = {}
    CELERY_REDBEAT_KEY_PREFIX = "liaison-beat"
    CELERY_REDBEAT_LOCK_TIMEOUT = env_int("BEAT_LOCK_SECONDS", 60)
    if CELERY_REDBEAT_LOCK_TIMEOUT < 3 * CELERY_BEAT_MAX_LOOP_INTERVAL:
        raise ImproperlyConfigured(
            "BEAT_LOCK_SECONDS must be at least three times BEAT_LOOP_SECONDS: the running "
            "beat renews its lock once a loop"
        )
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "outreach.tasks.record_worker_heartbeat", "schedule": 60.0},
    # Schedules live in the database; this starts what is due and sweeps expired leases.
    "campaign-dispatch": {
        "task": "outreach.tasks.dispatch_due_campaigns",
        "schedule": float(env_int("CAMPAIGN_DISPATCH_INTERVAL", 15)),
    },
    "tracking-apply": {"task": "outreach.tasks.apply_tracking_events", "schedule": 30.0},
    # A contact import whose worker died is handed out again (it resumes at its checkpoint).
    "contact-import-resume": {"task": "crm.tasks.resume_stalled_imports", "schedule": 60.0},
    # Waitlist offers whose hold ran out move on to the next guest.
    "rsvp-expire-holds": {"task": "outreach.tasks.expire_rsvp_holds", "schedule": 300.0},
    # The review queue of possible duplicates is refilled from a scan of everyone.
    "duplicate-scan": {
        "task": "crm.tasks.scan_duplicates",
        "schedule": float(env_int("DUPLICATE_SCAN_INTERVAL", 24 * 3600)),
    },
}

# --- RSVP (see README, "Answers to invitations") ------------------------------------------------
RSVP_LINK_MAX_AGE_DAYS = env_int("RSVP_LINK_MAX_AGE_DAYS", 365)  # then a personal link expires
RSVP_ORGANIZER_EMAIL = env("RSVP_ORGANIZER_EMAIL", "")  # ORGANIZER of .ics; DEFAULT_FROM_EMAIL
RSVP_FORM_RATE = env_int("RSVP_FORM_RATE", 10)  # open-registration submissions per IP and hour
PRIVACY_NOTICE_VERSION = env("PRIVACY_NOTICE_VERSION", "2025-01")  # recorded with each consent

# --- Contact import (see README, "Importing contacts") ----------------------------------------
IMPORT_CHUNK_ROWS = env_int("IMPORT_CHUNK_ROWS", 1000)  # rows per transaction and checkpoint
IMPORT_STALL_SECONDS = env_int("IMPORT_STALL_SECONDS", 120)  # no heartbeat: resume elsewhere
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 200)
# Seconds a worker pauses after each chunk, to spare a busy database during office hours.
IMPORT_CHUNK_PAUSE = float(env("IMPORT_CHUNK_PAUSE", "0"))

# --- Campaign sending (see README, "Campaigns") ---------------------------------------------
# Global send rate for the ESP account, messages per second, shared by all workers (0: no limit).
CAMPAIGN_SEND_RATE = float(env("CAMPAIGN_SEND_RATE", "100"))
CAMPAIGN_BATCH_SIZE = env_int("CAMPAIGN_BATCH_SIZE", 200)  # rows claimed at once
CAMPAIGN_LEASE_SECONDS = env_int("CAMPAIGN_LEASE_SECONDS", 300)  # then SENDING -> UNKNOWN
CAMPAIGN_MAX_ATTEMPTS = env_int("CAMPAIGN_MAX_ATTEMPTS", 8)  # transient errors, then FAILED
CAMPAIGN_RETRY_BASE_SECONDS = float(env("CAMPAIGN_RETRY_BASE_SECONDS", "30"))
CAMPAIGN_SENDERS = env_int("CAMPAIGN_SENDERS", 4)  # sender tasks per wave
CAMPAIGN_TASK_BUDGET_SECONDS = env_int("CAMPAIGN_TASK_BUDGET_SECONDS", 50)
CAMPAIGN_WAVE_SECONDS = env_int("CAMPAIGN_WAVE_SECONDS", 50)
CAMPAIGN_SEND_CONCURRENCY = env_int("CAMPAIGN_SEND_CONCURRENCY", 8)  # per worker, non-batch ESPs
CAMPAIGN_USE_ESP_BATCH_API = env_bool("CAMPAIGN_USE_ESP_BATCH_API", True)
# Circuit breaker: pause when complaints or hard bounces pass these shares of delivered mail,
# judged once this many messages have a delivery report.
CAMPAIGN_MAX_COMPLAINT_RATE = float(env("CAMPAIGN_MAX_COMPLAINT_RATE", "0.003"))
CAMPAIGN_MAX_BOUNCE_RATE = float(env("CAMPAIGN_MAX_BOUNCE_RATE", "0.05"))
CAMPAIGN_BREAKER_MIN_SAMPLE = env_int("CAMPAIGN_BREAKER_MIN_SAMPLE", 100)
# Larger audiences are frozen by a worker after approval, not inside the approving request
# (100,000 recipients take ~6 s; 1,000,000 about a minute, beyond a web server's timeout).
CAMPAIGN_FREEZE_IN_REQUEST_MAX = env_int("CAMPAIGN_FREEZE_IN_REQUEST_MAX", 200_000)
# "Send this to me": test messages per staff member per hour.
CAMPAIGN_TEST_SENDS_PER_HOUR = env_int("CAMPAIGN_TEST_SENDS_PER_HOUR", 20)
# The office's own mail domains: test messages go only to staff accounts' addresses there
# (empty: any account address).
STAFF_EMAIL_DOMAINS = [d.lower() for d in env_list("STAFF_EMAIL_DOMAINS", [])]

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Failed logins (admin, Django admin) are counted by django-axes in the database, so the limit
# holds across web processes and hosts: after AXES_FAILURE_LIMIT failures from one IP address or
# for one username, further attempts are refused for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its log lines carry usernames and addresses
AXES_ENABLE_ADMIN = False  # the lockouts are listed by `manage.py axes_list_attempts`
# The client's address: REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies (load balancer, ...) sit
# in front and append to X-Forwarded-For; never a header a client could set by itself.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# Password reset requests per client address and per account address, each per hour.
PASSWORD_RESET_PER_HOUR = env_int("PASSWORD_RESET_PER_HOUR", 5)

# --- Languages ------------------------------------------------------------------------------
# The public site's languages (BCP 47 codes as Django spells them). The first is the source
# language that pages are written in. Add one: see README, "Adding a language".
LANGUAGE_CODE = "zh-hans"
_site_languages = env_list("LIAISON_LANGUAGES", ["zh-hans", "en", "de", "ja", "ru", "ar"])
LANGUAGES = [(code, LANG_INFO[code]["name_local"]) for code in _site_languages]
LANGUAGE_CODE = _site_languages[0]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Staff can choose the admin in these languages (each with a complete catalogue).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The admin's language for staff who have not chosen one (Account -> Preferences): the office's,
# not the browser's. Empty: follow the browser's Accept-Language (the test settings do, so that
# tests read English unless they ask for Chinese).
LIAISON_ADMIN_LANGUAGE = env("LIAISON_ADMIN_LANGUAGE", "zh-hans")
# No Gravatar avatars by default: the service is unreachable from mainland China (every admin
# page would wait on it) and it would receive a hash of each staff member's address. Set a
# provider URL (e.g. a self-hosted Libravatar) to have avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = env("WAGTAIL_GRAVATAR_PROVIDER_URL", "") or None
# The time zones staff choose from (Account -> Preferences): the canonical "Area/City" names,
# not the legacy aliases (PRC, Cuba, US/Pacific, EST5EDT...) that zoneinfo also lists.
WAGTAIL_USER_TIME_ZONES = sorted(
    zone
    for zone in zoneinfo.available_timezones()
    if zone.split("/")[0]
    in {
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
# locale/: the staff catalogue. outreach/recipient_locale/: the recipients' unsubscribe and
# preference pages in every campaign language (not named "locale", so that makemessages keeps
# outreach's staff strings in locale/; see outreach/recipient_locale/translations.py).
# config/wagtail_locale/: Chinese for the admin strings Wagtail ships untranslated (only those;
# see devtools/wagtail_catalogue.py), after ours so that it never overrides a string of ours.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "outreach" / "recipient_locale",
    BASE_DIR / "config" / "wagtail_locale",
]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "static_collected")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
# Uploaded media: files under MEDIA_ROOT, or an S3-compatible bucket when MEDIA_S3_BUCKET is set
# (needed when web and worker processes run on several machines; see config/storage.py).
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Liaison"
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://localhost:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
# No calls from staff browsers to wagtail.org (the office network may be closed; and privacy).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# --- The public site -----------------------------------------------------------------------
# A page missing in the visitor's language is shown from the first of these languages that has it
# (then from the source language), with a notice; see README, "Languages of the public site".
LIAISON_FALLBACK_LANGUAGES = env_list("LIAISON_FALLBACK_LANGUAGES", ["en"])
# Whole public pages are cached this many seconds for anonymous visitors (0 turns it off); any
# publish, unpublish or change to events, sessions or speakers invalidates the cache at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# The query parameters public pages read (filters, page numbers): they are part of a cached
# page's key. A request with any other parameter (a search, a random string) is not cached.
PAGE_CACHE_QUERY_PARAMETERS = env_list(
    "PAGE_CACHE_QUERY_PARAMETERS", ["page", "kind", "city", "year", "tag", "sector", "country"]
)
# The public menu (per language) is kept in each process until the next publish bumps the page
# cache's generation, so that even uncached pages do not rebuild it on every request.
NAVIGATION_CACHE = env_bool("NAVIGATION_CACHE", True)
# wagtail-localize's machine translator: a class path (DeepL, Google, LibreTranslate or the dummy
# one that reverses words) and its options as JSON, e.g. {"AUTH_KEY": "..."}.
_machine_translator = env("MACHINE_TRANSLATOR")
if _machine_translator:
    import json as _json

    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": _machine_translator,
        "OPTIONS": _json.loads(env("MACHINE_TRANSLATOR_OPTIONS", "{}")),
    }

# --- Email through django-anymail -----------------------------------------------------------
# ESP names any anymail backend (postmark, mailgun, amazon_ses, brevo, resend, sendgrid, ...).
# ESP_API_URL points it at another API base URL (a local simulator in development and tests).
ESP = env("ESP")
_backend, ANYMAIL = anymail_settings(os.environ)
EMAIL_BACKEND = _backend or "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Liaison <liaison@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The development outbox (the ESP simulator's message list), linked from the admin menu.
OUTBOX_URL = env("OUTBOX_URL")

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["crm.api.permissions.MayUseAdmin"],  # as the admin: a role
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Requests per user (token or session) and per anonymous address; config/api.py.
    "DEFAULT_THROTTLE_CLASSES": ["config.api.ApiUserThrottle"],
    # every error answer carries a stable "code" beside its message (config/api.py)
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
API_RATE_USER = env("API_RATE_USER", "1200/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Liaison API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema describes every endpoint and field: staff only, like the API itself.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAdminUser"],
    "SERVE_AUTHENTICATION": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "PREPROCESSING_HOOKS": ["config.api.only_liaison_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "VipLevelEnum": "crm.models.choices.VipLevel",
        "ConsentPurposeEnum": "crm.models.choices.ConsentPurpose",
        "OrganizationKindEnum": "crm.models.choices.OrganizationKind",
        "CampaignKindEnum": "outreach.models.campaigns.CampaignKind",
        "CampaignStatusEnum": "outreach.models.campaigns.CampaignStatus",
        "ScheduleKindEnum": "outreach.models.campaigns.ScheduleKind",
        "MessageStatusEnum": "outreach.models.messages.MessageStatus",
        "DeliveryStatusEnum": "outreach.models.messages.DeliveryStatus",
        "SuppressionReasonEnum": "outreach.models.suppression.SuppressionReason",
    },
}

PHONENUMBER_DEFAULT_FORMAT = "E164"

# --- Content-Security-Policy (django-csp) ----------------------------------------------------
# The public site runs only scripts from this origin or carrying the response's nonce. Wagtail's
# admin still writes a few inline scripts (inline panels, date pickers, wagtail-localize), so
# under /admin/ scripts may also be inline (config.middleware.ContentSecurityPolicyMiddleware);
# everything else (no plugins, no framing by other sites, forms post here only) holds there too.
# Media on another origin (S3, a CDN): add it with CSP_MEDIA_ORIGINS.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS", [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_ORIGINS],
        "media-src": [SELF, *CSP_MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# --- Logging: stdout only, and no personal data in log lines (we log ids, never addresses) ---
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # anymail's debug logging prints whole payloads (addresses): keep it quiet.
        "anymail": {"level": "WARNING"},
    },
}

# --- CRM identity -----------------------------------------------------------------------------
# Key of the HMAC that turns an email address into a digest (crm.identity.email_digest),
# kept instead of the address in hashed suppressions after erasure. Set it once in production and
# never change it: without it the key is derived from SECRET_KEY, so rotating SECRET_KEY would
# orphan every stored digest.
IDENTITY_HASH_KEY = env("IDENTITY_HASH_KEY")

# --- The door ---------------------------------------------------------------------------------
# Ed25519 seed (32 bytes, base64) that signs check-in QR codes (outreach/checkin_codes.py). Set
# it in production: without it the key is derived from SECRET_KEY, so rotating SECRET_KEY would
# invalidate printed badges and sent codes. `python -c "import os,base64;
# print(base64.b64encode(os.urandom(32)).decode())"` makes one.
CHECKIN_SIGNING_KEY = env("CHECKIN_SIGNING_KEY") or ""
# Where the badge fonts are (Debian's fonts-noto-core and fonts-noto-cjk); comma-separated.
BADGE_FONT_DIRS = [d for d in (env("BADGE_FONT_DIRS") or "/usr/share/fonts").split(",") if d]
# Covering indexes (INCLUDE columns) are PostgreSQL's; on SQLite the same indexes simply work
# without the included columns, which is all we need there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Country names (django-countries) -------------------------------------------------------
# Corrected Simplified Chinese names, the office's naming convention and its own names; see
# crm/countries.py and README, "Country names".
import json as _json  # noqa: E402

from crm.countries import countries_override as _countries_override  # noqa: E402

try:
    _office_country_names = _json.loads(env("LIAISON_COUNTRY_NAMES", "{}") or "{}")
except ValueError as _error:
    raise ImproperlyConfigured(f"LIAISON_COUNTRY_NAMES is not valid JSON: {_error}") from None
COUNTRIES_OVERRIDE, COUNTRIES_FIRST = _countries_override(
    env("LIAISON_COUNTRY_CONVENTION", "prc") or "", _office_country_names
)
COUNTRIES_FIRST_REPEAT = False
