"""Local development and the zero-setup demo."""

import os

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, STATIC_ROOT, VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)

# Serve static files straight from the source folders (no collectstatic needed for the demo).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Development mail goes to files (one per message) instead of flooding the console.
if not os.environ.get("EMAIL_BACKEND"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "sent-mail")},
        }
    }

# kombu warns about a broker URL without a host; the filesystem transport does not use one.
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_URL = "filesystem://localhost/"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
