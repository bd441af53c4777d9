"""Django settings for Gemilang, read from the environment.

Every variable is documented in `.env.example`. Defaults give the zero-setup
run: SQLite, Celery eager, console messages, dummy printer, Midtrans simulator.
Setting `DJANGO_ENV=production` turns the safe defaults off: a missing
`SECRET_KEY` or `PII_ENCRYPTION_KEYS` then fails loudly at start-up.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if env.str("DJANGO_READ_DOT_ENV", default="1") == "1" and (BASE_DIR / ".env").exists():
    environ.Env.read_env(str(BASE_DIR / ".env"))

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
IS_PRODUCTION = DJANGO_ENV == "production"

_DEV_SECRET_KEY = "dev-only-insecure-key-gemilang-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="" if IS_PRODUCTION else _DEV_SECRET_KEY)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")

DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address of this site, used in QR codes and in links sent to people.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "graphene_django",
    "axes",
    "core",
    "accounts",
    "catalog",
    "commerce",
    "commerce.payments",
    "pos",
    "services_desk",
    "graphql_api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, Celery eager work and tests share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a login while its username (or phone) and address are locked out after failures.
    "axes.backends.AxesStandaloneBackend",
    "accounts.auth_backends.UsernameOrPhoneBackend",
]

# Brute-force protection (django-axes): after LOGIN_FAILURE_LIMIT failed logins of one account from one
# address, that pair is refused for LOGIN_LOCKOUT_MINUTES (the login page and tokenCreate say so). A phone
# counts as one account in every spelling. Only failures are stored, never successful logins.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_CALLABLE = "accounts.login_security.login_identity"
AXES_CLIENT_IP_CALLABLE = "accounts.login_security.client_ip"
# Reverse proxies in front of the app servers that append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The lockout is answered by the login form and tokenCreate themselves, not by axes' middleware.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "frontend_templates" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Identity scans and request documents: never under MEDIA_ROOT, never served directly.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Cache and Redis. With REDIS_URL unset, everything stays in process (zero-setup run only).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="gemilang"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Gemilang <noreply@gemilang.trenggalekkab.go.id>")
# Outgoing messages (order status, "your turn is near"): console | email. A WhatsApp provider plugs in here.
MESSAGE_CHANNEL = env.str("MESSAGE_CHANNEL", default="console")

# Personal data (UU 27/2022 PDP). Comma-separated Fernet keys, newest first (rotation),
# and a separate key for the keyed hash used to look NIK up without decrypting.
_DEV_PII_KEY = "ZGV2LW9ubHktcGlpLWtleS1nZW1pbGFuZy0wMDAwMDA="
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS", default=[] if IS_PRODUCTION else [_DEV_PII_KEY])
PII_HASH_KEY = env.str("PII_HASH_KEY", default="" if IS_PRODUCTION else "dev-only-pii-hash-key")
if not PII_ENCRYPTION_KEYS or not PII_HASH_KEY:
    raise ImproperlyConfigured("PII_ENCRYPTION_KEYS and PII_HASH_KEY must be set when DJANGO_ENV=production.")
# Days an identity scan or request document is kept after its request is closed.
PII_DOCUMENT_RETENTION_DAYS = env.int("PII_DOCUMENT_RETENTION_DAYS", default=90)

# API tokens from `tokenCreate`.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=24 * 30)

# Midtrans. With no server key the built-in simulator plays the gateway.
MIDTRANS_SERVER_KEY = env.str("MIDTRANS_SERVER_KEY", default="")
MIDTRANS_CLIENT_KEY = env.str("MIDTRANS_CLIENT_KEY", default="")
MIDTRANS_IS_PRODUCTION = env.bool("MIDTRANS_IS_PRODUCTION", default=False)
# Never on by default in production: the simulator lets anyone mark a payment paid.
MIDTRANS_SIMULATOR = env.bool("MIDTRANS_SIMULATOR", default=not MIDTRANS_SERVER_KEY and not IS_PRODUCTION)
MIDTRANS_TIMEOUT_SECONDS = env.float("MIDTRANS_TIMEOUT_SECONDS", default=10.0)
MIDTRANS_NOTIFICATION_URL = env.str("MIDTRANS_NOTIFICATION_URL", default="")
# --- payments (Midtrans wrapper, simulator, reconciliation) ---
# Base URL overrides (tests point them at a local server); empty: sandbox/production or the simulator.
MIDTRANS_CORE_BASE_URL = env.str("MIDTRANS_CORE_BASE_URL", default="")
MIDTRANS_SNAP_BASE_URL = env.str("MIDTRANS_SNAP_BASE_URL", default="")
MIDTRANS_STATUS_RETRIES = env.int("MIDTRANS_STATUS_RETRIES", default=2)
MIDTRANS_RETRY_BACKOFF_SECONDS = env.float("MIDTRANS_RETRY_BACKOFF_SECONDS", default=0.5)
MIDTRANS_ORDER_ID_PREFIX = env.str("MIDTRANS_ORDER_ID_PREFIX", default="GML")
PAYMENT_SNAP_EXPIRY_MINUTES = env.int(
    "PAYMENT_SNAP_EXPIRY_MINUTES", default=env.int("CHECKOUT_RESERVATION_MINUTES", default=30)
)
PAYMENT_QRIS_EXPIRY_MINUTES = env.int("PAYMENT_QRIS_EXPIRY_MINUTES", default=15)
# --- end payments ---

# Commerce.
CHECKOUT_RESERVATION_MINUTES = env.int("CHECKOUT_RESERVATION_MINUTES", default=30)
PAYMENT_RECONCILE_AFTER_MINUTES = env.int("PAYMENT_RECONCILE_AFTER_MINUTES", default=15)
# Close last month's UMKM settlements automatically on this day of the month (0: only by hand).
SETTLEMENT_CLOSE_AFTER_DAYS = env.int("SETTLEMENT_CLOSE_AFTER_DAYS", default=1)

# Printing: the default printer for terminals and kiosks that have none configured.
# dummy: | file:/path | tcp://host:9100 | usb://VID:PID
DEFAULT_PRINTER_URL = env.str("DEFAULT_PRINTER_URL", default=f"file:{BASE_DIR / 'var' / 'printer.out'}")
PRINTER_PROFILE = env.str("PRINTER_PROFILE", default="TM-T88V")
PRINTER_TIMEOUT_SECONDS = env.float("PRINTER_TIMEOUT_SECONDS", default=5.0)

# The deepest GraphQL query accepted (introspection excepted).
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=12)
GRAPHENE = {
    "SCHEMA": "graphql_api.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": False,
    "SCHEMA_OUTPUT": "graphql_api/schema.graphql",
    "CAMELCASE_ERRORS": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# --- catalog ---
# Product photos: largest upload accepted (bytes) and most pixels (decompression-bomb guard).
CATALOG_IMAGE_MAX_BYTES = env.int("CATALOG_IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
CATALOG_IMAGE_MAX_PIXELS = env.int("CATALOG_IMAGE_MAX_PIXELS", default=40_000_000)
# Permits expiring within this many days are listed for owners and curators.
CATALOG_PERMIT_WARNING_DAYS = env.int("CATALOG_PERMIT_WARNING_DAYS", default=30)
# Rows accepted in one CSV/XLSX import.
CATALOG_IMPORT_MAX_ROWS = env.int("CATALOG_IMPORT_MAX_ROWS", default=2000)
# --- end catalog ---

# --- services_desk: queue, appointments, requests, webhooks ---
# A called ticket may be marked no-show only after this many calls.
QUEUE_NO_SHOW_AFTER_CALLS = env.int("QUEUE_NO_SHOW_AFTER_CALLS", default=3)
# "Your turn is near" goes to a waiting person when this many or fewer are ahead.
QUEUE_NEAR_NOTIFY_AHEAD = env.int("QUEUE_NEAR_NOTIFY_AHEAD", default=3)
# Minutes after its time an appointment still goes first; later it waits as a walk-in.
APPOINTMENT_GRACE_MINUTES = env.int("APPOINTMENT_GRACE_MINUTES", default=15)
# Largest document a citizen may upload with a request (bytes).
REQUEST_DOCUMENT_MAX_BYTES = env.int("REQUEST_DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024)
# Outgoing agency webhooks: attempts, first backoff (doubles each time), request timeout.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_BACKOFF_SECONDS = env.int("WEBHOOK_BACKOFF_SECONDS", default=30)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
# Lifetime of an agency API client's token.
AGENCY_TOKEN_TTL_DAYS = env.int("AGENCY_TOKEN_TTL_DAYS", default=365)
# How often the display board and the counter screen refresh (seconds).
QUEUE_POLL_SECONDS = env.int("QUEUE_POLL_SECONDS", default=3)
# --- end services_desk ---

# --- commerce (storefront cart and orders) ---
CHECKOUT_MAX_LINE_QUANTITY = env.int("CHECKOUT_MAX_LINE_QUANTITY", default=20)
CHECKOUT_MAX_LINES = env.int("CHECKOUT_MAX_LINES", default=30)
ORDER_UNPAID_GRACE_MINUTES = env.int("ORDER_UNPAID_GRACE_MINUTES", default=10)
# --- end commerce ---

# --- pos (café point-of-sale) ---
# Printed at the foot of every receipt.
POS_RECEIPT_FOOTER = env.str(
    "POS_RECEIPT_FOOTER", default="Terima kasih telah membeli produk UMKM Trenggalek. Simpan struk ini untuk retur."
)
# A cash difference at shift close larger than this (rupiah, either way) needs a written explanation.
POS_CASH_DIFFERENCE_THRESHOLD = env.int("POS_CASH_DIFFERENCE_THRESHOLD", default=10000)
# Minutes a customer has to pay a QRIS code at the register before the payment is cancelled.
POS_QRIS_TIMEOUT_MINUTES = env.int("POS_QRIS_TIMEOUT_MINUTES", default=10)
# --- end pos ---
