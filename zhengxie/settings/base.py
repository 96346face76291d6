"""Settings shared by every environment. Everything deployment-specific comes from the environment.

Defaults give the zero-setup demo: SQLite in ./var, Celery on the filesystem broker (no Redis
server needed; the demo command runs a worker with beat beside the web server), SMS and e-mail
written to the log.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ZHENGXIE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-insecure-key-change-me-0123456789-zhengxie-demo-only")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form sent without a valid token gets the portal's Chinese page (apps.core.views).
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
# The client address (apps.core.context.client_ip; lockout, audit, rate limits, SMS caps): the
# number of reverse proxies in front of the web server that append to X-Forwarded-For. 0 trusts
# no header (REMOTE_ADDR); behind one nginx, 1. The old TRUST_X_FORWARDED_FOR=true means 1.
TRUSTED_PROXY_COUNT = int(
    env("TRUSTED_PROXY_COUNT", "1" if env_bool("TRUST_X_FORWARDED_FOR", False) else "0")
)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Production settings say so (seed_demo refuses to run, the SMS backend must be real).
PRODUCTION = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "ninja",
    "apps.core",
    "apps.accounts",
    "apps.organisation",
    "apps.sectors",
    "apps.members",
    "apps.notifications",
    "apps.proposals",
    "apps.opinions",
    "apps.consultations",
    "apps.duties",
    "apps.study",
    "apps.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Under /api/ every error answers JSON, whichever layer produced it (apps.core.api_errors).
    "apps.core.api_errors.ApiJsonErrorsMiddleware",
    "apps.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.accounts.middleware.MfaRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhengxie.urls"
WSGI_APPLICATION = "zhengxie.wsgi.application"
ASGI_APPLICATION = "zhengxie.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.dashboards.context_processors.portal",
            ],
        },
    }
]


def database_settings(url: str) -> dict[str, Any]:
    """DATABASES["default"] for a database URL (dj-database-url)."""
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            url,
            conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The demo's web server and worker share one SQLite file. WAL lets them read while the
        # other writes; IMMEDIATE transactions take the write lock when they begin, so a writer
        # waits for the other (up to `timeout` seconds) instead of failing with "database is
        # locked" halfway through; NORMAL syncing is safe with WAL and much faster.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES: dict[str, Any] = {
    "default": database_settings(env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhengxie.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "apps.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "apps.accounts.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Sign-in lockout (django-axes, apps.accounts.lockout): failures are counted per account (any
# spelling of its username or phone) and client address; wrong passwords, SMS codes, two-factor
# codes and activation codes all count. N failures with no pause of LOGIN_LOCKOUT_MINUTES lock
# the (account, address) pair for LOGIN_LOCKOUT_MINUTES. LOGIN_ACCOUNT_FAILURES across all
# addresses within LOGIN_ACCOUNT_WINDOW make a right password ask for an SMS code as well
# (the two-factor step already follows for accounts that have one).
LOGIN_LOCKOUT_FAILURES = int(env("LOGIN_LOCKOUT_FAILURES", "5"))
LOGIN_LOCKOUT_DURATION = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15")))
LOGIN_ACCOUNT_FAILURES = int(env("LOGIN_ACCOUNT_FAILURES", "10"))
LOGIN_ACCOUNT_WINDOW = timedelta(minutes=int(env("LOGIN_ACCOUNT_WINDOW_MINUTES", "60")))
AXES_FAILURE_LIMIT = LOGIN_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_DURATION
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.axes_username"
AXES_CLIENT_IP_CALLABLE = "apps.core.context.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A refused attempt during a lock is not counted, so the lock ends on time.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# One row per failure, for the account-wide count (purged daily by accounts' purge job).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Successful sign-ins are in the audit log already.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "login",
    "phone",
    "password1",
    "password2",
    "code",
    "otp",
    "csrfmiddlewaretoken",
]
ACTIVATION_TOKEN_TTL = timedelta(days=int(env("ACTIVATION_TOKEN_DAYS", "14")))

# Sessions end after 30 idle minutes (apps.accounts.middleware.IdleTimeoutMiddleware: requests
# the person makes count as activity, background polls do not). The cookie's own age is only an
# upper bound, pushed forward whenever activity is recorded.
SESSION_IDLE_TIMEOUT = timedelta(seconds=int(env("SESSION_IDLE_SECONDS", "1800")))
SESSION_COOKIE_AGE = int(env("SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-allauth
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "phone"}
# Signup is closed; these only tell allauth that accounts have a username, maybe a phone, and a
# password. "phone" must stay optional or accounts without a phone could not sign in.
ACCOUNT_SIGNUP_FIELDS = ["username*", "phone", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PHONE_VERIFICATION_ENABLED = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {
    "login": "apps.accounts.forms.LoginForm",
    "request_login_code": "apps.accounts.forms.RequestLoginCodeForm",
    "confirm_login_code": "apps.accounts.forms.ConfirmLoginCodeForm",
}
# The lockout above governs failed passwords; allauth keeps its per-IP limits. Sign-in codes by
# SMS have their own caps (SMS_CODE_* below).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "60/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "apps.accounts.adapters.MfaAdapter"
MFA_FORMS = {
    "authenticate": "apps.accounts.forms.MfaAuthenticateForm",
    "activate_totp": "apps.accounts.forms.ActivateTotpForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "政协委员履职平台")
MFA_RECOVERY_CODE_COUNT = 10

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# The zh_Hans catalogue (made by makemessages; see the README). Overridable for the test that
# checks the catalogue is complete.
LOCALE_PATHS = [Path(env("ZHENGXIE_LOCALE_DIR", str(BASE_DIR / "zhengxie" / "locale")))]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploads: no more of one file is kept than this (apps.core.uploads.SizeLimitUploadHandler);
# 200 MB is the largest per-committee limit an office can set.
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "apps.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Content Security Policy (Django's built-in middleware). Scripts only from our own origin or
# with the per-request nonce; nothing from a CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# apps.core.middleware.SecurityHeadersMiddleware: on every response; signed-in responses are
# also marked `Cache-Control: private, no-store`.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=(), "
    "fullscreen=(self)"
)

# Redis: broker and cache when REDIS_URL is set; otherwise the embedded demo defaults.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zhengxie",
        }
    }
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "celery-broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)  # kombu's filesystem transport does not
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "zhengxie_cache",
        }
    }

# API pagination (django-ninja): limit/offset lists by default, `limit` at most 100; offsets and
# page numbers are bounded too (apps.core.inputs), so no list answers a 500 or the whole roster.
NINJA_PAGINATION_CLASS = "apps.core.inputs.LimitOffsetPagination"
NINJA_PAGINATION_MAX_LIMIT = 100
NINJA_MAX_PER_PAGE_SIZE = 100

CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic jobs are registered by each app (apps.core.registry.register_reminder_job) and put
# on beat by zhengxie.celery; the outbox sweep interval is a setting.
OUTBOX_SWEEP_MINUTES = int(env("OUTBOX_SWEEP_MINUTES", "2"))
# Notifications outbox (apps.notifications.conf): tries per delivery before it is given up,
# the waits after each failed try (seconds: 1 min, 5 min, 30 min, 2 h, 6 h), and how long a
# worker holds a claimed delivery before the sweep hands it to another.
NOTIFICATIONS_MAX_ATTEMPTS = int(env("NOTIFICATIONS_MAX_ATTEMPTS", "6"))
NOTIFICATIONS_RETRY_DELAYS = [60, 300, 1800, 7200, 21600]
# The lease is renewed by a heartbeat while a worker sends, so it can be short: a dead worker's
# deliveries come back within it (and the next sweep) instead of after ten minutes.
NOTIFICATIONS_LEASE_SECONDS = int(env("NOTIFICATIONS_LEASE_SECONDS", "60"))

# Outbound channels. Mail: Django 6.1 MAILERS from the environment (console in development).


def mailers_from_env(default_backend: str) -> dict[str, dict[str, object]]:
    backend = env("EMAIL_BACKEND", default_backend)
    options: dict[str, object] = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": env("EMAIL_HOST", "localhost"),
            "port": int(env("EMAIL_PORT", "25")),
            "username": env("EMAIL_HOST_USER"),
            "password": env("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 15,
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from_env("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "政协委员履职平台 <noreply@zhengxie.local>")
# SMS: a dotted path to a backend class (apps.core.sms). The default writes to the log.
SMS_BACKEND = env("SMS_BACKEND", "apps.core.sms.LogSmsBackend")
SMS_SIGNATURE = env("SMS_SIGNATURE", "【政协履职平台】")
# apps.core.sms.HttpGatewaySmsBackend: POSTs {"phone", "text"} as JSON to this URL.
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
# Whether the gateway drops a second message with the same Idempotency-Key: then the outbox may
# send again an SMS whose worker died after handing it over (otherwise it is marked 结果未知).
SMS_GATEWAY_IDEMPOTENT = env_bool("SMS_GATEWAY_IDEMPOTENT", False)
# Caps on sign-in codes by SMS (apps.core.sms.sms_code_take): per phone number (rolling
# windows), per client address and for the whole site per calendar day; when the site's
# budget is used up the administrators get a notice.
SMS_CODE_PER_PHONE_MINUTE = int(env("SMS_CODE_PER_PHONE_MINUTE", "1"))
SMS_CODE_PER_PHONE_HOUR = int(env("SMS_CODE_PER_PHONE_HOUR", "5"))
SMS_CODE_PER_PHONE_DAY = int(env("SMS_CODE_PER_PHONE_DAY", "10"))
SMS_CODE_PER_ADDRESS_DAY = int(env("SMS_CODE_PER_ADDRESS_DAY", "50"))
SMS_DAILY_BUDGET = int(env("SMS_DAILY_BUDGET", "5000"))

# Printable documents (the standard 提案 form): a CJK font collection and the face to use
# (Debian's fonts-noto-cjk; face 2 of the Noto CJK collections is Simplified Chinese).
PROPOSAL_PDF_FONT = env(
    "PROPOSAL_PDF_FONT", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
)
PROPOSAL_PDF_FONT_BOLD = env(
    "PROPOSAL_PDF_FONT_BOLD", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
)
PROPOSAL_PDF_FONT_INDEX = int(env("PROPOSAL_PDF_FONT_INDEX", "2"))

PORTAL_NAME = env("PORTAL_NAME", "政协委员履职平台")
# Base URL used in links sent by SMS/e-mail (activation links, notifications).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "jieba": {"level": "WARNING"},
        # django-axes logs every attempt at INFO; failures and locks are in the audit log.
        "axes": {"level": "WARNING"},
    },
}

# Backups (manage.py backup / restore): where they go and how many are kept.
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = int(env("BACKUP_KEEP", "14"))
