"""Settings for every environment, read from environment variables.

Defaults suit local development: debug on, an SQLite file in the project, local-memory
cache. Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
DATABASE_URL (postgres://…) and CACHE_URL (redis://…). See docs/operations.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

MIN_SECRET_KEY_LENGTH = 50
DEVELOPMENT_SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
# Keys anyone can read (this file, the docs, the Dockerfile): production refuses them.
KNOWN_SECRET_KEYS = {
    DEVELOPMENT_SECRET_KEY,
    "build-time-only-not-a-secret-collectstatic-needs-one-to-import-settings",
}
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG=0) needs a long random "
            "secret: export DJANGO_SECRET_KEY=$(python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH or SECRET_KEY in KNOWN_SECRET_KEYS):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too weak: production (DJANGO_DEBUG=0) needs at least "
        f"{MIN_SECRET_KEY_LENGTH} random characters, never a value printed in the docs or the "
        "code. Make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Production (DJANGO_DEBUG=0) needs the site's host "
        "names, comma-separated, e.g. DJANGO_ALLOWED_HOSTS=buying.example.org"
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin classes win.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "guidance",
    "casestudies",
    "assessments",
    "printing",
    "proposals",
    "api",
    "resources",
    "translating",
    "feedback",
    "buyingguide",
]

MIDDLEWARE = [
    # First: every later step (host check, absolute URLs, cache key) sees one Host form.
    "buyingguide.middleware.normalise_host",
    "django.middleware.security.SecurityMiddleware",
    "buyingguide.middleware.security_headers",
    # CORS for /api/ only (CORS_URLS_REGEX below); early, so preflights get their headers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside gzip, sessions and locale: a hit is served already compressed, skipping them.
    "buyingguide.middleware.PageCacheMiddleware",
    "api.middleware.api_cache",  # the same for /api/, which the page cache leaves alone
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes last: it reads the authenticated user.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "buyingguide.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "buyingguide.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "buyingguide.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default; production shares one Redis between instances so a content
# change (which bumps the content version) is seen by all of them at once. An unreachable
# Redis is a cache miss with a logged warning, not a 500 (buyingguide/cache.py); the short
# socket timeouts keep a Redis that does not answer from holding up every request.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "buyingguide.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "dbg",
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("CACHE_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("CACHE_TIMEOUT", "0.5")),
                "RETRY_SECONDS": 5,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# The whole-page cache (buyingguide/middleware.py). LOCAL_COPY: keep this process's recent
# pages in front of a shared cache (Redis), saving a network round trip per hit.
PAGE_CACHE = {
    "SECONDS": PAGE_CACHE_SECONDS,
    "LOCAL_COPY": CACHE_URL.startswith(("redis://", "rediss://")),
    "LOCAL_COPY_ENTRIES": 500,
    # Free-text search results: per process, at most this many, never in the shared cache.
    "CAPPED_ENTRIES": 300,
}

# Built PDFs (printing/services.py): a directory every instance can reach (a shared volume).
PDF_ROOT = Path(os.environ.get("PDF_ROOT", BASE_DIR / "var" / "pdf"))
# How long a request waits for a PDF another worker is building before a 503.
PDF_BUILD_WAIT_SECONDS = int(os.environ.get("PDF_BUILD_WAIT_SECONDS", "180"))
# A page whose PDF link has no size and page count yet stays cached this long at most.
PDF_PENDING_PAGE_CACHE_SECONDS = int(os.environ.get("PDF_PENDING_PAGE_CACHE_SECONDS", "30"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: lock an account+address pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# The 30 minutes run from the last failure before the lockout: trying again while locked
# out (even with the right password) does not restart them. The page says when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "buyingguide.lockout.lockout_response"
# Behind a load balancer, count its hops so the lockout uses the visitor's address from
# X-Forwarded-For, not the balancer's (which would lock everybody out together).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0")) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LANGUAGE_CODE = "en"
# The one list of languages (each in its own name, for the switcher); guidance/languages.py
# and every other list of languages derive from it.
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("id", "Bahasa Indonesia"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# modeltranslation: Indonesian fields are *_ind ("id" would clash with the primary key).
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Review before publishing (casestudies/review.py, docs/editing.md): an editor's change to
# what visitors see waits for a reviewer; SELF_APPROVAL lets one person approve their own.
CASE_STUDY_REVIEW = {
    "REQUIRED": os.environ.get("CASE_STUDY_REVIEW_REQUIRED", "1") == "1",
    "SELF_APPROVAL": os.environ.get("CASE_STUDY_SELF_APPROVAL", "0") == "1",
}
MAX_IMAGE_BYTES = int(os.environ.get("MAX_IMAGE_BYTES", str(2 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_IMAGE_BYTES
# Form fields (not files) Django reads per request. Well above the sum of the fields' own
# limits (guidance/limits.py), so an over-long story gets the form's error with the
# editor's text kept, not a bare "Bad Request (400)".
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# In development and tests, serve straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))
# The English versions translations were made from, one file per source_hash (committed;
# `translation_status --record` adds them): what an out-of-date translation must catch up on.
TRANSLATION_SOURCES_DIR = Path(
    os.environ.get("TRANSLATION_SOURCES_DIR", BASE_DIR / "translation-sources")
)
SITE_NAME = _("Digital Buying Guide")
# The one origin every absolute URL is built from (canonical, hreflang, sitemap, feed, CSV,
# robots.txt): buyingguide/origin.py. Required in production, so no Host header can choose
# what visitors get; in development, empty means "the request's (normalised) host".
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if SITE_URL or not DEBUG:
    from urllib.parse import urlsplit

    _origin = urlsplit(SITE_URL)
    if _origin.scheme not in ("http", "https") or not _origin.hostname or _origin.path:
        raise ImproperlyConfigured(
            (f"SITE_URL={SITE_URL!r} is not an origin. " if SITE_URL else "SITE_URL is not set. ")
            + "Production (DJANGO_DEBUG=0) needs the site's public origin, scheme and host "
            "without a path, e.g. SITE_URL=https://buying.example.org"
        )

# Security: headers always; HTTPS-only settings when not in debug (behind a TLS proxy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a commitment that is hard to undo: opt in with DJANGO_HSTS_PRELOAD=1.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO (printing builds PDFs).
        "weasyprint": {"level": "WARNING"},
    },
}

# "Was this page useful?" (feedback app, docs/operations.md): answers per client address
# (django-ratelimit syntax, e.g. "10/m"; counted in the default cache, so shared between
# instances with Redis), and how long a page's signed token and a "No"'s comment form last.
# The page token must outlive a cached page plus a long read, hence a day past the cache.
FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "10/m")
FEEDBACK_TOKEN_MAX_AGE = int(
    os.environ.get("FEEDBACK_TOKEN_MAX_AGE", str(PAGE_CACHE_SECONDS + 24 * 3600))
)
FEEDBACK_COMMENT_MAX_AGE = int(os.environ.get("FEEDBACK_COMMENT_MAX_AGE", "3600"))

# The open-data API (/api/v1/, docs/api.md): read-only, anonymous, JSON only.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/min")  # per client address
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "300"))  # Cache-Control seconds
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["api.http.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "NUM_PROXIES": int(os.environ.get("DJANGO_PROXY_COUNT", "0")) or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Digital Buying Guide API",
    "DESCRIPTION": "Read-only open data: the guide's stages, topics, case studies, themes, "
    "glossary and pages in English, Spanish and Bahasa Indonesia. Text under CC BY-NC-SA "
    "3.0 IGO. See /en/developers/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": False,
    "LICENSE": {
        "name": "CC BY-NC-SA 3.0 IGO (guide text)",
        "url": "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/",
    },
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True  # open data: any site may read it; never with credentials
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400
