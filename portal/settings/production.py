"""Production: every secret from the environment; refuses to start without them."""

from portal.settings import base
from portal.settings.environment import env_bool, env_int, env_list, env_required, env_str

# Start from every base setting, then override below.
globals().update(base.settings())

DEBUG = False
SECRET_KEY = env_required(
    "SECRET_KEY", "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(64))'`"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set: a comma-separated list of the host names the portal serves"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{h}" for h in ALLOWED_HOSTS])
WAGTAILADMIN_BASE_URL = env_required(
    "WAGTAILADMIN_BASE_URL", "the public base URL, e.g. https://oversight.example.gov"
)
# Base settings fall back to a SQLite file inside the code tree; in a container that
# file vanishes with the container, so production insists on an explicit database.
env_required("DATABASE_URL", "e.g. postgres://portal:password@db:5432/portal")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STATIC_ROOT = base.BASE_DIR / "var" / "static"
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **base.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_required("EMAIL_HOST", "the SMTP server that sends receipts and notices"),
            "port": env_int("EMAIL_PORT", 587, minimum=1),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
        },
    }
}
