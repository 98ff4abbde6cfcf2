"""Tests: fast hasher, mail kept in memory, no outgoing network, SQLite unless DATABASE_URL."""

import os
import re

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env.str(
    "TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
if env.str("COCITY_TEST_CACHE_DIR", default=""):
    # The browser tests' server and the seeding processes share one cache on disk, so a seed's
    # writes make the server's cached pages stale as another web process's would.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str("COCITY_TEST_CACHE_DIR"),
        }
    }
elif not env.str("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Tests clear the cache (FLUSHDB) between tests: each pytest-xdist worker gets a Redis
    # database of its own, counting down from the one REDIS_URL names (15 if none: 15, 14, ...),
    # so workers never see or wipe each other's keys.
    _url = env.str("REDIS_URL").rstrip("/")
    _named = re.search(r"/(\d+)$", _url)
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    _db = (int(_named.group(1)) if _named else 15) - int(_worker[2:] or 0) % 8
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": re.sub(r"(/\d+)?$", f"/{_db % 16}", _url, count=1),
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env.bool("COCITY_TEST_FILES_ON_DISK", default=False):
    # The browser tests' server and their seeding commands are separate processes: uploaded
    # files (covers, photos) go to MEDIA_ROOT under their temporary COCITY_DATA_DIR.
    STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
ACCOUNT_RATE_LIMITS = {}  # the rate-limit tests switch them back on explicitly
COCITY_POST_RATE = env.str("COCITY_POST_RATE", default="")  # likewise
# The browser tests' server writes mail to files (TEST_EMAIL_BACKEND=...filebased...) here.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.str(
    "DATABASE_URL", default=""
):
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "OPTIONS": {"timeout": 20},
        "TEST": {"NAME": env.str("TEST_SQLITE_NAME", default="") or None},
    }
TIME_ZONE = "Europe/Brussels"
# No base map in tests: nothing may leave for a tile server (the browser tests fail on any
# request to an outside address); the maps draw on a plain background.
COCITY_MAP_TILES_URL = ""
# The page cache is on, as in production: every write (factories included) invalidates through
# the model signals of the cache table (cocity.core.cache); each test gets a key prefix of its
# own (tests/conftest.py).
COCITY_PAGE_CACHE = True
# The API's answers kept under their ETag, as in production with Redis.
COCITY_API_BODY_CACHE = True

# Tasks run at once inside the test (tests that check the queue itself override this).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
