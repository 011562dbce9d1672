"""Read operations of the archives app: one query, then plain Python."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from archives.access import credit_memberships_visible_to
from archives.models import Certificate
from archives.rules import HONOURS, Candidate, qualifies, training_credits
from assessment.honours.services import veto_reasons, with_veto
from core.calendar import Period
from workrooms.activities.selectors import attended_training
from workrooms.models import RuleSet, Workroom
from workrooms.selection.models import Membership


def _memberships(workroom: Workroom):
    qs = Membership.objects.filter(workroom=workroom).select_related("teacher__department")
    return with_veto(qs, "teacher_id").order_by("role", "teacher__staff_no", "-pk")


def _candidate(
    workroom: Workroom, kind: str, m: Membership, *, vetoed: bool, hours: Decimal = Decimal(0), required: Decimal = Decimal(0)
) -> Candidate:
    return Candidate(
        kind=kind, workroom_status=workroom.status, role=m.role, membership_status=m.status, honours_vetoed=vetoed,
        training_hours=hours, required_training_hours=required,
    )


def cycle_period(workroom: Workroom) -> Period:
    """The workroom's construction cycle (建设周期, DOMAIN.md §3) as a period."""
    return Period(workroom.cycle_start, workroom.cycle_end, "建设周期", f"cycle-{workroom.pk}")


def cycle_training_hours(workroom: Workroom, teacher_ids=None) -> dict[int, Decimal]:
    """Per teacher, the training hours attended in ``workroom``'s cycle. One query."""
    rows = attended_training([workroom.pk], period=cycle_period(workroom), teacher_ids=teacher_ids)
    return {teacher_id: row["hours"] for (_, teacher_id), row in rows.items()}


def _training_figures(workroom: Workroom, kind: str) -> tuple[dict[int, Decimal], Decimal]:
    """The hours and the requirement a training certificate reads (two
    queries); nothing for the other kinds."""
    if kind != Certificate.Kind.TRAINING:
        return {}, Decimal(0)
    return cycle_training_hours(workroom), Decimal(RuleSet.objects.current().certificate_training_hours)


def certificates_for_list(user):
    """证书台账: the certificates ``user`` may see, newest issue first. The
    page and its export both filter this with ``CertificateFilter``."""
    return Certificate.objects.visible_to(user).order_by("-issued_at", "-id")


def certificate_candidates(*, workroom: Workroom, kind: str) -> list[Membership]:
    """The memberships of ``workroom`` whose teacher qualifies for ``kind``
    (DOMAIN.md §10, see ``rules.qualifies``), one per teacher. Whoever is
    vetoed from honours is left out of title and honour certificates."""
    hours, required = _training_figures(workroom, kind)
    seen: set[int] = set()
    result = []
    for m in _memberships(workroom):
        c = _candidate(workroom, kind, m, vetoed=m.honours_vetoed, hours=hours.get(m.teacher_id, Decimal(0)), required=required)
        if m.teacher_id not in seen and qualifies(c):
            seen.add(m.teacher_id)
            m.training_hours = c.training_hours
            result.append(m)
    return result


def short_of_training_hours(*, workroom: Workroom, kind: str) -> tuple[list[tuple[Membership, Decimal]], Decimal]:
    """Members who would get a 培训合格证书 but for their training hours in
    the cycle, each with their hours, and the hours required, so the issue
    page can say why they are missing (three queries)."""
    if kind != Certificate.Kind.TRAINING:
        return [], Decimal(0)
    hours, required = _training_figures(workroom, kind)
    seen: set[int] = set()
    short = []
    for m in _memberships(workroom):
        had = hours.get(m.teacher_id, Decimal(0))
        if m.teacher_id in seen:
            continue
        if qualifies(_candidate(workroom, kind, m, vetoed=False)) and not qualifies(
            _candidate(workroom, kind, m, vetoed=False, hours=had, required=required)
        ):
            seen.add(m.teacher_id)
            short.append((m, had))
    return short, required


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


# --- 继续教育学分台账 (DOMAIN.md §6, §10) ----------------------------------------------


def credit_memberships(user):
    """The people of the credits ledger: every host's and member's place in
    a workroom (those still waiting to sign their agreement are not yet
    trained), as ``user`` may see them, people by name. The page and its
    export filter this with ``CreditFilter``, whose school year keeps the
    places that overlapped it (``in_school_year``)."""
    qs = (
        Membership.objects.exclude(status=Membership.Status.PENDING_AGREEMENT)
        .select_related("teacher__school", "workroom")
        .order_by("teacher__name", "teacher__staff_no", "workroom__name", "pk")
    )
    return credit_memberships_visible_to(user, qs)


def in_school_year(qs, year: Period):
    """Memberships that overlapped ``year``: joined by its end, not left before its start."""
    return qs.filter(joined_on__lte=year.end).filter(Q(left_on__isnull=True) | Q(left_on__gte=year.start))


@dataclass
class CreditRow:
    """One person in one workroom in one school year: the training hours of
    the workroom's activities attended, the credits they make, and the valid
    培训合格证书 the person holds from that workroom."""

    membership: Membership
    year: Period
    hours: Decimal
    credits: Decimal
    certificates: list[str] = field(default_factory=list)

    @property
    def teacher(self):
        return self.membership.teacher

    @property
    def workroom(self):
        return self.membership.workroom


def credit_rows(memberships, *, year: Period, hours_per_credit: int | None = None) -> list[CreditRow]:
    """Figures for a page (or a batch) of ``credit_memberships``: two
    queries, three without ``hours_per_credit``, however many rows."""
    memberships = list(memberships)
    if not memberships:
        return []
    if hours_per_credit is None:
        hours_per_credit = RuleSet.objects.current().training_hours_per_credit
    workroom_ids = {m.workroom_id for m in memberships}
    teacher_ids = {m.teacher_id for m in memberships}
    training = attended_training(workroom_ids, period=year, teacher_ids=teacher_ids)
    serials: dict[tuple[int, int], list[str]] = defaultdict(list)
    certs = (
        Certificate.objects.valid()
        .filter(kind=Certificate.Kind.TRAINING, workroom_id__in=workroom_ids, recipient_id__in=teacher_ids)
        .order_by("issued_on", "serial")
        .values_list("workroom_id", "recipient_id", "serial")
    )
    for workroom_id, teacher_id, serial in certs:
        serials[workroom_id, teacher_id].append(serial)
    rows = []
    for m in memberships:
        key = (m.workroom_id, m.teacher_id)
        hours = training.get(key, {}).get("hours") or Decimal(0)
        rows.append(
            CreditRow(
                membership=m, year=year, hours=hours, credits=training_credits(hours, hours_per_credit),
                certificates=serials.get(key, []),
            )
        )
    return rows
