"""One settings module, configured by environment variables (see core/env.py)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from motcua.core.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(
    env(
        "MOTCUA_VAR_DIR",
        str(PROJECT_DIR / "var"),
        "Folder for the SQLite database, private files and other runtime data.",
    )
)

DEBUG = env_bool(
    "DEBUG",
    False,
    "Development mode: detailed error pages, relaxed security headers. Never on in production.",
)
SECRET_KEY = env(
    "SECRET_KEY",
    "django-insecure-development-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz",
    "Secret used to sign sessions, tokens and links. Set a long random value in production (`check --deploy` flags the default).",
)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    "127.0.0.1,localhost,testserver",
    "Comma-separated host names this server answers to.",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS",
    "",
    "Comma-separated origins (scheme://host) trusted for POST forms behind a proxy.",
)
HOST = env("HOST", "127.0.0.1", "Address `make run` binds to.")
PORT = env_int("PORT", 8000, "Port `make run` listens on.")
PUBLIC_BASE_URL = env(
    "PUBLIC_BASE_URL",
    "",
    "Public address of the site (https://dichvucong.example.gov.vn), used in QR codes and e-mails; defaults to the request's own host.",
)
PORTAL_HOTLINE = env(
    "PORTAL_HOTLINE", "1800 1096", "Support hotline shown in the footer of every page."
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "motcua.core",
    "motcua.accounts",
    "motcua.workdays",
    "motcua.catalog",
    "motcua.payments",
    "motcua.dossiers",
    "motcua.integrations",
    "motcua.feedback",
    "motcua.vault",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.RequestLogMiddleware",
    # Every 4xx under /api/ in the API's error shape; an over-long URL refused before reading.
    "motcua.core.api.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
                "motcua.portal.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env(
            "DATABASE_URL",
            f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}",
            "Database to use: sqlite:///path/to/file.sqlite3 or postgres://user:password@host:5432/name.",
        ),
        conn_max_age=env_int(
            "DATABASE_CONN_MAX_AGE",
            60,
            "Seconds a database connection is kept open between requests (0 closes it after each).",
        ),
        conn_health_checks=True,
    )
}
PREPARED_STATEMENTS = env_bool(
    "DATABASE_PREPARED_STATEMENTS",
    True,
    "PostgreSQL: prepare the statements each connection runs often. Turn off behind a connection pooler in transaction mode (PgBouncer), which cannot keep prepared statements.",
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN so that two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif PREPARED_STATEMENTS:
    # Parameters bound by the server, and a statement run five times on a connection is
    # prepared there: PostgreSQL then skips parsing and planning it again.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "motcua.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/ho-so-cua-toi/"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Private files (dossier components, results, vault) live outside any public URL.
PRIVATE_FILES_ROOT = VAR_DIR / "files"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_ROOT)},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Shared by every process (rate limits): the database cache table (created by a migration),
# or Redis when REDIS_URL is set.
REDIS_URL = env(
    "REDIS_URL",
    "",
    "redis://host:6379/0 to keep the cache (rate-limit counters) in Redis instead of the database; needs the `redis` extra.",
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "motcua_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
TRUSTED_PROXIES = env_int(
    "TRUSTED_PROXIES",
    0,
    "Number of reverse proxies in front of the app that append to X-Forwarded-For; the client address used for rate limits is taken from that header only when this is above 0.",
)
API_TOKEN_TTL_SECONDS = env_int(
    "API_TOKEN_TTL_SECONDS", 8 * 3600, "Lifetime of the API bearer tokens, in seconds."
)
API_TOKEN_TTL_SECONDS_SECOND_FACTOR = env_int(
    "API_TOKEN_TTL_SECONDS_SECOND_FACTOR",
    3600,
    "Lifetime of the API bearer tokens of users who must give a second factor, in seconds.",
)
IDEMPOTENCY_KEEP_HOURS = env_int(
    "IDEMPOTENCY_KEEP_HOURS",
    48,
    "Hours a creating request's answer is kept for replay under its Idempotency-Key (`purge_expired` deletes older ones).",
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
HTTPS_ONLY = env_bool(
    "HTTPS_ONLY",
    True,
    "The site is reached over HTTPS only (directly or through the reverse proxy): plain HTTP is redirected, cookies are Secure, HSTS is sent. Applies when DEBUG is off; `make run` sets it to false to serve http://127.0.0.1.",
)
HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31536000, "HSTS max-age in seconds, sent when HTTPS_ONLY is on."
)
if not DEBUG and HTTPS_ONLY:
    SECURE_SSL_REDIRECT = True
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # The proxy must set (not pass on) X-Forwarded-Proto: see docs/deployment.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOG_LEVEL = env(
    "LOG_LEVEL", "INFO", "Log level of the application loggers (DEBUG, INFO, WARNING, ERROR)."
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "motcua.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "motcua": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

API_PAGE_SIZE_MAX = 100

PAYMENT_WEBHOOK_SECRET = env(
    "PAYMENT_WEBHOOK_SECRET",
    "insecure-development-webhook-secret-change-me",
    "Shared secret of payment gateway notifications: X-Signature is hex HMAC-SHA256 of the body with it.",
)
PAYMENT_GATEWAYS = env_list(
    "PAYMENT_GATEWAYS",
    "bank_transfer",
    "Comma-separated payment gateways offered, the first being the default (bank_transfer, demo). `make run` adds the demo gateway explicitly; DEBUG never does.",
)
PAYMENT_EXPIRES_MINUTES = env_int(
    "PAYMENT_EXPIRES_MINUTES", 24 * 60, "Minutes a VietQR payment code stays payable."
)
MAX_UPLOAD_MB = env_int(
    "MAX_UPLOAD_MB", 20, "Largest file a user may upload, in megabytes (larger: 413)."
)
MAX_INFLATED_MB = env_int(
    "MAX_INFLATED_MB",
    100,
    "Largest inflated size of a DOCX/XLSX upload (a ZIP container), in megabytes (larger: 413).",
)
MAX_ZIP_ENTRIES = env_int(
    "MAX_ZIP_ENTRIES", 2000, "Most parts a DOCX/XLSX upload may hold (more: 413)."
)
CLAMD_SOCKET = env(
    "CLAMD_SOCKET",
    "",
    "Unix socket of a ClamAV daemon that scans every upload (Debian: /run/clamav/clamd.ctl); empty with CLAMD_HOST empty: no scanning.",
)
CLAMD_HOST = env(
    "CLAMD_HOST", "", "Host of a ClamAV daemon reached over TCP (instead of CLAMD_SOCKET)."
)
CLAMD_PORT = env_int("CLAMD_PORT", 3310, "TCP port of the ClamAV daemon at CLAMD_HOST.")

# Signed results (core/signing.py, docs/signing.md): each agency's PKCS#12 file, or a real
# signing service through RESULT_SIGNER.
SIGNING_KEYS_DIR = env(
    "SIGNING_KEYS_DIR",
    str(VAR_DIR / "signing"),
    "Folder of the agencies' signing certificates: `<agency code>.p12` (PKCS#12: key, certificate, chain) each; an agency without one issues unsigned results.",
)
SIGNING_PASSPHRASE = env(
    "SIGNING_PASSPHRASE",
    "",
    "Passphrase of the PKCS#12 files in SIGNING_KEYS_DIR (empty: not encrypted).",
)
SIGNING_TRUST_ROOTS = env(
    "SIGNING_TRUST_ROOTS",
    "",
    "PEM file of the root certificates a signed result must chain to for /verify to call it valid (empty: `ca.pem` in SIGNING_KEYS_DIR).",
)
RESULT_SIGNER = env(
    "RESULT_SIGNER",
    "motcua.core.signing.local_signer",
    "Dotted path of the function that gives an agency's signer from its code (a PKCS#11 token or a remote signing service: docs/signing.md).",
)

# Notifications to applicants (motcua.integrations): e-mail through Django's mail backend,
# SMS through the sender plugin SMS_SENDER names.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend",
    "Django e-mail backend; the demo (make run) prints e-mail to the console instead of SMTP.",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost", "SMTP server that sends the e-mail notifications.")
EMAIL_PORT = env_int("EMAIL_PORT", 25, "Port of the SMTP server.")
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "", "User name on the SMTP server (empty: none).")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "", "Password on the SMTP server.")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False, "Use STARTTLS with the SMTP server.")
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "no-reply@localhost", "Sender address of the e-mail notifications."
)
SMS_SENDER = env(
    "SMS_SENDER",
    "log",
    "SMS gateway plugin for notifications (log: writes a masked line to the log, sends nothing).",
)

# The population registry that pre-fills e-forms (motcua.integrations.plugins.population).
POPULATION_REGISTRY = env(
    "POPULATION_REGISTRY",
    "local",
    "Population registry plugin (local: the residents table of this database; http: a real "
    "registry at POPULATION_REGISTRY_URL).",
)
POPULATION_REGISTRY_URL = env(
    "POPULATION_REGISTRY_URL",
    "",
    "Base URL of the HTTP population registry (POST <url>/residents/lookup).",
)
POPULATION_REGISTRY_TOKEN = env(
    "POPULATION_REGISTRY_TOKEN", "", "Bearer token sent to the HTTP population registry."
)
POPULATION_REGISTRY_TIMEOUT = env_int(
    "POPULATION_REGISTRY_TIMEOUT",
    5,
    "Seconds to wait for the HTTP population registry before going on without it.",
)

# Citizens' sign-in through an OpenID Connect provider (VNeID-style); off while OIDC_ISSUER is empty.
OIDC_ISSUER = env(
    "OIDC_ISSUER",
    "",
    "Issuer URL of the OpenID Connect provider for citizens' sign-in (its discovery document is at <issuer>/.well-known/openid-configuration); empty: sign-in by ID number and password only.",
)
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", "", "Client id registered with the OpenID Connect provider.")
OIDC_CLIENT_SECRET = env(
    "OIDC_CLIENT_SECRET", "", "Client secret registered with the OpenID Connect provider."
)
OIDC_SCOPES = env(
    "OIDC_SCOPES", "openid profile", "Space-separated scopes asked of the OpenID Connect provider."
)
OIDC_ID_NUMBER_CLAIM = env(
    "OIDC_ID_NUMBER_CLAIM",
    "citizen_id",
    "Claim of the ID token (or userinfo) carrying the citizen's 12-digit ID number.",
)
OIDC_NAME_CLAIM = env("OIDC_NAME_CLAIM", "name", "Claim carrying the citizen's full name.")
OIDC_PROVIDER_NAME = env(
    "OIDC_PROVIDER_NAME", "VNeID", "Name of the identity provider shown on the sign-in button."
)

# Lockout after repeated failed password sign-ins (django-axes): the portal, the back office,
# the admin and the API token endpoint. Counted per account and client address together, so
# that nobody can lock another person out from elsewhere; an admin lifts a lockout in
# /admin/axes/. The API token endpoint has its own rate limits instead (api/auth_api.py).
AXES_FAILURE_LIMIT = env_int(
    "LOGIN_FAILURE_LIMIT",
    5,
    "Failed password sign-ins (per account and client address) before the sign-in is locked.",
)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int(
        "LOGIN_LOCKOUT_MINUTES",
        15,
        "Minutes a locked sign-in stays locked (a new failure meanwhile starts the wait again).",
    )
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "motcua.accounts.lockout.lockout_response"
AXES_WHITELIST_CALLABLE = "motcua.accounts.lockout.exempt"
AXES_CLIENT_IP_CALLABLE = "motcua.accounts.lockout.client_ip"
# Failures and lockouts are kept; successful sign-ins are not logged a second time.
AXES_DISABLE_ACCESS_LOG = True
# Axes would log the username (an ID number: personal data) on every failure.
AXES_VERBOSE = False

OFFICER_TWO_FACTOR_REQUIRED = env_bool(
    "OFFICER_TWO_FACTOR_REQUIRED",
    True,
    "Officers holding a role that signs or approves (head, leader) must give a TOTP code after their password on the back office; they enrol an authenticator app at their first sign-in.",
)
OTP_TOTP_ISSUER = "Một cửa điện tử"
