"""Rules for members' records (DOMAIN.md §7): pure functions, no database.

- the reading reflection's minimum length (a school setting,
  ``RuleSet.reflection_min_chars``);
- a record's date must lie in its semester and not in the future;
- the documents each research stage needs before it can be closed."""

from datetime import date

from django.db import models

from core.calendar import Period


class ResearchStatus(models.TextChoices):
    """课题阶段 立项 → 开题 → 中期 → 结题, then 已结题 when the last one closes."""

    APPROVAL = "approval", "立项"
    OPENING = "opening", "开题"
    MIDTERM = "midterm", "中期"
    CONCLUSION = "conclusion", "结题"
    COMPLETED = "completed", "已结题"


STAGES = (ResearchStatus.APPROVAL, ResearchStatus.OPENING, ResearchStatus.MIDTERM, ResearchStatus.CONCLUSION)


class DocumentKind(models.TextChoices):
    PLAN = "plan", "方案"
    MEASURES = "measures", "措施"
    ACTIVITY_RECORD = "activity_record", "活动记录"
    STAGE_SUMMARY = "stage_summary", "阶段总结"
    RESULT_ANALYSIS = "result_analysis", "结果分析"


# 课题管理制度 (DOMAIN.md §7): what each stage must have on file before it closes.
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    ResearchStatus.APPROVAL: (DocumentKind.PLAN,),
    ResearchStatus.OPENING: (DocumentKind.PLAN, DocumentKind.MEASURES),
    ResearchStatus.MIDTERM: (DocumentKind.ACTIVITY_RECORD, DocumentKind.STAGE_SUMMARY),
    ResearchStatus.CONCLUSION: (DocumentKind.STAGE_SUMMARY, DocumentKind.RESULT_ANALYSIS),
}


def missing_documents(stage: str, present_kinds) -> tuple[str, ...]:
    """Labels of the documents ``stage`` still needs (DOMAIN.md §7), in order."""
    present = set(present_kinds)
    return tuple(DocumentKind(k).label for k in REQUIRED_DOCUMENTS.get(stage, ()) if k not in present)


def reflection_length(text: str) -> int:
    """Characters of a reflection, leading and trailing blanks not counted."""
    return len((text or "").strip())


def reflection_error(text: str, min_chars: int) -> str | None:
    """Why a reading reflection is too short (DOMAIN.md §7), or None."""
    length = reflection_length(text)
    if length >= min_chars:
        return None
    return f"读书体会至少需要 {min_chars} 字，目前 {length} 字，还需 {min_chars - length} 字。"


def record_date_error(day: date, semester: Period, today: date) -> str | None:
    """Why a record's date is not acceptable for its semester, or None."""
    if day > today:
        return "日期不能晚于今天。"
    if day not in semester:
        return (
            f"日期不在所选学期内：{semester.label}为 {semester.start:%Y-%m-%d} 至 {semester.end:%Y-%m-%d}。"
        )
    return None
