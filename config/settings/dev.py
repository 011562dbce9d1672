"""Embedded run: SQLite and in-process tasks unless the environment says otherwise."""

from config.settings.base import *  # noqa: F401,F403
from config.settings.base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = ["*"]

# SQLite cannot enforce UNIQUE ... NULLS NOT DISTINCT (assessment periods);
# PostgreSQL, used by the tests and in production, does.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "models.W047"]  # noqa: F405
