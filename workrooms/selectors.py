"""Reads about workrooms and host applications: one query each, then plain
Python. Pages, the home page and the services share them."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from core.calendar import school_today
from core.models import StatusChange
from core.queries import SubqueryCount
from core.workflow import TransitionRefused, history
from members.eligibility import (
    Eligibility,
    HostRules,
    host_eligibility,
    preferred_criteria,
)
from members.models import ProfileItem
from members.roles import EXPERT, roles_of
from members.selectors import teacher_facts, user_display
from workrooms.access import application_objections_visible_to
from workrooms.models import (
    ExpertReview,
    HostApplication,
    Objection,
    OutreachRecord,
    RuleSet,
    Workroom,
)
from workrooms.selection.models import Membership
from workrooms.workflow import PENDING_APPLICATION_STATUSES

A = HostApplication.Status


def host_eligibility_for(teacher, *, ruleset: RuleSet, commits_future_years: bool | None = None) -> Eligibility:
    """The hard criteria of DOMAIN.md §4 checked from ``teacher``'s profile."""
    return host_eligibility(
        teacher_facts(teacher), HostRules.from_ruleset(ruleset), commits_future_years=commits_future_years
    )


def preferred_criteria_for(teacher):
    """The 优先 criteria of DOMAIN.md §4 from ``teacher``'s profile items,
    only those the office has verified."""
    return preferred_criteria(ProfileItem.objects.filter(teacher=teacher).verified(), today=school_today())


def pending_application_of(teacher) -> HostApplication | None:
    return HostApplication.objects.filter(applicant=teacher, status__in=PENDING_APPLICATION_STATUSES).first()


def notice_is_open(application) -> bool:
    """公示期: objections may be raised until the notice ends."""
    return application.status == A.PUBLIC_NOTICE and (
        application.notice_ends_at is None or timezone.now() < application.notice_ends_at
    )


@dataclass(frozen=True)
class HistoryRow:
    created_at: datetime
    label: str
    status: str
    actor_name: str
    comment: str


def history_rows(obj, machine) -> list[HistoryRow]:
    """The recorded transitions of ``obj`` in words, oldest first."""
    statuses = dict(type(obj).Status.choices)
    rows = []
    for change in history(obj).select_related("actor__teacher"):
        try:
            label = machine.get(change.action).label
        except TransitionRefused:  # the submission, which opens the history
            label = change.comment if change.action == "submit" else change.action
        rows.append(
            HistoryRow(
                created_at=change.created_at,
                label=label,
                status=statuses.get(change.to_status, change.to_status),
                actor_name=user_display(change.actor) if change.actor else "",
                comment="" if change.action == "submit" else change.comment,
            )
        )
    return rows


def expert_users():
    """Users who may be assigned as expert reviewers (group 专家)."""
    return get_user_model().objects.filter(groups__name=EXPERT).select_related("teacher").order_by("username")


def applications_for_list(user):
    """主持人申报 list: the applications ``user`` may see, newest first. The
    page and its export both filter this with ``ApplicationFilter``."""
    return (
        HostApplication.objects.visible_to(user)
        .select_related("applicant__department", "applicant__school")
        .order_by("-submitted_at", "-pk")
    )


def with_review_steps(qs):
    """Annotate applications with their review steps for the 主持人申报
    spreadsheet, as subqueries so that all rows still cost one query: when
    the department and the office last passed them, how many experts were
    assigned, reviewed and recommended, the mean score, the objections."""
    from django.db.models import Avg, DecimalField, Subquery

    def passed(action):
        steps = StatusChange.objects.filter(
            content_type__app_label="workrooms", content_type__model="hostapplication", object_id=OuterRef("pk"),
            action=action,
        )
        return Subquery(steps.order_by("-created_at", "-id").values("created_at")[:1])

    experts = HostApplication.experts.through.objects.filter(hostapplication_id=OuterRef("pk"))
    reviews = ExpertReview.objects.filter(application=OuterRef("pk"))
    mean = reviews.order_by().values("application").annotate(mean=Avg("score")).values("mean")
    return qs.select_related("workroom").annotate(
        dept_passed_at=passed("dept_pass"),
        office_passed_at=passed("office_pass"),
        n_experts=SubqueryCount(experts.values("id")),
        n_reviews=SubqueryCount(reviews.values("id")),
        n_recommend=SubqueryCount(reviews.filter(recommend=True).values("id")),
        mean_score=Subquery(mean, output_field=DecimalField()),
        n_objections=SubqueryCount(Objection.objects.filter(application=OuterRef("pk")).values("id")),
    )


def workrooms_for_list(user):
    """The workroom list page's rows, by name; its export downloads the same
    (an explicit order: a model's default one is dropped once rows are counted)."""
    return Workroom.objects.visible_to(user).select_related("host", "school").order_by("name", "pk")


