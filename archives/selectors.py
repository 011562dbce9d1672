"""Read operations of the archives app: one query, then plain Python."""

from members.models import Membership
from workrooms.models import Workroom

from .rules import Candidate, qualifies


def certificate_candidates(*, workroom: Workroom, kind: str) -> list[Membership]:
    """The memberships of ``workroom`` whose teacher qualifies for ``kind``
    (DOMAIN.md §10, see ``rules.qualifies``), one per teacher."""
    memberships = (
        Membership.objects.filter(workroom=workroom)
        .select_related("teacher__department")
        .order_by("role", "teacher__staff_no", "-pk")
    )
    seen: set[int] = set()
    result = []
    for m in memberships:
        candidate = Candidate(kind=kind, workroom_status=workroom.status, role=m.role, membership_status=m.status)
        if m.teacher_id not in seen and qualifies(candidate):
            seen.add(m.teacher_id)
            result.append(m)
    return result
