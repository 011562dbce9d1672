"""Factories for host applications and their reviews."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import TeacherFactory
from workrooms.models import ExpertReview, HostApplication, Objection, RuleSet


class HostApplicationFactory(factory.django.DjangoModelFactory):
    """An application as submitted (待系部审核); pass ``status`` to place it later."""

    class Meta:
        model = HostApplication
        skip_postgeneration_save = True

    applicant = factory.SubFactory(TeacherFactory)
    research_direction = factory.Sequence(lambda n: f"班级文化建设研究{n}")
    plan_summary = "以班级文化建设为主线，开展主题班会课研究。"
    commits_future_years = True
    eligibility = factory.LazyFunction(lambda: {"ok": True, "criteria": []})
    ruleset = factory.LazyFunction(lambda: RuleSet.objects.current())

    @factory.post_generation
    def experts(self, create, extracted, **kwargs):
        if create and extracted:
            self.experts.set(extracted)


def in_public_notice(application, *, ends_in=timedelta(days=5)):
    now = timezone.now()
    application.status = HostApplication.Status.PUBLIC_NOTICE
    application.notice_starts_at = now - timedelta(days=1)
    application.notice_ends_at = now + ends_in
    application.save()
    return application


class ExpertReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertReview

    application = factory.SubFactory(HostApplicationFactory)
    expert = None
    score = 85
    recommend = True
    comment = "建设方案切实可行。"


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objection

    application = factory.SubFactory(HostApplicationFactory)
    raised_by = None
    text = "申报材料中的获奖情况与实际不符。"
