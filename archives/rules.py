"""Who qualifies for which certificate (DOMAIN.md §10, §5). Pure Python."""

from dataclasses import dataclass

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


def qualifies(c: Candidate) -> bool:
    """DOMAIN.md §10 certificates.

    - 名班主任称号证书 (``title``): the host of a completed (已结题) workroom.
    - 培训合格证书 (``training``): a member of a completed workroom whose
      membership is active or completed (not withdrawn, not removed).
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
        return c.workroom_status == COMPLETED_WORKROOM and c.role == MEMBER and c.membership_status in TRAINING_STATUSES
    if c.kind == "honour":
        return c.membership_status in TRAINING_STATUSES
    return False
