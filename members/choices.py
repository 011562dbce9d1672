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


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class DepartmentKind(models.TextChoices):
    DEPARTMENT = "department", "系部"
    SPECIALTY = "specialty", "专业部"
    GRADE = "grade", "年级部"
    OFFICE = "office", "处室"
