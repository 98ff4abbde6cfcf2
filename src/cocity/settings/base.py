"""Settings shared by every environment. Everything an administrator may set comes from the
environment (see ``docs/configuration.md``); nothing here reads the database or the network."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/cocity
env = environ.Env()
DATA_DIR = Path(env.str("COCITY_DATA_DIR", default=str(Path.cwd() / "var")))

SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Before allauth, so its templates (allauth/layouts, allauth/elements) override allauth's.
    "cocity.accounts",
    "allauth",
    "allauth.account",
    "cocity.core",
    "cocity.network",
    "cocity.insights",
    "cocity.events",
    "cocity.pledges",
    "cocity.participation",
    "cocity.plans",
    "cocity.commons",
    "cocity.library",
    "cocity.search",
    "cocity.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # 400 for a NUL byte or undecodable bytes in the address, cookies or form fields.
    "cocity.core.middleware.BadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # ?original=1 and a person's own choice of machine translations (cocity.core.translations).
    "cocity.core.translations.TranslationViewMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cocity.core.cache.PublicPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cocity.core.middleware.TimezoneMiddleware",
    "cocity.core.middleware.SecurityHeadersMiddleware",
    "cocity.core.ratelimit.PostRateLimitMiddleware",
]

ROOT_URLCONF = "cocity.urls"
WSGI_APPLICATION = "cocity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cocity.core.context_processors.site",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so -----------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'cocity.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL mode and a busy timeout: readers never block the writer; see core/apps.py.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: local memory by default, Redis when REDIS_URL is set ---------------
REDIS_URL = env.str("REDIS_URL", default="")
# django-redis keeps one redis-py client per server for the life of the process (Django's own
# backend builds one, with its ~80 response callbacks, for every cache call: see
# docs/benchmarks.md).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks (django-tasks: the backport of Django 6's task framework) -------------
# "database" (default: tasks in the main database, run by `cocity db-worker`), "redis" (RQ, run
# by `cocity rqworker`; needs the redis-tasks extra and REDIS_URL) or "immediate" (run in the
# request, for the demo and tests).
COCITY_TASKS = env.str("COCITY_TASKS", default="database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[COCITY_TASKS], "QUEUES": ["default"]}}
if COCITY_TASKS == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

# --- Authentication (django-allauth) ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# allauth's mails in the recipient's language (cocity/accounts/adapter.py).
ACCOUNT_ADAPTER = "cocity.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[cocity] "
ACCOUNT_SIGNUP_FORM_CLASS = "cocity.accounts.forms.SignupExtraForm"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# After logging in (without a "next"), and after confirming a new account: the start page.
LOGIN_REDIRECT_URL = "start"
LOGIN_URL = "account_login"

# --- Mail: console by default, any backend by EMAIL_URL (smtp://, smtp+tls://, consolemail://) ---
_EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
EMAIL_CONFIG = env.email_url_config(_EMAIL_URL)
if _EMAIL_URL.startswith("filemail:"):
    # filemail:///var/mail/cocity names an absolute path (django-environ drops its first slash,
    # which would write under the working directory); filemail://mail (no third slash) is
    # relative to COCITY_DATA_DIR.
    _mail_path = urlsplit(_EMAIL_URL)
    if _mail_path.netloc:
        EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(DATA_DIR / (_mail_path.netloc + _mail_path.path))
    else:
        EMAIL_CONFIG["EMAIL_FILE_PATH"] = "/" + unquote(_mail_path.path).lstrip("/")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cocity <noreply@cocity.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages and time ----------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The interface languages, by code; the switcher names each in its own language (base.html).
# Arabic is written right to left: <html dir="rtl"> and logical CSS properties (docs/design.md).
LANGUAGES = [
    ("ar", _("Arabic")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("nl", _("Dutch")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("COCITY_TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
# One date, time and number format per locale (docs/design.md): cocity/formats/<lang>/formats.py
FORMAT_MODULE_PATH = ["cocity.formats"]
USE_TZ = True
LANGUAGE_COOKIE_NAME = "cocity_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]  # the site's own CSS and JS (cocity is not an app)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Uploaded files are served by cocity.core.views.media, which checks who may read them. Behind
# nginx, set this to the prefix of an `internal` location that aliases MEDIA_ROOT (for example
# "/_media/"): the view then answers with X-Accel-Redirect and nginx sends the bytes
# (docs/deployment.md). Empty: the view sends the file itself.
COCITY_MEDIA_ACCEL_REDIRECT = env.str("COCITY_MEDIA_ACCEL_REDIRECT", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
# The largest accepted upload of each kind, in bytes (docs/configuration.md), one environment
# variable each; every app checks its uploads with cocity.core.uploads, which reads this.
COCITY_MAX_UPLOAD_BYTES = {
    "image": env.int("COCITY_MAX_IMAGE_BYTES", default=5_242_880),  # photos, covers
    "logo": env.int("COCITY_MAX_LOGO_BYTES", default=1_048_576),  # organisation logos
    "pdf": env.int("COCITY_MAX_PDF_BYTES", default=20_971_520),
    "office": env.int("COCITY_MAX_OFFICE_BYTES", default=20_971_520),  # Word, Excel, ODF
    "csv": env.int("COCITY_MAX_CSV_BYTES", default=52_428_800),  # insights counts
    "geojson": env.int("COCITY_MAX_GEOJSON_BYTES", default=5_242_880),  # boundaries
    # A city's units in the insights import: GeoJSON, GeoPackage or a zipped Shapefile.
    "geodata": env.int("COCITY_MAX_GEODATA_BYTES", default=209_715_200),
}

# --- Behind a reverse proxy: the visitor's address ----------------------------------------------
# Per-address rate limits (cocity.core.ratelimit and allauth's) need the visitor's address, not
# the proxy's. Either the number of proxies in front that each append to X-Forwarded-For (the
# address is read that many entries from the right; 0: the connection's own address), or the
# one header a proxy sets to the visitor's address (e.g. X-Real-IP), which then wins. Set them
# only when every request comes through those proxies (docs/deployment.md).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("COCITY_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("COCITY_CLIENT_IP_HEADER", default="") or None

# --- Security headers ------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# Maps (cocity/static/cocity/js/map.js): the base map's tiles, "" for none (the map then draws
# boundaries, points, labels and a scale on a plain background and says so). {s} in the address
# stands for a subdomain. The default is OpenStreetMap's own server: heavy use needs its tile
# usage policy read (docs/configuration.md).
COCITY_MAP_TILES_URL = env.str(
    "COCITY_MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
COCITY_MAP_TILES_ATTRIBUTION = env.str(
    "COCITY_MAP_TILES_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors",
)
COCITY_MAP_MAX_ZOOM = env.int("COCITY_MAP_MAX_ZOOM", default=19)


def map_tiles_origin(url: str) -> str:
    """The origin the tiles come from, as a Content-Security-Policy source ("" for no tiles)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "tiles-subdomain"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('tiles-subdomain', '*')}"


