"""Memberships end with their workroom (DOMAIN.md §11): the new 已终止 status,
and the terms of workrooms already completed or revoked, which stayed open
before completion and revocation ended them, closed on the day the workroom
ended, each with a step in its history."""

from django.db import migrations, models
from django.utils import timezone

ENDINGS = {"completed": ("complete", "completed", "工作室结题，聘期届满"), "revoked": ("end", "ended", "工作室被撤销")}
NEVER_FILED = ("end", "ended", "工作室结题时协议尚未备案")


def close_terms(apps, schema_editor):
    Workroom = apps.get_model("workrooms", "Workroom")
    Membership = apps.get_model("workrooms", "Membership")
    StatusChange = apps.get_model("core", "StatusChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    open_terms = Membership.objects.filter(
        status__in=["pending_agreement", "active"], workroom__status__in=list(ENDINGS)
    ).select_related("workroom")
    if not open_terms.exists():
        return
    workroom_type, _ = ContentType.objects.get_or_create(app_label="workrooms", model="workroom")
    membership_type, _ = ContentType.objects.get_or_create(app_label="workrooms", model="membership")
    ended_on = {}
    for workroom_id, status in Workroom.objects.filter(status__in=list(ENDINGS)).values_list("id", "status"):
        step = (
            StatusChange.objects.filter(content_type=workroom_type, object_id=workroom_id, to_status=status)
            .order_by("-created_at", "-id")
            .values_list("created_at", flat=True)
            .first()
        )
        ended_on[workroom_id] = timezone.localtime(step).date() if step else timezone.localdate()
    for membership in open_terms:
        action, status, reason = ENDINGS[membership.workroom.status]
        if membership.workroom.status == "completed" and membership.status == "pending_agreement":
            action, status, reason = NEVER_FILED
        from_status = membership.status
        membership.status = status
        membership.left_on = ended_on[membership.workroom_id]
        membership.left_reason = reason
        membership.save(update_fields=["status", "left_on", "left_reason"])
        StatusChange.objects.create(
            content_type=membership_type, object_id=membership.pk, action=action, from_status=from_status,
            to_status=status, actor=None, comment=f"{reason}（补记）",
        )


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_kernel_models_moved_in"),
        ("workrooms", "0009_features_moved_in"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending_agreement", "待签协议"),
                    ("active", "在册"),
                    ("withdrawn", "已退出"),
                    ("removed", "已调整出"),
                    ("completed", "已结业"),
                    ("ended", "已终止"),
                ],
                default="pending_agreement",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.RunPython(close_terms, migrations.RunPython.noop),
    ]
