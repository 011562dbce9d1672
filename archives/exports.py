"""Spreadsheets (DOMAIN.md §10): *what* to export is a list of columns and
rows; *how* is one writer, ``write_xlsx``, shared by every export.

The writer uses openpyxl's write-only mode, so memory stays flat however many
rows there are; rows stream from the database in chunks, in the order of the
page they download (each list export filters with that page's own FilterSet
over that page's own queryset, so people get exactly what they see). Text
typed by users that starts with ``= + - @`` is stored as text, never as a
formula (spreadsheet injection)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from archives.errors import JobError
from archives.filters import CertificateFilter
from archives.selectors import certificates_for_list
from core.xlsx import (
    DATE,
    DATETIME,
    EXPORT_KINDS,
    Column,
    Export,
    local_time,
    ordered_export,
    page_query,
    register_export,
)

# --- the exports --------------------------------------------------------------------


# --- the school's list pages (教师名录, 申报, 职责进度, 评估, 证书, 成果, 否决, 加分) ---------


def certificates_export(*, user, data) -> Export:
    """证书台账 (DOMAIN.md §10): serial, kind, recipient and workroom as
    printed, issue date, and whether and why a certificate was revoked."""
    qs = CertificateFilter(data, queryset=certificates_for_list(user)).qs.select_related("reissue_of")
    columns = [
        Column("证书编号", lambda c: c.serial, width=18),
        Column("证书类型", lambda c: c.get_kind_display(), width=16),
        Column("荣誉称号", lambda c: c.honour, width=14),
        Column("获证人", lambda c: c.recipient_name, width=10),
        Column("工作室", lambda c: c.workroom_name, width=28),
        Column("颁发日期", lambda c: c.issued_on, width=12, number_format=DATE),
        Column("状态", lambda c: "已撤销" if c.revoked_at else "有效", width=8),
        Column("撤销时间", lambda c: local_time(c.revoked_at), width=17, number_format=DATETIME),
        Column("撤销原因", lambda c: c.revoke_reason, width=30),
        Column("补发自", lambda c: c.reissue_of.serial if c.reissue_of else "", width=18),
    ]
    return ordered_export(title="证书台账", columns=columns, qs=qs, totals=False)


register_export("certificates", lambda user, data, pk: certificates_export(user=user, data=data))


def export_for_job(job) -> Export:
    """Rebuild the export a job was asked for, for the same page query, as
    its requester may see it now (access is checked again)."""
    kind = EXPORT_KINDS.get(job.params.get("export"))
    if kind is None:
        raise JobError("未知的导出类型。")
    pk = job.params.get(kind.pk_param) if kind.pk_param else None
    try:
        return kind.build(job.requested_by, page_query(job.params), pk)
    except Http404:
        raise JobError("要导出的内容不存在或无权查看。") from None
    except PermissionDenied:
        raise JobError("无权导出该内容。") from None
