"""Factories for the assessment records."""

from decimal import Decimal

import factory

from assessment.models import BonusAward, MonthlyScore, Period, VetoCase
from tests.factories import SchoolFactory, TeacherFactory


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
