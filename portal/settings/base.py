"""Settings shared by every environment. Secrets and DEBUG live in dev/test/production."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from portal.settings.environment import (
    env_bool,
    env_database,
    env_int,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "portal.accounts",
    "portal.assets",
    "portal.pages",
    "portal.public_cache",
    "content.agencies",
    "content.technologies",
    "content.vendors",
    "content.inventory",
    "content.rulebook",
    "content.filings",
    "content.documents",
    "content.compliance",
    "content.oversight",
    "content.demo",
    "search",
    "search.backends.database",
    "submissions",
    "review",
    "publication",
    "redaction",
    "accountability",
    "opendata",
    "public_api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "subscriptions",
    "browse",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.middleware.no_store_for_private_pages",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.language_from_the_address_only",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it turns any sign-in refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content Security Policy: the portal's own pages run no inline script or style and load
# nothing from other hosts. The staff admin, whose markup is Wagtail's and Django's, gets
# STAFF_ADMIN_CSP (portal/urls.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
STAFF_ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "frame-src": [CSP.SELF],
}

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site_navigation",
                "portal.context_processors.signed_in",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# On PostgreSQL, Wagtail's search index uses its full-text fields and GIN indexes.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Brute-force protection (django-axes) for every sign-in form: the portal's and the admin's.
# Failures are counted per username, so changing address or headers does not reset the count;
# a lockout ends AXES_COOLOFF_MINUTES after the failure that caused it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
# Attempts made while locked out do not push the end of the lockout further away, so the
# time the lockout page names stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "submissions.views.accounts.locked_out"
# The address recorded with each attempt comes from the connection alone: headers such as
# X-Forwarded-For are set by whoever sends the request. Behind a trusted reverse proxy, install
# django-ipware and set AXES_IPWARE_PROXY_COUNT and AXES_IPWARE_META_PRECEDENCE_ORDER to read the
# header that proxy sets.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# axes.W006 asks to lock out by address as well. Behind the reverse proxy production runs
# with, every request comes from the proxy's address, so that would lock everyone out at once;
# counting per username already ignores rotated user agents and cookies.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# How long an emailed invitation to the agency portal can be accepted.
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7, minimum=1)

# The interface speaks English and Spanish: English at unprefixed URLs, Spanish under /es/.
# Documents are shown in whatever language they were filed in.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# Editorial pages (home, about) are translated in Wagtail: one page tree per locale.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = env_str("PORTAL_TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
# Spanish number formatting as in the US (portal/formats/es).
FORMAT_MODULE_PATH = ["portal.formats"]
# Message catalogues outside an app's own locale/ directory: the site frame (portal/templates)
# and the record model's labels (content/*).
LOCALE_PATHS = [BASE_DIR / "portal" / "locale", BASE_DIR / "content" / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
# Outside production WhiteNoise serves static files straight from the apps and STATICFILES_DIRS.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Files: the local file system unless an S3 bucket is named. The bucket is
# private; documents reach the public through views or short-lived presigned URLs.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL"),
            "region_name": env_str("S3_REGION", "us-east-1"),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("S3_URL_EXPIRY_SECONDS", 300, minimum=1),
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Where browsers reach the bucket to upload large files directly, when that differs from
# where the portal reaches it (in Docker: http://s3:9000). Set but empty: browsers cannot
# reach the bucket, so every upload goes through the portal.
S3_PUBLIC_ENDPOINT_URL = env_str("S3_PUBLIC_ENDPOINT_URL", env_str("S3_ENDPOINT_URL"))
if env_str("S3_PUBLIC_ENDPOINT_URL"):
    _public_endpoint = urlsplit(S3_PUBLIC_ENDPOINT_URL)
    if (
        _public_endpoint.scheme not in {"http", "https"}
        or not _public_endpoint.netloc
        or _public_endpoint.path not in {"", "/"}
        or _public_endpoint.query
        or _public_endpoint.fragment
    ):
        raise ImproperlyConfigured(
            f"S3_PUBLIC_ENDPOINT_URL={S3_PUBLIC_ENDPOINT_URL!r} is not an S3 endpoint URL; "
            "expected e.g. https://files.example.org or http://localhost:9000"
        )
if S3_PUBLIC_ENDPOINT_URL:
    # The direct-upload form posts the file to the bucket, not to the portal.
    _endpoint = urlsplit(S3_PUBLIC_ENDPOINT_URL)
    SECURE_CSP["form-action"] = [CSP.SELF, f"{_endpoint.scheme}://{_endpoint.netloc}"]

# The cache: in each process's memory unless REDIS_URL names a Redis server for all of them
# to share (rendered public pages, API throttling counts). Cached pages are keyed by the
# public record's revision in the database, so neither way ever serves a stale page.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REDIS_URL={REDIS_URL!r} is not a Redis URL; expected e.g. redis://127.0.0.1:6379/0"
        )
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

WAGTAIL_SITE_NAME = env_str("PORTAL_SITE_NAME", "Surveillance Technology Oversight")
# The name authenticator apps show beside the code for this portal.
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
WAGTAILIMAGES_IMAGE_MODEL = "assets.EditorialImage"
WAGTAILDOCS_DOCUMENT_MODEL = "assets.EditorialDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# No Gravatar: it would send a hash of each staff member's email address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")

# The ordinance's rulebook: filing kinds, required fields, deadline rules.
RULEBOOK_PATH = Path(
    env_str("RULEBOOK_PATH", str(BASE_DIR / "content" / "rulebook" / "oakland_9_64.yaml"))
)

# Search: the database index always; Elasticsearch answers queries when configured.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "database"
# Index names start with this, so several environments can share one cluster.
SEARCH_INDEX_PREFIX = env_str("SEARCH_INDEX_PREFIX", "portal")
DOCUMENT_MAX_UPLOAD_BYTES = env_int("DOCUMENT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024, minimum=1)

# A form without a valid token: explain that nothing was saved and how to resubmit.
CSRF_FAILURE_VIEW = "portal.csrf.csrf_failure"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_SUBJECT_PREFIX = "[Oversight portal] "
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "oversight-portal@localhost")

# The public read-only API (/api/v1/) sets its own authentication (none), renderer and
# throttle on its views, leaving Wagtail admin's DRF views as they are. Anonymous clients
# are throttled per address. Its documentation page serves Swagger UI from this site.
API_ANON_THROTTLE_RATE = env_str("API_ANON_THROTTLE_RATE", "60/min")
if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", API_ANON_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_ANON_THROTTLE_RATE={API_ANON_THROTTLE_RATE!r} is not a rate; "
        "expected requests per period, e.g. 60/min or 1000/day"
    )
REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Surveillance Technology Oversight public API",
    "DESCRIPTION": "Read-only access to everything the portal publishes: agencies, "
    "technologies, vendors, published filings, their public documents and page texts, "
    "and search.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["public_api.schema.only_public_api"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": "INFO" if env_bool("PORTAL_VERBOSE", True) else "WARNING",
    },
}


def settings() -> dict:
    """The settings defined above, for an environment module to start from."""
    return {name: value for name, value in globals().items() if name.isupper()}
