"""Reads about people."""

from datetime import date

from django.utils import timezone

from .eligibility import TeacherFacts, facts_of
from .models import EthicsRecord


def teacher_facts(teacher, *, on: date | None = None) -> TeacherFacts:
    """The facts the eligibility rules read, as of ``on`` (today by default)."""
    violation = EthicsRecord.objects.filter(teacher=teacher, confirmed=True).exists()
    return facts_of(teacher, on=on or timezone.localdate(), has_ethics_violation=violation)