COCITY_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    + " ".join(["img-src 'self' data:", map_tiles_origin(COCITY_MAP_TILES_URL)]).strip()
    + "; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

# --- Product settings ------------------------------------------------------------------------
COCITY_SITE_NAME = env.str("COCITY_SITE_NAME", default="cocity")
# The address links in e-mails point to (mail is sent outside any request).
COCITY_BASE_URL = env.str("COCITY_BASE_URL", default="http://127.0.0.1:8000")
COCITY_PAGE_SIZE = env.int("COCITY_PAGE_SIZE", default=20)
# Open data (cocity.api.opendata): the licence of the published packages (an SPDX-style id), the
# folder they are written to ("" = MEDIA_ROOT/open-data), the largest file an import reads, and
# whether a write queues their regeneration ("" = yes, unless tasks run in the request).
COCITY_OPEN_DATA_LICENSE = env.str("COCITY_OPEN_DATA_LICENSE", default="CC-BY-4.0")
COCITY_OPEN_DATA_DIR = env.str("COCITY_OPEN_DATA_DIR", default="")
COCITY_OPEN_DATA_IMPORT_MAX_BYTES = env.int("COCITY_OPEN_DATA_IMPORT_MAX_BYTES", default=10_485_760)
COCITY_OPEN_DATA_ON_WRITE = {"": None, "true": True, "false": False}.get(
    env.str("COCITY_OPEN_DATA_ON_WRITE", default="").lower()
)
# Anonymous visitors get directory and detail pages from the shared cache (cocity.core.cache).
# On by default with Redis only: a per-process cache would keep other processes' pages stale.
COCITY_PAGE_CACHE = env.bool("COCITY_PAGE_CACHE", default=bool(REDIS_URL))
# Writes (POST, PUT, PATCH, DELETE) per signed-in person, or per IP address for visitors:
# "<count>/<s|m|h|d>"; empty switches it off. See cocity/core/ratelimit.py.
COCITY_POST_RATE = env.str("COCITY_POST_RATE", default="60/m")
# The load benchmark's minimal view (/bench/ceiling/); never on in a real installation.
COCITY_BENCHMARK_VIEWS = env.bool("COCITY_BENCHMARK_VIEWS", default=False)
# Machine translation of content (cocity/core/machine_translation.py, docs/translations.md):
# "" (off), "echo" (tests), "apertium", "libretranslate" or "deepl"; checked at first use.
COCITY_TRANSLATION_BACKEND = env.str("COCITY_TRANSLATION_BACKEND", default="")
COCITY_TRANSLATION_TIMEOUT = env.float("COCITY_TRANSLATION_TIMEOUT", default=20.0)  # seconds
COCITY_APERTIUM_COMMAND = env.str("COCITY_APERTIUM_COMMAND", default="apertium")
COCITY_LIBRETRANSLATE_URL = env.str("COCITY_LIBRETRANSLATE_URL", default="")
COCITY_LIBRETRANSLATE_API_KEY = env.str("COCITY_LIBRETRANSLATE_API_KEY", default="")
COCITY_DEEPL_URL = env.str("COCITY_DEEPL_URL", default="https://api-free.deepl.com")
COCITY_DEEPL_API_KEY = env.str("COCITY_DEEPL_API_KEY", default="")
# The API (cocity/api, docs/api.md): calls per token (or per address without one) and period.
COCITY_API_RATE = env.str("COCITY_API_RATE", default="600/m")
# The API's answers kept under their ETag (a repeated question answered without reading rows):
# on with Redis, as the page cache (one process's memory would serve other processes' stale
# answers... which the tag prevents, but each process would keep its own copy).
COCITY_API_BODY_CACHE = env.bool("COCITY_API_BODY_CACHE", default=bool(REDIS_URL))
# Search (cocity/search/backends, docs/search.md): "database" (default: SQLite FTS5 or PostgreSQL
# full-text in the main database), "tantivy" (an embedded index in COCITY_SEARCH_DIR, fed by the
# task worker) or "opensearch" (COCITY_OPENSEARCH_URL, docs/scaling.md).
COCITY_SEARCH_BACKEND = env.str("COCITY_SEARCH_BACKEND", default="database")
COCITY_SEARCH_DIR = Path(env.str("COCITY_SEARCH_DIR", default=str(DATA_DIR / "search")))
COCITY_OPENSEARCH_URL = env.str("COCITY_OPENSEARCH_URL", default="")
COCITY_OPENSEARCH_INDEX = env.str("COCITY_OPENSEARCH_INDEX", default="cocity")
# A file of the certificate authority that signed the cluster's certificate (a private CA).
COCITY_OPENSEARCH_CA_CERTS = env.str("COCITY_OPENSEARCH_CA_CERTS", default="")
# The database backend's bound on one question's database time (PostgreSQL statement_timeout).
COCITY_SEARCH_STATEMENT_TIMEOUT_MS = env.int("COCITY_SEARCH_STATEMENT_TIMEOUT_MS", default=300)
# Insights: never show an aggregate of fewer people; imports above this many rows are written
# on the task queue; uploads above this many bytes (counts and boundaries together) are not even
# read in the request: stored as they came, checked and written by the task.
COCITY_INSIGHTS_MIN_CELL = env.int("COCITY_INSIGHTS_MIN_CELL", default=10)
COCITY_INSIGHTS_ASYNC_ROWS = env.int("COCITY_INSIGHTS_ASYNC_ROWS", default=5000)
COCITY_INSIGHTS_ASYNC_BYTES = env.int("COCITY_INSIGHTS_ASYNC_BYTES", default=1_048_576)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
