"""Reads about people: each selector does its query (or a fixed few), then
plain Python."""

from datetime import date

from django.core.exceptions import ObjectDoesNotExist

from core.calendar import school_today
from members.eligibility import (
    Eligibility,
    MemberRules,
    TeacherFacts,
    facts_of,
    member_eligibility,
)
from members.models import EthicsRecord, Teacher


def teacher_facts(teacher, *, on: date | None = None) -> TeacherFacts:
    """The facts the eligibility rules read, as of ``on`` (today by default)."""
    violation = EthicsRecord.objects.filter(teacher=teacher, confirmed=True).exists()
    return facts_of(teacher, on=on or school_today(), has_ethics_violation=violation)


def member_eligibility_of(teacher, ruleset) -> Eligibility:
    """Member eligibility (DOMAIN.md §5) of ``teacher`` under ``ruleset``."""
    return member_eligibility(teacher_facts(teacher), MemberRules.from_ruleset(ruleset))


def teachers_for_list(user):
    """教师名录: the teachers ``user`` may see, by staff number. The directory
    page and its export both filter this with ``members.filters.TeacherFilter``."""
    return Teacher.objects.visible_to(user).select_related("school", "department").order_by("staff_no", "pk")


def teacher_profile(teacher, *, with_ethics: bool) -> dict:
    """A teacher's profile page: record items, memberships and (for those who
    may see them) ethics records."""
    return {
        "items": list(teacher.profile_items.all()),
        "memberships": list(teacher.memberships.select_related("workroom").order_by("-joined_on")),
        "ethics": list(teacher.ethics_records.select_related("confirmed_by")) if with_ethics else None,
    }


def user_display(user) -> str:
    """A user's name as people know it: the teacher's name when there is one."""
    try:
        return user.teacher.name
    except ObjectDoesNotExist:  # staff and external experts have no teacher profile
        return user.get_full_name() or user.get_username()
