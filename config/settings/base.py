"""Settings shared by every environment.

Everything that differs between a laptop and production comes from environment
variables (django-environ); the README lists them all.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file in the project folder is read when present (never committed).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    # modeltranslation must come before the admin and Wagtail apps it patches.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    "journey",
    "connectors",
    "toolkit",
    "coaching",
    "learning",
    "cms",
    "reporting",
    "privacy",
    "config",
    "django_celery_beat",
    "axes",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "journey.apps.ProgrammeUsersConfig",  # wagtail.users with the programme fields
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.middleware.BrandedMethodNotAllowedMiddleware",
    # The Content-Security-Policy header (django-csp), with a nonce per response for inline scripts.
    "config.csp.SiteCSPMiddleware",
    # Last: turns a locked-out sign-in (site or Wagtail admin) into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy for the site and the Wagtail admin (django-csp 4). Scripts only from
# our origin, or inline with the response's nonce ({{ CSP_NONCE }}); under /admin/ inline scripts
# too (Wagtail's widget templates have some without a nonce: config.csp). Wagtail's admin sets style
# attributes from its scripts, hence 'unsafe-inline' for styles only. Images may come from any
# HTTPS host (shop product images, video thumbnails); frames only from the video players
# embedded in guides. CSP_REPORT_ONLY=true sends the same policy as report-only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", "https:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY, CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY, None

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# The SQLite file in the project folder is the laptop default; DATABASE_URL switches
# to PostgreSQL (postgres://user:password@host:5432/name).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The laptop database: write-ahead log and normal sync (much faster imports, still crash-safe),
    # and a transaction that takes the write lock at once (no "database is locked" on upgrade).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "journey.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses a locked-out account or address before any password check.
    "journey.backends.LockoutBackend",
    # Permissions by role are decided in journey.scoping, through this backend.
    "journey.backends.RoleBackend",
]
# Brute force (django-axes): after AXES_FAILURE_LIMIT wrong passwords, the account and the
# address (each on its own) are locked out for AXES_COOLOFF_TIME, on the site's sign-in and the
# Wagtail admin's alike. The address is the visitor's behind the trusted proxies.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Both sign-in forms post the e-mail address as "username" (axes would read USERNAME_FIELD, "email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "journey.ratelimit.client_address"
AXES_LOCKOUT_CALLABLE = "journey.views.locked_out"
AXES_VERBOSE = False
# Password-reset e-mails: at most this many (count, seconds) per e-mail address asked for and
# per visitor's address; beyond, a translated refusal and no e-mail.
PASSWORD_RESET_RATE_LIMIT_PER_ACCOUNT = (3, 3600)
PASSWORD_RESET_RATE_LIMIT_PER_ADDRESS = (10, 3600)
# Reverse proxies in front of the site that append to X-Forwarded-For (journey.ratelimit).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Rate limits and lock-outs count in this cache: Redis (CACHE_URL=redis://…) shares them
# between processes and servers; the default local memory is per process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "journey:portal"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English and French everywhere, URL prefixes /en/ and /fr/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/London"
# British conventions for English (dd/mm/yyyy); French uses Django's own formats.
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False  # one page tree, fields translated by modeltranslation
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "E-Channel"
# The staff side calls nothing outside the platform: no Gravatar (avatars are initials,
# config.wagtail_hooks), no release check, no "what's new in Wagtail" banner.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_USER_LOGIN_FORM = "config.forms.AdminLoginForm"
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# E-mail: printed to the console unless EMAIL_URL names a real server
# (smtp+tls://user:password@host:587).
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="E-Channel <no-reply@e-channel.localhost>")

# Celery: with no broker, tasks run in-process; CELERY_BROKER_URL (redis://… or
# amqp://…) sends them to workers.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks live in the database (django-celery-beat), editable without a deploy;
# CELERY_BEAT_SCHEDULE seeds them. Run `celery -A config beat` beside the workers.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # The nightly sync and toolkit refresh of every SME, fanned out over the workers (toolkit.refresh).
    "connectors-nightly-sync": {
        "task": "toolkit.tasks.programme_refresh_task",
        "schedule": crontab(hour=env.int("NIGHTLY_SYNC_HOUR", default=2), minute=0),
    },
    "coaching-daily-drift-check": {"task": "coaching.tasks.drift_check", "schedule": crontab(hour=5, minute=30)},
    # Badge-opened tools close at expiry by themselves (ToolAccess.expires_at); this daily run
    # tidies the rows of expired awards away.
    "learning-daily-award-expiry": {
        "task": "learning.tasks.awards_expire_task",
        "schedule": crontab(hour=4, minute=15),
    },
    # A month before a badge expires its holders are told how to renew it (each award once).
    "learning-daily-expiry-warning": {
        "task": "learning.tasks.awards_expiry_warn_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "coaching-weekly-drift-digest": {
        "task": "coaching.tasks.drift_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # Personal data past its retention period (privacy.retention): enquiries, contact messages, sync logs.
    "privacy-daily-purge": {"task": "privacy.tasks.purge_expired_task", "schedule": crontab(hour=3, minute=30)},
    "coaching-capture-poll": {
        "task": "coaching.tasks.capture_poll",
        "schedule": crontab(minute=f"*/{env.int('CAPTURE_POLL_MINUTES', default=5)}"),
    },
}

# Personal data (privacy): how long each kind is kept, in months, and how long a self-service
# export's download link works. The privacy page states these periods.
PRIVACY_ENQUIRY_RETENTION_MONTHS = env.int("PRIVACY_ENQUIRY_RETENTION_MONTHS", default=24)
PRIVACY_CONTACT_MESSAGE_RETENTION_MONTHS = env.int("PRIVACY_CONTACT_MESSAGE_RETENTION_MONTHS", default=24)
PRIVACY_SYNC_LOG_RETENTION_MONTHS = env.int("PRIVACY_SYNC_LOG_RETENTION_MONTHS", default=12)
# The register of requests is evidence that they were answered: kept six years (UK limitation period).
PRIVACY_REGISTER_RETENTION_MONTHS = env.int("PRIVACY_REGISTER_RETENTION_MONTHS", default=72)
PRIVACY_EXPORT_LINK_HOURS = env.int("PRIVACY_EXPORT_LINK_HOURS", default=72)

# Coaching's capture mailbox (coaching/capture): each launchpad's address, which account managers
# BCC, forward to or invite ("uk=log@uk.example,fr=log@fr.example"); all may be delivered to one
# IMAP mailbox. Without CAPTURE_IMAP_HOST the poll does nothing (files can still be dropped).
CAPTURE_ADDRESSES = env.dict("CAPTURE_ADDRESSES", default={})
CAPTURE_IMAP = {
    "HOST": env("CAPTURE_IMAP_HOST", default=""),
    "PORT": env.int("CAPTURE_IMAP_PORT", default=993),
    "SECURITY": env("CAPTURE_IMAP_SECURITY", default="ssl"),  # ssl, starttls or none (loopback only)
    "USER": env("CAPTURE_IMAP_USER", default=""),
    "PASSWORD": env("CAPTURE_IMAP_PASSWORD", default=""),
    "FOLDER": env("CAPTURE_IMAP_FOLDER", default="INBOX"),
}
# The mailbox server's Authentication-Results authserv-id: only its verdicts are trusted.
CAPTURE_AUTHSERV_ID = env("CAPTURE_AUTHSERV_ID", default="")
CAPTURE_MAX_MESSAGE_BYTES = env.int("CAPTURE_MAX_MESSAGE_BYTES", default=25 * 1024 * 1024)
CAPTURE_MAX_ATTACHMENT_BYTES = env.int("CAPTURE_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)

# Connectors: the Fernet key that encrypts shop credentials at rest (see connectors/crypto.py).
CONNECTORS_CREDENTIALS_KEY = env("CONNECTORS_CREDENTIALS_KEY", default="")
# Every HTTP call to a shop or analytics API: seconds to connect and to read.
CONNECTORS_HTTP_TIMEOUT = (
    env.float("CONNECTORS_CONNECT_TIMEOUT", default=10),
    env.float("CONNECTORS_READ_TIMEOUT", default=60),
)
# The "Connect a shop" check, made while the person waits: no retry, no waiting for Retry-After,
# and these (connect, read) timeouts, so the page answers within a few seconds.
CONNECTORS_CHECK_TIMEOUT = (
    env.float("CONNECTORS_CHECK_CONNECT_TIMEOUT", default=3),
    env.float("CONNECTORS_CHECK_READ_TIMEOUT", default=5),
)
# Shops only at public addresses over HTTPS. On: loopback and private addresses, and plain HTTP
# to a server on this machine (tests, the local demo and benchmark servers). Never in production.
# A queued or running sync with no heartbeat (one per page written) for this many seconds is
# marked interrupted, and "Sync now" starts a new one. Longer than the longest wait for one
# page (timeouts, retries, a shop's Retry-After: capped below).
CONNECTORS_SYNC_HEARTBEAT_EXPIRY = env.int("CONNECTORS_SYNC_HEARTBEAT_EXPIRY", default=30 * 60)
CONNECTORS_ALLOW_LOCAL_ADDRESSES = env.bool("CONNECTORS_ALLOW_LOCAL_ADDRESSES", default=False)

# Connectors' file imports: what an upload may cost, checked before and while it is read.
CONNECTORS_UPLOAD_MAX_BYTES = env.int("CONNECTORS_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
# Decompressed: a .gz file, a zip member, an XLSX sheet (its shared strings: the smaller cap,
# since openpyxl holds them all in memory).
CONNECTORS_IMPORT_MAX_UNPACKED_BYTES = env.int("CONNECTORS_IMPORT_MAX_UNPACKED_BYTES", default=512 * 1024 * 1024)
CONNECTORS_IMPORT_MAX_SHARED_STRINGS_BYTES = env.int(
    "CONNECTORS_IMPORT_MAX_SHARED_STRINGS_BYTES", default=64 * 1024 * 1024
)
CONNECTORS_IMPORT_MAX_CELL_CHARS = env.int("CONNECTORS_IMPORT_MAX_CELL_CHARS", default=1_000_000)
CONNECTORS_IMPORT_MAX_COLUMNS = env.int("CONNECTORS_IMPORT_MAX_COLUMNS", default=500)
CONNECTORS_IMPORT_MAX_ROWS = env.int("CONNECTORS_IMPORT_MAX_ROWS", default=2_000_000)
# Files above this size are imported by a Celery task (the data page shows its progress).
CONNECTORS_IMPORT_INLINE_MAX_BYTES = env.int("CONNECTORS_IMPORT_INLINE_MAX_BYTES", default=2 * 1024 * 1024)
# Where a queued import's file waits for its task: private (never under MEDIA_ROOT), seen by the workers.
CONNECTORS_IMPORT_DIR = env("CONNECTORS_IMPORT_DIR", default=str(BASE_DIR / "var" / "imports"))
# Every date from a file or a shop: from this day to this many days ahead of now.
CONNECTORS_EARLIEST_DATE = datetime.date.fromisoformat(env("CONNECTORS_EARLIEST_DATE", default="1990-01-01"))
CONNECTORS_DAYS_AHEAD = env.int("CONNECTORS_DAYS_AHEAD", default=1)
# Google Analytics 4: where a service account's signed JWT is exchanged for an access token, and
# the Data API's root (tests point both at 127.0.0.1). A key file's own token_uri is never used.
CONNECTORS_GA4_TOKEN_URI = env("CONNECTORS_GA4_TOKEN_URI", default="https://oauth2.googleapis.com/token")
CONNECTORS_GA4_API_ROOT = env("CONNECTORS_GA4_API_ROOT", default="https://analyticsdata.googleapis.com/v1beta")
# Rows per runReport page (the API takes up to 250,000), days read by a first sync, and the
# tokens left to the property's other users: below this many remaining (per hour, per day or
# per project and hour), a sync stops after its page and the next one resumes from there.
CONNECTORS_GA4_PAGE_ROWS = env.int("CONNECTORS_GA4_PAGE_ROWS", default=10_000)
CONNECTORS_GA4_FIRST_DAYS = env.int("CONNECTORS_GA4_FIRST_DAYS", default=400)
CONNECTORS_GA4_QUOTA_RESERVE = env.int("CONNECTORS_GA4_QUOTA_RESERVE", default=1_000)
# Squarespace Commerce APIs: their root (tests point it at 127.0.0.1), and the cool-down waited out
# after a 429 without Retry-After (Squarespace documents one minute; tests set 0).
CONNECTORS_SQUARESPACE_API_ROOT = env("CONNECTORS_SQUARESPACE_API_ROOT", default="https://api.squarespace.com")
CONNECTORS_SQUARESPACE_COOLDOWN = env.float("CONNECTORS_SQUARESPACE_COOLDOWN", default=60.0)
# Shopify bulk operations: a first sync (or one whose last success is older than AFTER_DAYS) reads
# the history with bulkOperationRunQuery and its JSONL file rather than page after page; the
# operation is polled every POLL_SECONDS, for at most WAIT_SECONDS per sync (the next resumes it).
CONNECTORS_SHOPIFY_BULK = env.bool("CONNECTORS_SHOPIFY_BULK", default=True)
CONNECTORS_SHOPIFY_BULK_AFTER_DAYS = env.int("CONNECTORS_SHOPIFY_BULK_AFTER_DAYS", default=90)
CONNECTORS_SHOPIFY_BULK_POLL_SECONDS = env.float("CONNECTORS_SHOPIFY_BULK_POLL_SECONDS", default=5)
CONNECTORS_SHOPIFY_BULK_WAIT_SECONDS = env.int("CONNECTORS_SHOPIFY_BULK_WAIT_SECONDS", default=6 * 3600)
# Webhooks refresh the SME's toolkit report this many seconds after the first change of a burst (one
# refresh per burst).
CONNECTORS_WEBHOOK_REFRESH_SECONDS = env.int("CONNECTORS_WEBHOOK_REFRESH_SECONDS", default=60)
# The largest webhook body accepted (a Shopify order with many lines is a few hundred KB); larger: 413.
CONNECTORS_WEBHOOK_MAX_BYTES = env.int("CONNECTORS_WEBHOOK_MAX_BYTES", default=2 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No URL's query string or password in any log line (shop credentials): connectors.logs.
    "filters": {"redact_secrets": {"()": "connectors.logs.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Wagtail's background tasks (search index, reference index) log every run at INFO.
    # WeasyPrint and fontTools narrate every step of every PDF at INFO.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# One slug per page for both languages, so the language switcher keeps the reader on the
# same page by swapping the /en/ or /fr/ prefix alone.
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = False
ENQUIRY_RATE_LIMIT = (5, 3600)  # public eligibility questionnaire: at most 5 submissions an hour per IP address
# Exponential back-off factor of connector retries (0.5 s, 1 s, 2 s, …); tests set 0.
CONNECTORS_HTTP_BACKOFF = env.float("CONNECTORS_HTTP_BACKOFF", default=0.5)

# Toolkit: the inventory checks' limits (Google Merchant Center's product data specification):
# title length in characters, description length in characters, the main image's smallest side
# in pixels. The report reads these; changing one takes effect at the next recomputation.
# The nightly refresh (toolkit.refresh): SMEs per queued chunk, each SME's time limit, its
# attempts before it is left failed, and the wait before a failed SME is tried again.
TOOLKIT_REFRESH_CHUNK = env.int("TOOLKIT_REFRESH_CHUNK", default=20)
TOOLKIT_REFRESH_SME_SECONDS = env.int("TOOLKIT_REFRESH_SME_SECONDS", default=300)
TOOLKIT_REFRESH_ATTEMPTS = env.int("TOOLKIT_REFRESH_ATTEMPTS", default=3)
TOOLKIT_REFRESH_RETRY_SECONDS = env.int("TOOLKIT_REFRESH_RETRY_SECONDS", default=60)
# SMEs with at least this many order lines keep a columnar copy of them for their report
# (toolkit.lines_copy, docs/decisions/0018-leaner-report.md).
TOOLKIT_LINES_COPY_MIN_LINES = env.int("TOOLKIT_LINES_COPY_MIN_LINES", default=50_000)

TOOLKIT_INVENTORY_THRESHOLDS = {
    "title_min": 25,
    "title_max": 150,
    "description_min": 200,
    "description_max": 5000,
    "image_min_px": 800,
}

# Coaching: an SME with no logged contact (or held session) for this many days is flagged as drifting.
COACHING_NO_CONTACT_DAYS = env.int("COACHING_NO_CONTACT_DAYS", default=21)
