"""Background tasks of members: the read of a large roster (导入教师名册)."""

import logging

from celery import shared_task

from members.roster import services

log = logging.getLogger(__name__)

READ_FAILED = "读取名册时出错，请稍后重新上传；多次失败请联系管理员。"


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=300, time_limit=360)
def roster_read(roster_import_id: int) -> None:
    """Read the rows of the roster import ``roster_import_id`` (its progress
    on its page). A read that breaks is logged with its traceback and shown failed."""
    try:
        services.roster_import_read(roster_import_id=roster_import_id)
    except Exception:
        log.exception("reading roster import %s failed", roster_import_id)
        services.roster_import_fail(roster_import_id=roster_import_id, error=READ_FAILED)
        raise
