"""The hosts of a workroom (DOMAIN.md §1, §3): up to ``RuleSet.max_hosts``
(领衔人 / 副主持人), added, removed or replaced only by the office, each
change recorded with its reason."""

from django.conf import settings
from django.db import models


class HostChange(models.Model):
    """One change of a workroom's hosts, with who decided it and why."""

    class Kind(models.TextChoices):
        ADD = "add", "增设主持人"
        ETHICS = "ethics", "师德违规撤换"
        JOB = "job", "工作变动更换"

    workroom = models.ForeignKey(
        "workrooms.Workroom", on_delete=models.CASCADE, related_name="host_changes", verbose_name="工作室"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    outgoing = models.ForeignKey(
        "members.Teacher", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="离任主持人"
    )
    incoming = models.ForeignKey(
        "members.Teacher", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="新任主持人"
    )
    reason = models.TextField("原因")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="决定人"
    )
    decided_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "主持人变更"
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"{self.workroom}：{self.get_kind_display()}"
