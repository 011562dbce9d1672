"""Embedded run: SQLite and in-process tasks unless the environment says otherwise.

Safe by default: DEBUG is off (set DJANGO_DEBUG=1 to see tracebacks), so
visitors get the Chinese 404/403/500 pages; WhiteNoise serves the static files
straight from the source folders; e-mails go to files, not to the console; the
site address printed on certificates and in e-mail links follows HOST and PORT.
"""

from config.settings.base import *  # noqa: F401,F403
from config.settings.base import BASE_DIR, env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = ["*"]

# No collectstatic in the embedded run: WhiteNoise finds files where they are.
WHITENOISE_USE_FINDERS = True

_HOST = env("HOST", "127.0.0.1")
_PORT = env("PORT", "8000")
_SITE_HOST = "127.0.0.1" if _HOST in ("0.0.0.0", "::") else _HOST
SITE_URL = env("SITE_URL", f"http://{_SITE_HOST}:{_PORT}").rstrip("/")

# Notification e-mails are written to files (one per message) instead of the console.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))

# SQLite cannot enforce UNIQUE ... NULLS NOT DISTINCT (assessment periods);
# PostgreSQL, used by the tests and in production, does.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "models.W047"]  # noqa: F405
