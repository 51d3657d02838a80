"""A fast test profile: cheap hashing, in-memory cache and email, throwaway media."""

import tempfile

from portal.settings import base

# Start from every base setting, then override below.
globals().update(base.settings())

DEBUG = False
SECRET_KEY = "test-only-key-never-used-outside-the-test-suite-8d1e"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
SEARCH_INDEX_PREFIX = "portal-test"
