"""Read operations of the archives app: one query, then plain Python."""

from members.models import Membership
from workrooms.models import Workroom

from .models import Certificate
from .rules import Candidate, qualifies


def certificates_for_list(user):
    """证书台账: the certificates ``user`` may see, newest issue first. The
    page and its export both filter this with ``CertificateFilter``."""
    return Certificate.objects.visible_to(user).order_by("-issued_at", "-id")


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
