"""Factories for the assessment records."""

from datetime import date, timedelta
from decimal import Decimal

import factory

from assessment.models import (
    BonusAward,
    ClassTitle,
    MemberAssessment,
    MonthlyScore,
    OutstandingMember,
    Period,
    VetoCase,
)
from assessment.notices.kinds import EVALUATION
from assessment.notices.services import notice_finalize, notice_publish
from core.calendar import school_today
from core.models import Publication
from tests.factories import MembershipFactory, SchoolFactory, TeacherFactory
from workrooms.models import RuleSet


class MonthPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ["school", "kind", "school_year", "semester", "month"]

    school = factory.SubFactory(SchoolFactory)
    kind = Period.Kind.MONTH
    school_year = 2025
    month = 10
    semester = factory.LazyAttribute(lambda o: 1 if o.month >= 8 or o.month == 1 else 2)


class MonthlyScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyScore

    teacher = factory.SubFactory(TeacherFactory)
    period = factory.SubFactory(MonthPeriodFactory, school=factory.SelfAttribute("..teacher.school"))
    department = factory.SelfAttribute("teacher.department")
    dept_score = Decimal("80")
    office_score = Decimal("90")


class VetoCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VetoCase

    teacher = factory.SubFactory(TeacherFactory)
    period = factory.SubFactory(MonthPeriodFactory, school=factory.SelfAttribute("..teacher.school"))
    kind = VetoCase.Kind.SAFETY
    description = "课间发生重大安全事故"


class BonusAwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BonusAward

    teacher = factory.SubFactory(TeacherFactory)
    school_year = 2025
    semester = 1
    category = "class_prize"
    event = "市文明班级评比"
    level = "municipal"


class MemberAssessmentFactory(factory.django.DjangoModelFactory):
    """A member graded 优秀 (19 of 20 in every dimension) for 2025-1."""

    class Meta:
        model = MemberAssessment

    membership = factory.SubFactory(MembershipFactory)
    school_year = 2025
    semester = 1
    ethics = attitude = theory = management = research = Decimal("19")
    total = Decimal("95")
    grade = "优秀"
    ruleset = factory.LazyFunction(lambda: RuleSet.objects.current())


class OutstandingMemberFactory(factory.django.DjangoModelFactory):
    """优秀工作室成员 of the semester of its member assessment."""

    class Meta:
        model = OutstandingMember

    assessment = factory.SubFactory(MemberAssessmentFactory)
    workroom = factory.SelfAttribute("assessment.membership.workroom")
    teacher = factory.SelfAttribute("assessment.membership.teacher")
    school_year = factory.SelfAttribute("assessment.school_year")
    semester = factory.SelfAttribute("assessment.semester")


class ClassTitleFactory(factory.django.DjangoModelFactory):
    """优秀班级 of the week of Monday 20 October 2025, the head teacher's class."""

    class Meta:
        model = ClassTitle

    teacher = factory.SubFactory(TeacherFactory)
    department = factory.SelfAttribute("teacher.department")
    class_name = factory.SelfAttribute("teacher.class_name")
    kind = ClassTitle.Kind.EXCELLENT
    starts_on = date(2025, 10, 20)
    ruleset = factory.LazyFunction(lambda: RuleSet.objects.current())


def evaluation_made_final(evaluation, office):
    """公示 a concluded evaluation's result, let the window pass with no
    objection and make it final: then what it decides takes effect (§12)."""
    publication = notice_publish(kind=EVALUATION, subject=evaluation, params=(), actor=office)
    ended = school_today() - timedelta(days=1)
    Publication.objects.filter(pk=publication.pk).update(starts_on=ended - timedelta(days=4), ends_on=ended)
    publication.refresh_from_db()
    return notice_finalize(publication=publication, actor=office)
