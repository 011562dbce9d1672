"""A workroom's archive 档案 (DOMAIN.md §8)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models


class ArchiveEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imported here: workrooms.records.access imports this module's models.
        from workrooms.records.access import archive_entries_visible_to

        return archive_entries_visible_to(user, self)


class ArchiveEntry(models.Model):
    """One item in a workroom's archive 档案, filed under one of the five
    categories of the archive rules (DOMAIN.md §8). Entries for things the
    workroom produces in the system point at their source record; uploaded
    files are entries of their own. Filed by ``workrooms.archive.services``."""

    class Category(models.TextChoices):
        PLANS = "plans", "计划总结类"
        RULES = "rules", "规章制度类"
        RESEARCH = "research", "教育科研类"
        ACHIEVEMENTS = "achievements", "各类成果类"
        OTHER = "other", "其他类"

    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="archive_entries", verbose_name="工作室"
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices, db_index=True)
    kind = models.CharField("类型", max_length=30)
    title = models.CharField("标题", max_length=300)
    member = models.ForeignKey(
        "members.Teacher", on_delete=models.SET_NULL, null=True, blank=True, related_name="archive_entries",
        verbose_name="成员",
    )
    semester = models.CharField("学期", max_length=30, db_index=True)
    filed_on = models.DateField("归档日期")
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name="来源类型",
    )
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="文件")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="归档人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ArchiveEntryQuerySet.as_manager()

    class Meta:
        db_table = "archives_archiveentry"
        verbose_name = verbose_name_plural = "档案条目"
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["workroom", "filed_on", "id"]), models.Index(fields=["member", "filed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="archiveentry_one_per_source",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_upload(self) -> bool:
        return self.source_id is None
