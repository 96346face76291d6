"""The benchmark's settings: production's, on loopback, plus the bare floor view.

Everything of zhengxie.settings.production stays (DEBUG off, the same middleware, sessions in
the database, Redis cache, compressed static files); only what a loopback run needs differs:
plain HTTP (no TLS redirect, cookies not marked Secure), the bench database and Redis database
by default, and ROOT_URLCONF = bench.urls, which adds the floor (/bench/floor/) in front of the
product's URLs. bench.middleware.QueryCountMiddleware reports each response's SQL statement
count in an X-Bench-Queries header.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-loopback-only-" + "k" * 48)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhengxie_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ZHENGXIE_VAR_DIR", "/tmp/zhengxie-bench-var")

from zhengxie.settings.production import *  # noqa: F403
from zhengxie.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
