"""Writes of a teacher's profile items (DOMAIN.md §2): the teacher enters
honours, class awards, research and publications with evidence; the office
verifies or rejects them (``members.profile.workflow.PROFILE_ITEM``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.calendar import school_today
from core.files import store_upload
from core.workflow import TransitionRefused
from members.access import can_edit_profile_item, can_enter_profile_items
from members.models import ProfileItem, Teacher
from members.profile.workflow import PROFILE_ITEM

LOCKED = "该条目已经德育处认定，不能再修改；如有错误请联系德育处。"
DUPLICATE = "您已登记过同一条目（类别、名称、级别、年份相同），请勿重复提交。"
EARLIEST_YEAR = 1950


def _store(upload, *, actor):
    try:
        return store_upload(upload, user=actor)
    except ValidationError as e:
        raise ValidationError({"upload": e.messages}) from e


def _errors(*, year: int, title: str) -> dict:
    errors = {}
    this_year = school_today().year
    if not (EARLIEST_YEAR <= year <= this_year):
        errors["year"] = f"年份须在 {EARLIEST_YEAR} 至 {this_year} 之间。"
    if not title.strip():
        errors["title"] = "请填写名称。"
    return errors


@transaction.atomic
def profile_item_create(*, actor, kind: str, title: str, level: str, year: int, is_leader: bool = False,
                        upload) -> ProfileItem:
    """A teacher enters an item of their own profile, with its evidence; it
    waits for the office's verification."""
    if not can_enter_profile_items(actor):
        raise PermissionDenied("只有教师本人可以登记档案条目。")
    teacher = Teacher.objects.select_for_update().get(user=actor)
    errors = _errors(year=year, title=title)
    if errors:
        raise ValidationError(errors)
    if ProfileItem.objects.filter(teacher=teacher, kind=kind, title=title.strip(), level=level, year=year).exists():
        raise ValidationError(DUPLICATE)
    if upload is None:
        raise ValidationError({"upload": "请上传证明材料（证书、文件或刊物的扫描件）。"})
    item = ProfileItem(teacher=teacher, kind=kind, title=title.strip(), level=level, year=year,
                       is_leader=is_leader and kind == ProfileItem.Kind.RESEARCH)
    item.evidence = _store(upload, actor=actor)
    item.full_clean()
    item.save()
    PROFILE_ITEM.record(item, actor=actor)
    return item


@transaction.atomic
def profile_item_update(*, actor, item: ProfileItem, kind: str, title: str, level: str, year: int,
                        is_leader: bool = False, upload=None) -> ProfileItem:
    """The teacher corrects an item not yet verified; a rejected one goes back to the office."""
    item = ProfileItem.objects.select_for_update().select_related("teacher").get(pk=item.pk)
    if not can_edit_profile_item(actor, item):
        raise PermissionDenied("只有登记人本人可以修改。")
    if item.is_locked:
        raise ValidationError(LOCKED)
    errors = _errors(year=year, title=title)
    if errors:
        raise ValidationError(errors)
    for field, value in dict(kind=kind, title=title.strip(), level=level, year=year,
                             is_leader=is_leader and kind == ProfileItem.Kind.RESEARCH).items():
        setattr(item, field, value)
    if upload is not None:
        item.evidence = _store(upload, actor=actor)
    item.full_clean()
    item.save()
    if item.status == ProfileItem.Status.REJECTED:
        PROFILE_ITEM.apply(item, "resubmit", actor=actor)
    return item


@transaction.atomic
def profile_item_verify(*, actor, item: ProfileItem, action: str, comment: str = "") -> None:
    """The office verifies (``verify``) or rejects (``reject``, with the
    reason) an item. Only verified items count for the 优先 criteria."""
    if action not in ("verify", "reject"):
        raise TransitionRefused("未知的操作。")
    item.verify_comment = comment.strip()
    PROFILE_ITEM.apply(item, action, actor=actor, comment=comment, save_fields=("verify_comment",))
