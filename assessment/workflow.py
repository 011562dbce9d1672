"""The state machine of assessment periods (DOMAIN.md §9, §12) and the
cycle extension of a workroom evaluated 优秀 (§9.5)."""


from django.utils import timezone

from assessment.honours.services import final_evaluation_of
from assessment.notifications import period_event_notify
from assessment.rules.honours import cycle_extension_refusal
from core.calendar import add_years
from core.models import Publication
from core.publicity import final_refusal, publication_current, publication_open, publication_reopen
from core.workflow import Machine, Transition, TransitionRefused
from members.roles import office as _office
from members.roles import roles_of
from workrooms.models import RuleSet, Workroom
from workrooms.selection.services import workroom_terms_renew
from workrooms.workflow import WORKROOM


def _has_results(period, actor):
    if not period.results.exists():
        raise TransitionRefused("尚未计算结果，不能公示。请先计算结果。")


def _publish(period, actor):
    """Open a round of 公示 (§12) for the days the settings in force name;
    the period keeps its last day for the pages that list periods."""
    days = (period.ruleset or RuleSet.objects.current()).public_notice_days
    publication = publication_open(period, actor=actor, days=days)
    period.notice_ends_on = publication.ends_on
    return f"第 {publication.round} 次公示，{publication.starts_on:%Y-%m-%d} 至 {publication.ends_on:%Y-%m-%d}"


def period_publication(period) -> Publication | None:
    """The round of 公示 standing for a period; a period published before
    rounds were recorded answers with its stored last day."""
    publication = publication_current(period)
    if publication is None and period.notice_ends_on is not None:
        return Publication(starts_on=period.notice_ends_on, ends_on=period.notice_ends_on)
    return publication


def open_objection_count(period) -> int:
    return period.objections.filter(answered_at__isnull=True).count()


def _may_finalize(period, actor):
    """Final only after the window has ended and every objection is answered (§12)."""
    refusal = final_refusal(period_publication(period), open_objections=open_objection_count(period))
    if refusal:
        raise TransitionRefused(refusal)


def _take_back(period, actor):
    """The round of 公示 now standing is taken back for a correction (§12);
    the next publication is the next round."""
    publication_reopen(period, actor=actor, reason="")


def _may_reopen(period, actor):
    """The office reopens after an upheld objection to the round now
    published; an administrator at any time (§12)."""
    if roles_of(actor).is_admin:
        return
    publication = publication_current(period)
    upheld = period.objections.filter(upheld=True)
    if publication is not None:
        upheld = upheld.filter(created_at__gte=publication.published_at)
    if not upheld.exists():
        raise TransitionRefused("只有异议经答复认定成立后，德育处才能重新开放更正；其他情况请管理员重新开放。")


ASSESSMENT_PERIOD = Machine(
    "assessment_period",
    [
        Transition(
            "publish", "公示结果", ("open",), "publicized", _office,
            guard=_has_results, effect=_publish, effect_fields=("notice_ends_on",),
        ),
        Transition("freeze", "定稿", ("publicized",), "frozen", _office, guard=_may_finalize),
        Transition(
            "reopen", "重新开放更正", ("publicized", "frozen"), "open", _office, needs_comment=True, button="danger",
            guard=_may_reopen, effect=_take_back,
        ),
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
