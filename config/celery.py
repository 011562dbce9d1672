"""Celery application. Redis is the broker; without REDIS_URL (the embedded
run) tasks execute in-process, see ``config.settings.base``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("workrooms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
