"""The office's verification of profile items (DOMAIN.md §2, §4): only a
verified item counts for the 优先 criteria reviewers see."""

from django.utils import timezone

from core.workflow import Machine, Transition
from members.access import can_edit_profile_item, can_verify_profile_item


def _mark_verified(item, actor):
    item.verified_by = actor
    item.verified_at = timezone.now()


# 档案条目: 待认定 → 已认定 (counts, locked) | 未予认定 → (teacher edits) 待认定.
PROFILE_ITEM = Machine(
    "profile_item",
    [
        Transition(
            "verify", "认定", ("pending",), "verified", can_verify_profile_item,
            effect=_mark_verified, effect_fields=("verified_by", "verified_at"), button="success",
        ),
        Transition(
            "reject", "不予认定", ("pending",), "rejected", can_verify_profile_item, needs_comment=True,
            effect=_mark_verified, effect_fields=("verified_by", "verified_at"), button="warning",
        ),
        Transition("resubmit", "重新提交", ("rejected",), "pending", can_edit_profile_item),
    ],
)
