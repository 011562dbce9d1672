"""Embedded run: SQLite and in-process tasks unless the environment says otherwise."""

from .base import *  # noqa: F401,F403

DEBUG = True
ALLOWED_HOSTS = ["*"]
