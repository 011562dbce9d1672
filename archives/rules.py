"""Who qualifies for which certificate (DOMAIN.md §10, §5). Pure Python."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

COMPLETED_WORKROOM = "completed"
HOST = "host"
MEMBER = "member"
TRAINING_STATUSES = frozenset({"active", "completed"})


HONOURS = frozenset({"title", "honour"})  # what a veto from honours takes away


@dataclass(frozen=True)
class Candidate:
    kind: str  # Certificate.Kind value
    workroom_status: str
    role: str
    membership_status: str
    honours_vetoed: bool = False  # a host veto or a 师德 violation (DOMAIN.md §9.5, §3)
    # Training hours attended in the workroom's construction cycle, and what
    # the school asks for a 培训合格证书 (``RuleSet.certificate_training_hours``).
    training_hours: Decimal = Decimal(0)
    required_training_hours: Decimal = Decimal(0)


def qualifies(c: Candidate) -> bool:
    """DOMAIN.md §10 certificates.

    - 名班主任称号证书 (``title``): the host of a completed (已结题) workroom.
    - 培训合格证书 (``training``): a member of a completed workroom whose
      membership is active or completed (not withdrawn, not removed) and
      whose training hours in the cycle reach the school's requirement
      (``training_hours_reached``; 003/004: 合格学员 get the certificate).
    - 荣誉证书 (``honour``): whoever the office ticks among the workroom's
      host and members, in any workroom status; the assessment results feed
      this choice.

    Nobody vetoed from honours (荣誉一票否决, DOMAIN.md §9.5; 师德一票否决,
    §3) gets a title or honour certificate; a training certificate records
    training done and is not an honour.
    """
    if c.kind in HONOURS and c.honours_vetoed:
        return False
    if c.kind == "title":
        return c.workroom_status == COMPLETED_WORKROOM and c.role == HOST and c.membership_status in TRAINING_STATUSES
    if c.kind == "training":
        return (
            c.workroom_status == COMPLETED_WORKROOM
            and c.role == MEMBER
            and c.membership_status in TRAINING_STATUSES
            and training_hours_reached(c.training_hours, c.required_training_hours)
        )
    if c.kind == "honour":
        return c.membership_status in TRAINING_STATUSES
    return False


def training_hours_reached(hours: Decimal, required: Decimal) -> bool:
    """A 合格学员 for the 培训合格证书 (DOMAIN.md §10; 003/004 评估考核): the
    training hours attended in the workroom's cycle reach the requirement;
    exactly the requirement is enough, and a requirement of 0 asks nothing."""
    return Decimal(hours) >= Decimal(required)


CREDIT_STEP = Decimal("0.1")


def training_credits(hours: Decimal, hours_per_credit: int) -> Decimal:
    """继续教育学分 (DOMAIN.md §10): training hours divided by the school's
    hours per credit, to one decimal; a part below 0.1 credit is not
    counted (a credit is never rounded up to more than was attended)."""
    if hours_per_credit <= 0:
        raise ValueError("hours_per_credit must be positive")
    return (Decimal(hours) / Decimal(hours_per_credit)).quantize(CREDIT_STEP, rounding=ROUND_DOWN)
