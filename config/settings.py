"""Alliance Readiness settings: one module, every deploy choice from env vars.

With nothing set the app runs on SQLite, renders briefs in-process and prints
email to the console, so a newcomer needs only Python. The README lists every
variable. See https://docs.djangoproject.com/en/5.2/ref/settings/
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on. Without DEBUG an empty key
# makes Django refuse any use of it; config/wsgi.py and config/celery.py check it at
# start, so the web and worker processes fail fast, while commands that never sign
# anything (makemigrations, collectstatic) still run.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "nested_admin",
    "taggit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kit",
    "accounts",
    "alliances",
    "evidence",
    "notifications",
    "sponsors",
    "banks",
    "assessments",
    "decisions",
    "signoffs",
    "meetings",
    "briefs",
    "calendars",
    "home",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files, served from our static files (no CDN).
    "drf_spectacular_sidecar",
    "api",
    "portfolio",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, taking the signed-in user's chosen language first.
    "accounts.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Links built during a request follow its address when SITE_URL is empty.
    "kit.site_url.RememberOrigin",
    # Read-only requests compute each alliance's decision once (kit/memo.py).
    "kit.memo.PerRequestMemoMiddleware",
    # Every page needs a login unless its view opts out (login, health check).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the password, the second step before any other page (accounts/middleware.py).
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "notifications.context_processors.navigation",
            ],
            # `|in_sentence`: a label inside a sentence, lower-cased in English only.
            "builtins": ["kit.templatetags.words"],
        },
    },
    # One hot partial only: the fill page's questions (assessments/fill_html.py says why).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": True},
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (two gunicorn workers saving answers) would otherwise get
    # "database is locked": WAL lets readers run beside the writer, IMMEDIATE takes the
    # write lock when a transaction starts (so it waits its turn instead of failing on
    # upgrade), and the timeout is how long it waits.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=env.int("SQLITE_TIMEOUT", default=20),
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id at OWASP's minimum (accounts/hashers.py says why); older PBKDF2 hashes
# still verify and are upgraded at the next log-in.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the signed-in user with their two-factor state.
    "accounts.backends.ModelBackend",
    # Single sign-on (accounts/sso.py): answers only the OpenID Connect callback, and only
    # when OIDC_ISSUER is set.
    "accounts.sso.OIDCBackend",
]

# The read-only API (/api/v1/, api/): JSON only, token or session, paginated.
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an anonymous request gets a 401 with `WWW-Authenticate: Token`.
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ReadOnlyApiSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance Readiness API",
    "DESCRIPTION": "Read-only: alliances, assessments with results, findings, decisions, "
    "sponsorships with health and executive briefs, as the signed-in user may see them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling: https://django-axes.readthedocs.io/en/latest/4_configuration.html
# Per username and address, then per username across every address (config/login_limits.py).
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=20)
AXES_FAILURE_LIMIT = "config.login_limits.failure_limit"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Two-factor authentication (TOTP, django-otp): superusers and question-bank admins must
# set it up, everyone else may; OTP_REQUIRED_FOR_ALL makes it required for every user.
# Wrong codes are throttled per device: 1 s, 2 s, 4 s … after each failure.
# https://django-otp-official.readthedocs.io/en/stable/overview.html#settings
OTP_REQUIRED_FOR_ALL = env.bool("OTP_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Alliance Readiness")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Single sign-on by OpenID Connect (accounts/sso.py, mozilla-django-oidc): off while
# OIDC_ISSUER is empty. The provider's endpoints come from its discovery document.
OIDC_ISSUER = env("OIDC_ISSUER", default="")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_EMAIL_CLAIM = env("OIDC_EMAIL_CLAIM", default="email")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="")
# The provider's group -> our role group ("managers", "executives", "bank_admins" or a
# group's full name), e.g. `idp-alliance-managers=managers,idp-execs=executives`.
OIDC_GROUP_MAP = env.dict("OIDC_GROUP_MAP", default={})
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="")
# Trust the provider's own second factor (its `amr` claim says mfa, otp or hwk) in place
# of ours for those who must have one.
OIDC_TRUST_MFA = env.bool("OIDC_TRUST_MFA", default=False)
# Seconds to wait for the provider (discovery, keys, token) before the sign-in fails.
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
# Off: only superusers log in with a password (the others through single sign-on).
PASSWORD_LOGIN = env.bool("PASSWORD_LOGIN", default=True)
# mozilla-django-oidc's own settings, fixed: code flow with PKCE (S256), state and nonce.
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"

# Languages: English and German, chosen in the user menu (accounts/language.py), else
# the browser's. Catalogues in locale/ (`make messages`); dates and numbers follow the
# language through config/formats/. https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# PDF briefs are private: stored outside any served directory, read only
# through a view that checks access. By default in PRIVATE_MEDIA_ROOT; with
# AWS_STORAGE_BUCKET_NAME set, in that private S3-compatible bucket (MinIO in
# docker-compose), so web and workers on different hosts share no volume.
# https://django-storages.readthedocs.io/en/1.14.6/backends/amazon-S3.html
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _endpoint = env("AWS_S3_ENDPOINT_URL", default="")  # empty: AWS itself
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": _endpoint or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        # Path-style (endpoint/bucket/key) is what MinIO and most other servers expect.
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path" if _endpoint else "")
        or None,
        # The keys are read from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY by django-storages
        # and boto3; unset, boto3 looks further (credentials file, instance or task role).
    }
    _default_storage = {"BACKEND": "config.storage.PrivateS3Storage", "OPTIONS": _s3_options}
else:
    _default_storage = {
        "BACKEND": "config.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Where users reach the site, for links in e-mails. Empty (the default): links follow the
# address the server is reached at (kit/site_url.py), e.g. `make run PORT=8001`.
SITE_URL = env("SITE_URL", default="")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Alliance Readiness <noreply@localhost>")
# Password reset (accounts/password_reset.py): a link lives 2 hours and works once; at most
# 3 e-mails per address and per account an hour.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 60 * 60)
PASSWORD_RESET_LIMIT = env.int("PASSWORD_RESET_LIMIT", default=3)
PASSWORD_RESET_WINDOW = env.int("PASSWORD_RESET_WINDOW", default=60 * 60)
# Seconds the worker waits on a slow mail server before it counts as a failed attempt.
# https://docs.djangoproject.com/en/5.2/ref/settings/#email-timeout
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Every e-mail goes through one Celery task (notifications/worker.py): a failed send is
# tried again MAIL_RETRIES times, first after MAIL_RETRY_BACKOFF_SECONDS, then twice as
# long each time (at most an hour), before it is recorded as not delivered.
MAIL_RETRIES = env.int("MAIL_RETRIES", default=8)
MAIL_RETRY_BACKOFF_SECONDS = env.float("MAIL_RETRY_BACKOFF_SECONDS", default=60)
# Outgoing webhooks (webhooks/worker.py): each POST waits WEBHOOK_TIMEOUT seconds for an
# answer; a failed one is tried again after WEBHOOK_RETRY_BACKOFF_SECONDS, then twice as long
# each time, WEBHOOK_MAX_ATTEMPTS attempts in all. Endpoints must be public https:// URLs;
# WEBHOOKS_ALLOW_PRIVATE (tests and local development only) also allows plain http:// and
# loopback or private addresses.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=5)
WEBHOOK_RETRY_BACKOFF_SECONDS = env.float("WEBHOOK_RETRY_BACKOFF_SECONDS", default=2)
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)

# Question-bank files larger than this are refused before parsing (import_bank and any
# other way a bank file comes in); the shipped banks are about 20 kB.
# Two-sided assessments: how long a partner's invitation link works, and how many unknown
# links one client address may try (per window) before every look-up is refused.
PARTNER_LINK_DAYS = env.int("PARTNER_LINK_DAYS", default=21)
PARTNER_LINK_FAILURE_LIMIT = env.int("PARTNER_LINK_FAILURE_LIMIT", default=10)
PARTNER_LINK_FAILURE_WINDOW_SECONDS = env.int("PARTNER_LINK_FAILURE_WINDOW_SECONDS", default=900)
BANK_FILE_MAX_BYTES = env.int("BANK_FILE_MAX_BYTES", default=2 * 1024 * 1024)

# Evidence files (evidence/): at most EVIDENCE_MAX_BYTES each, kept in the private storage
# above. Where CLAMD_URL names a clamd (tcp://host:3310 or unix:///run/clamav/clamd.ctl)
# each file is scanned (INSTREAM) by the worker before anyone may download it; a front
# proxy should also cap request bodies (nginx `client_max_body_size`) a little above it.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
CLAMD_URL = env("CLAMD_URL", default="")
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=60)
# An upload above this is spooled to a temporary file rather than held in memory; a form
# takes at most this many files. https://docs.djangoproject.com/en/5.2/ref/settings/#file-upload-max-memory-size
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The cache every web process and host shares (throttles, counters, cached figures):
# Redis where CACHE_URL (or REDIS_URL) names it; otherwise each process keeps its own,
# which is right for one process only (`make run`, the tests).
CACHE_URL = env("CACHE_URL", default=env("REDIS_URL", default=""))
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="alliance-readiness"),
        }
    }
    # Every request reads its session: from the shared cache, written through to the
    # database. Only with a shared cache: a process's own cache would keep a session that
    # another process ended (a log-out there).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Celery: with no broker configured tasks run eagerly in-process.
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
# Redis redelivers a task that a dead worker never acknowledged after this long:
# keep it above the hard limit, so a slow render is never handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT * 2),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Production hardening: on by default whenever DEBUG is off.
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy on every response: our own files only, no inline script
# or style, no framing. https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls (select arrows, check marks) with data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    # Trust the proxy's X-Forwarded-Proto only when we are behind one.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run in the web process (no broker): a line per task done (each e-mail queued,
    # each brief) would bury the server's log and seed_demo's logins; failures still show.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
