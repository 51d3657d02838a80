"""The embedded run: SQLite, local files, database search, console email."""

from portal.settings import base
from portal.settings.environment import env_list, env_str

# Start from every base setting, then override below.
globals().update(base.settings())

DEBUG = True
# A development-only key; production refuses to start without its own.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-key-not-for-production-use-7f3a9c2e1b")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
