"""导师制 (DOMAIN.md §5, 000): mentor pairs, guidance records and the
mentor's semester comments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.sanitize import RichTextField
from workrooms.plans.models import YEAR_VALIDATORS, Term


class MentorPair(models.Model):
    """导师制: a member mentors a trainee (学员) within a workroom (DOMAIN.md §5)."""

    workroom = models.ForeignKey("workrooms.Workroom", on_delete=models.CASCADE, related_name="mentor_pairs", verbose_name="工作室")
    mentor = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="mentee_pairs", verbose_name="导师")
    trainee = models.ForeignKey("members.Teacher", on_delete=models.PROTECT, related_name="mentor_pairs", verbose_name="学员")
    started_on = models.DateField("结对日期", default=timezone.localdate)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="结对人"
    )

    class Meta:
        db_table = "members_mentorpair"
        verbose_name = verbose_name_plural = "师徒结对"
        ordering = ["-started_on", "-id"]
        constraints = [
            # A teacher is the trainee of one mentor at a time.
            models.UniqueConstraint(fields=["trainee"], condition=Q(ended_on__isnull=True), name="mentorpair_one_mentor"),
            models.CheckConstraint(condition=~Q(mentor=models.F("trainee")), name="mentorpair_not_self"),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.trainee}"

    @property
    def is_current(self):
        return self.ended_on is None


class GuidanceRecord(models.Model):
    """指导记录: guidance a mentor gave the trainee."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="guidance_records", verbose_name="结对")
    date = models.DateField("指导日期")
    content = RichTextField("指导内容")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        db_table = "members_guidancerecord"
        verbose_name = verbose_name_plural = "指导记录"
        ordering = ["-date", "-id"]


class MentorComment(models.Model):
    """导师学期评语 for the trainee, one per semester."""

    pair = models.ForeignKey(MentorPair, on_delete=models.CASCADE, related_name="comments", verbose_name="结对")
    school_year = models.PositiveSmallIntegerField("学年（起始年）", validators=YEAR_VALIDATORS)
    term = models.PositiveSmallIntegerField("学期", choices=Term.choices)
    body = RichTextField("评语")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        db_table = "members_mentorcomment"
        verbose_name = verbose_name_plural = "导师学期评语"
        ordering = ["-school_year", "-term"]
        constraints = [models.UniqueConstraint(fields=["pair", "school_year", "term"], name="mentorcomment_once")]

    @property
    def semester_label(self):
        return f"{self.school_year}—{self.school_year + 1}学年{Term(self.term).label}"
