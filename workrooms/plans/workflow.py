"""计划备案 (DOMAIN.md §3): the state machine of the workroom's plans."""

from core.workflow import Machine, Transition
from members.roles import office as _office
from members.roles import roles_of
from workrooms.plans.models import WorkroomPlan


def _plan_host(user, plan) -> bool:
    return plan.workroom_id in roles_of(user).hosted_workroom_ids


P = WorkroomPlan.Status


# 计划备案 (DOMAIN.md §3): the host submits, the office files (备案) or returns
# it with comments; a resubmission (a new version) goes back to the office.
PLAN = Machine(
    "plan",
    [
        Transition("file", "备案", (P.SUBMITTED,), P.FILED, _office),
        Transition("return", "退回修改", (P.SUBMITTED,), P.RETURNED, _office, needs_comment=True, button="warning"),
        Transition("resubmit", "提交新版本", (P.RETURNED, P.FILED), P.SUBMITTED, _plan_host),
    ],
)
