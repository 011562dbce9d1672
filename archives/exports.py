"""Spreadsheets (DOMAIN.md §10): *what* to export is a list of columns and
rows; *how* is one writer, ``write_xlsx``, shared by every export.

The writer uses openpyxl's write-only mode, so memory stays flat however many
rows there are; rows stream from the database in chunks, in the order of the
page they download (each list export filters with that page's own FilterSet
over that page's own queryset, so people get exactly what they see). Text
typed by users that starts with ``= + - @`` is stored as text, never as a
formula (spreadsheet injection)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from archives.access import can_export_credits, can_see_credits
from archives.errors import JobError
from archives.filters import CertificateFilter, CreditFilter
from archives.selectors import certificates_for_list, credit_memberships, credit_rows
from core.xlsx import (
    DATE,
    DATETIME,
    DECIMAL_1,
    EXPORT_KINDS,
    Column,
    Export,
    local_time,
    ordered_export,
    page_query,
    register_export,
    require,
    stamp,
)
from workrooms.models import RuleSet

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


# --- 继续教育学分 for the provincial continuing-education platform ------------------------

CREDIT_COLUMNS = ["姓名", "工号", "单位", "培训项目", "学年", "学时", "学分", "证书编号"]


def _credit_batches(qs, year, hours_per_credit):
    batch = []
    for m in qs.iterator(chunk_size=settings.EXPORT_BATCH_SIZE):
        batch.append(m)
        if len(batch) == settings.EXPORT_BATCH_SIZE:
            yield from credit_rows(batch, year=year, hours_per_credit=hours_per_credit)
            batch = []
    yield from credit_rows(batch, year=year, hours_per_credit=hours_per_credit)


def credits_export(*, user, data) -> Export:
    """继续教育学分台账 in the layout a continuing-education platform imports
    (DOMAIN.md §10): the header in the first row, no title, numbering or
    totals; one row per person, workroom and school year, as the ledger page
    shows them. The Teacher model has no ID-card number, so there is no
    身份证号 column."""
    filterset = CreditFilter(data, queryset=credit_memberships(user), user=user)
    year = filterset.period
    qs = filterset.qs
    per_credit = RuleSet.objects.current().training_hours_per_credit
    values = {
        "姓名": Column("姓名", lambda r: r.teacher.name, width=10),
        "工号": Column("工号", lambda r: r.teacher.staff_no, width=12),
        "单位": Column("单位", lambda r: r.teacher.school.name, width=20),
        "培训项目": Column("培训项目", lambda r: f"{r.workroom.name}研修", width=30),
        "学年": Column("学年", lambda r: r.year.label, width=14),
        "学时": Column("学时", lambda r: r.hours, width=8, number_format=DECIMAL_1),
        "学分": Column("学分", lambda r: r.credits, width=8, number_format=DECIMAL_1),
        "证书编号": Column("证书编号", lambda r: ",".join(r.certificates), width=30),
    }
    title = f"继续教育学分{year.label}"
    return Export(
        title=title,
        filename=f"{title}-{stamp()}.xlsx",
        columns=[values[h] for h in CREDIT_COLUMNS],
        rows=lambda: _credit_batches(qs, year, per_credit),
        count=qs.count,
        totals=False,
        numbered=False,
        title_row=False,
    )


def _build_credits(user, data, pk) -> Export:
    if not can_see_credits(user):
        raise Http404
    require(can_export_credits(user))
    return credits_export(user=user, data=data)


register_export("credits", _build_credits)


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
