"""Local development and the zero-setup demo."""

from .base import *  # noqa: F403
from .base import STATIC_ROOT, env_bool

DEBUG = env_bool("DEBUG", True)

# Serve static files straight from the source folders (no collectstatic needed for the demo).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
