"""Vocabularies shared by every app (DOMAIN.md §2, §6, §7)."""

from django.db import models


class Title(models.TextChoices):
    """职称, ordered from lowest to highest (see ``TITLE_RANK``)."""

    NONE = "none", "未定级"
    JUNIOR = "junior", "初级"
    INTERMEDIATE = "intermediate", "中级"
    SENIOR = "senior", "高级"
    PROFESSOR = "professor", "正高级"


TITLE_RANK = {value: rank for rank, value in enumerate(Title.values)}


class Level(models.TextChoices):
    """Level of an honour, project, training or award, lowest first."""

    SCHOOL = "school", "校级"
    COUNTY = "county", "县级"
    MUNICIPAL = "municipal", "市级"
    PROVINCIAL = "provincial", "省级"
    NATIONAL = "national", "国家级"


LEVEL_RANK = {value: rank for rank, value in enumerate(Level.values)}


class SchoolStage(models.TextChoices):
    """学段: the host title rule may differ by stage (DOMAIN.md §4, 003方案3)."""

    PRIMARY = "primary", "小学"
    SECONDARY = "secondary", "中学"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class DepartmentKind(models.TextChoices):
    DEPARTMENT = "department", "系部"
    SPECIALTY = "specialty", "专业部"
    GRADE = "grade", "年级部"
    OFFICE = "office", "处室"


# A teacher's place in a workroom (DOMAIN.md §1, §5). The membership itself
# lives with the workrooms; people's roles read these through the teacher.
class MembershipRole(models.TextChoices):
    HOST = "host", "主持人"
    MEMBER = "member", "成员"


class MembershipStatus(models.TextChoices):
    PENDING_AGREEMENT = "pending_agreement", "待签协议"
    ACTIVE = "active", "在册"
    WITHDRAWN = "withdrawn", "已退出"
    REMOVED = "removed", "已调整出"
    COMPLETED = "completed", "已结业"
    ENDED = "ended", "已终止"


CURRENT_MEMBERSHIP_STATUSES = (MembershipStatus.PENDING_AGREEMENT, MembershipStatus.ACTIVE)
