"""Test settings: real PostgreSQL and Redis (started by scripts/test.sh)."""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/workrooms")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")

from config.settings.base import *  # noqa: E402,F401,F403
from config.settings.base import env  # noqa: E402

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="wr-media-"))  # noqa: F405
# Unit tests run tasks in-process; tests that need the real worker switch
# this off for themselves (see the worker tests in tests/archives and tests/workrooms/outreach).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