def outreach_records_of(workroom):
    """辐射引领 records of a workroom, newest first; its list page and the
    export both filter this with ``OutreachFilter``."""
    return OutreachRecord.objects.filter(workroom=workroom).select_related("recorded_by__teacher").order_by("-date", "-id")


def reviews_visible_to(user, application) -> list[ExpertReview]:
    """Expert reviews: the office, administrators and leaders see all of them;
    an expert sees their own; nobody else sees any."""
    qs = application.expert_reviews.select_related("expert__teacher").order_by("created_at")
    if roles_of(user).sees_everything:
        return list(qs)
    return list(qs.filter(expert=user))


def objections_of(application, user) -> list[Objection]:
    """The objections to ``application`` that ``user`` may read."""
    qs = application.objections.select_related("raised_by__teacher", "answered_by")
    return list(application_objections_visible_to(user, qs))


def workroom_roster(workroom) -> list[Membership]:
    """The current host and members; once the workroom has completed or been
    revoked, the terms that ended with it (DOMAIN.md §11). Two queries at most."""
    qs = (
        Membership.objects.filter(workroom=workroom)
        .select_related("teacher__department", "teacher__school")
        .order_by("role", "teacher__name")
    )
    if workroom.status not in (Workroom.Status.COMPLETED, Workroom.Status.REVOKED):
        return list(qs.filter(status__in=Membership.CURRENT_STATUSES))
    ended = qs.filter(status__in=[Membership.Status.COMPLETED, Membership.Status.ENDED])
    last_day = ended.order_by("-left_on").values_list("left_on", flat=True).first()
    return list(ended.filter(left_on=last_day)) if last_day else []


# --- home page ------------------------------------------------------------------
# Each returns (rows, total) with at most ``limit`` rows: two queries whatever
# the number of rows.


def _page(qs, limit):
    qs = qs.select_related("applicant__department")
    return list(qs[:limit]), qs.count()


def awaiting_department_review(user, *, limit=10):
    r = roles_of(user)
    qs = HostApplication.objects.filter(
        status=A.DEPT_REVIEW, applicant__department_id__in=r.reviewed_department_ids
    ).exclude(applicant__user=user)
    return _page(qs.order_by("submitted_at"), limit)


def awaiting_office_review(*, limit=10):
    return _page(HostApplication.objects.filter(status=A.OFFICE_REVIEW).order_by("submitted_at"), limit)


def awaiting_conclusion(*, limit=10):
    """专家评审中 with every assigned expert's review in."""
    qs = (
        HostApplication.objects.filter(status=A.EXPERT_REVIEW)
        .annotate(
            n_experts=Count("experts", distinct=True),
            n_reviews=Count("expert_reviews", distinct=True),
        )
        .filter(n_experts__gt=0, n_reviews__gte=F("n_experts"))
        .order_by("submitted_at")
    )
    return _page(qs, limit)


def unanswered_objections(*, limit=10):
    qs = (
        Objection.objects.filter(answered_at__isnull=True, application__status=A.PUBLIC_NOTICE)
        .select_related("application__applicant")
        .order_by("created_at")
    )
    return list(qs[:limit]), qs.count()


def ready_for_approval(*, limit=10):
    """公示中, the notice period over and every objection answered."""
    open_objection = Objection.objects.filter(application=OuterRef("pk"), answered_at__isnull=True)
    qs = HostApplication.objects.filter(status=A.PUBLIC_NOTICE, notice_ends_at__lte=timezone.now()).filter(
        ~Exists(open_objection)
    )
    return _page(qs.order_by("notice_ends_at"), limit)


def awaiting_expert_review(user, *, limit=10):
    mine = ExpertReview.objects.filter(application=OuterRef("pk"), expert=user)
    qs = HostApplication.objects.filter(status=A.EXPERT_REVIEW, experts=user).filter(~Exists(mine))
    return _page(qs.order_by("submitted_at"), limit)


def own_applications(teacher, *, limit=5):
    return _page(HostApplication.objects.filter(applicant=teacher).order_by("-submitted_at"), limit)


def open_public_notices(*, limit=10):
    qs = HostApplication.objects.filter(status=A.PUBLIC_NOTICE).filter(
        Q(notice_ends_at__isnull=True) | Q(notice_ends_at__gt=timezone.now())
    )
    return _page(qs.order_by("notice_ends_at"), limit)


def workroom_status_counts() -> list[tuple[str, str, int]]:
    """(status, label, number of workrooms) for every status of §3, in the
    order of the lifecycle, those with none included. One query."""
    counts = dict(Workroom.objects.order_by().values_list("status").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in Workroom.Status.choices]
