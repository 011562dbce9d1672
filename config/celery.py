"""Celery application. Redis is the broker; without REDIS_URL (the embedded
run) tasks execute in-process, see ``config.settings.base``."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("workrooms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_up(**kwargs) -> None:
    """Each worker process loads the PDF renderer and its fonts before its
    first task, so the first document costs what every later one does."""
    # Imported here: this module is loaded with the settings, before Django's apps are ready.
    from core.pdf import warm_up as warm_up_pdf

    warm_up_pdf()


_log_contexts: dict[str, object] = {}


@task_prerun.connect
def name_task_in_logs(task_id=None, **kwargs) -> None:
    """Every log line of a task names it: task-<Celery task id> (core.logs)."""
    from core import logs

    _log_contexts[task_id] = logs.bind(f"task-{task_id}")


@task_postrun.connect
def end_task_in_logs(task_id=None, **kwargs) -> None:
    from core import logs

    token = _log_contexts.pop(task_id, None)
    if token is not None:
        logs.unbind(token)


@task_prerun.connect
@task_postrun.connect
def close_old_connections(**kwargs) -> None:
    """Around each task, what Django does around each request: close a
    database connection that is broken or older than CONN_MAX_AGE, keep the
    others (settings.CELERY_DB_REUSE_MAX stops Celery closing them all)."""
    if getattr(kwargs["task"].request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
