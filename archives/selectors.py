"""Read operations of the archives app: one query, then plain Python."""

from archives.models import Certificate
from archives.rules import HONOURS, Candidate, qualifies
from assessment.honours.services import veto_reasons, with_veto
from workrooms.models import Workroom
from workrooms.selection.models import Membership


def _memberships(workroom: Workroom):
    qs = Membership.objects.filter(workroom=workroom).select_related("teacher__department")
    return with_veto(qs, "teacher_id").order_by("role", "teacher__staff_no", "-pk")


def _candidate(workroom: Workroom, kind: str, m: Membership, *, vetoed: bool) -> Candidate:
    return Candidate(kind=kind, workroom_status=workroom.status, role=m.role, membership_status=m.status, honours_vetoed=vetoed)


def certificates_for_list(user):
    """证书台账: the certificates ``user`` may see, newest issue first. The
    page and its export both filter this with ``CertificateFilter``."""
    return Certificate.objects.visible_to(user).order_by("-issued_at", "-id")


def certificate_candidates(*, workroom: Workroom, kind: str) -> list[Membership]:
    """The memberships of ``workroom`` whose teacher qualifies for ``kind``
    (DOMAIN.md §10, see ``rules.qualifies``), one per teacher. Whoever is
    vetoed from honours is left out of title and honour certificates."""
    seen: set[int] = set()
    result = []
    for m in _memberships(workroom):
        if m.teacher_id not in seen and qualifies(_candidate(workroom, kind, m, vetoed=m.honours_vetoed)):
            seen.add(m.teacher_id)
            result.append(m)
    return result


def vetoed_certificate_candidates(*, workroom: Workroom, kind: str) -> list[tuple[Membership, list]]:
    """Those who would qualify for ``kind`` but are vetoed from honours,
    each with the reasons, so the issue page can say why they are missing
    (two or three queries)."""
    if kind not in HONOURS:
        return []
    seen: set[int] = set()
    left_out = []
    for m in _memberships(workroom):
        if m.honours_vetoed and m.teacher_id not in seen and qualifies(_candidate(workroom, kind, m, vetoed=False)):
            seen.add(m.teacher_id)
            left_out.append(m)
    reasons = veto_reasons([m.teacher_id for m in left_out]) if left_out else {}
    return [(m, reasons.get(m.teacher_id, [])) for m in left_out]
