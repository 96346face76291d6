"""Settings shared by every environment. Everything deployment-specific comes from the environment.

Defaults give the zero-setup demo: SQLite in ./var, Celery on the filesystem broker (no Redis
server needed; the demo command runs a worker with beat beside the web server), SMS and e-mail
written to the log.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
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
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

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
    "django_htmx",
    "ninja",
    "apps.core",
    "apps.accounts",
    "apps.organisation",
    "apps.sectors",
    "apps.members",
    "apps.notifications",
    "apps.proposals",
    "apps.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
                "apps.core.context_processors.portal",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhengxie.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "apps.accounts.backends.LockoutModelBackend",
    "apps.accounts.backends.LockoutAuthenticationBackend",
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

# Sign-in lockout: N failures for one (username, IP) pair within the window lock that pair.
LOGIN_LOCKOUT_FAILURES = int(env("LOGIN_LOCKOUT_FAILURES", "5"))
LOGIN_LOCKOUT_WINDOW = timedelta(minutes=int(env("LOGIN_LOCKOUT_WINDOW_MINUTES", "15")))
LOGIN_LOCKOUT_DURATION = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15")))
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
ACCOUNT_FORMS = {"login": "apps.accounts.forms.LoginForm"}
# Our own (username, IP) lockout governs failed passwords; allauth keeps its per-IP limits.
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
LOCALE_PATHS = [BASE_DIR / "locale"]

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

CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "apps.notifications.tasks.sweep_outbox",
        "schedule": timedelta(minutes=int(env("OUTBOX_SWEEP_MINUTES", "2"))),
    },
    "notifications-daily-digest": {
        "task": "apps.notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "proposals-reminders": {
        # Daily, in office hours: deadlines are dates, and reminders go out by SMS.
        "task": "apps.proposals.tasks.run_proposal_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    "accounts-purge-login-failures": {
        "task": "apps.accounts.tasks.purge_login_failures",
        "schedule": crontab(hour=3, minute=17),
    },
}
# Notifications outbox (apps.notifications.conf): tries per delivery before it is given up,
# the waits after each failed try (seconds: 1 min, 5 min, 30 min, 2 h, 6 h), and how long a
# worker holds a claimed delivery before the sweep hands it to another (well above SMTP timeout).
NOTIFICATIONS_MAX_ATTEMPTS = int(env("NOTIFICATIONS_MAX_ATTEMPTS", "6"))
NOTIFICATIONS_RETRY_DELAYS = [60, 300, 1800, 7200, 21600]
NOTIFICATIONS_LEASE_SECONDS = int(env("NOTIFICATIONS_LEASE_SECONDS", "600"))

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
    },
}
