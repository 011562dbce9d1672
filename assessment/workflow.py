"""The state machine of assessment periods (DOMAIN.md §9, §12) and the
cycle extension of a workroom evaluated 优秀 (§9.5)."""

from datetime import timedelta

from django.utils import timezone

from assessment.honours.services import final_evaluation_of
from assessment.notifications import period_event_notify
from assessment.rules.honours import cycle_extension_refusal
from core.calendar import add_years, school_today
from core.workflow import Machine, Transition, TransitionRefused
from members.roles import admin as _admin
from members.roles import office as _office
from workrooms.models import RuleSet, Workroom
from workrooms.selection.services import workroom_terms_renew
from workrooms.workflow import WORKROOM


def _has_results(period, actor):
    if not period.results.exists():
        raise TransitionRefused("尚未计算结果，不能公示。请先计算结果。")


def _set_notice_end(period, actor):
    days = (period.ruleset or RuleSet.objects.current()).public_notice_days
    period.notice_ends_on = school_today() + timedelta(days=days)


def _objections_answered(period, actor):
    open_count = period.objections.filter(answered_at__isnull=True).count()
    if open_count:
        raise TransitionRefused(f"还有 {open_count} 条异议未答复，不能定稿。")


ASSESSMENT_PERIOD = Machine(
    "assessment_period",
    [
        Transition(
            "publish", "公示结果", ("open",), "publicized", _office,
            guard=_has_results, effect=_set_notice_end, effect_fields=("notice_ends_on",),
        ),
        Transition("freeze", "定稿", ("publicized",), "frozen", _office, guard=_objections_answered),
        Transition("reopen", "重新开放修改", ("publicized", "frozen"), "open", _admin, needs_comment=True, button="danger"),
    ],
    on_change=period_event_notify,
)


def _final_excellent(workroom, actor):
    """Only a workroom whose final evaluation is 优秀 extends its cycle, once
    per final evaluation (DOMAIN.md §9.5)."""
    final = final_evaluation_of(workroom)
    refusal = cycle_extension_refusal(
        final_grade=final.grade if final else None, already_extended=bool(final and final.cycle_extended_at)
    )
    if refusal:
        raise TransitionRefused(refusal)


def _extend_cycle(workroom, actor) -> str:
    """New cycle end = old end + the cycle length of the settings in force;
    the final evaluation it rests on is marked as used; the host and the
    members who stay start a new term (DOMAIN.md §11)."""
    final = final_evaluation_of(workroom, lock=True)
    ruleset = RuleSet.objects.current()
    old_end = Workroom.objects.values_list("cycle_end", flat=True).get(pk=workroom.pk)
    workroom.cycle_end = add_years(old_end, ruleset.cycle_years)
    final.cycle_extended_at = timezone.now()
    final.save(update_fields=["cycle_extended_at"])
    concluded = timezone.localtime(final.concluded_at).date() if final.concluded_at else None
    terms = workroom_terms_renew(workroom=workroom, actor=actor)
    return (
        f"建设周期由 {old_end:%Y-%m-%d} 延长至 {workroom.cycle_end:%Y-%m-%d}"
        f"（{ruleset.cycle_years} 年，学校设置第 {ruleset.version} 版），"
        f"依据{f'{concluded:%Y-%m-%d} ' if concluded else ''}终期评估{final.grade}（{final.total} 分）。{terms}"
    )



# Only a workroom whose final evaluation is 优秀 extends its cycle (§9.5): the
# guard reads the evaluation, so the transition joins the workroom's machine here.
WORKROOM.add(
    Transition(
        "extend", "延长建设周期", (Workroom.Status.COMPLETED,), Workroom.Status.RUNNING, _office, needs_comment=True,
        guard=_final_excellent, effect=_extend_cycle, effect_fields=("cycle_end",), button="success",
    ),
    before="revoke",
)
