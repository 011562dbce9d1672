"""Factories for plans, showcase, outreach, member plans, mentoring and
notifications."""

from datetime import date
from decimal import Decimal

import factory

from core.models import Notification
from tests.factories import (
    MembershipFactory,
    TeacherFactory,
    UserFactory,
    WorkroomFactory,
)
from workrooms.mentoring.models import GuidanceRecord, MentorPair
from workrooms.models import OutreachRecord, ShowcaseSettings, VisitorMessage
from workrooms.plans.models import (
    DevelopmentPlan,
    PlanVersion,
    SemesterRecord,
    WorkroomPlan,
)


class WorkroomPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkroomPlan
        skip_postgeneration_save = True

    workroom = factory.SubFactory(WorkroomFactory)
    kind = WorkroomPlan.Kind.ANNUAL
    year = factory.Sequence(lambda n: 2000 + n % 100)
    version_count = 1

    @factory.post_generation
    def version(self, create, extracted, **kwargs):
        if create:
            PlanVersion.objects.create(plan=self, number=1, body=extracted or "<p>年度工作目标与举措</p>")


class ShowcaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShowcaseSettings
        django_get_or_create = ["workroom"]

    workroom = factory.SubFactory(WorkroomFactory)
    is_published = True
    intro = "<p>聚焦班级文化建设的研修共同体。</p>"


class VisitorMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitorMessage

    workroom = factory.SubFactory(WorkroomFactory)
    name = factory.Sequence(lambda n: f"访客{n}")
    school = "兄弟学校"
    body = "学习了，很受启发！"
    ip_address = "203.0.113.9"


class OutreachRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutreachRecord

    workroom = factory.SubFactory(WorkroomFactory)
    kind = OutreachRecord.Kind.LECTURE
    date = date(2026, 3, 10)
    audience = "城东中学全体班主任"
    topic = factory.Sequence(lambda n: f"班级管理专题讲座{n}")
    hours = Decimal("2")


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    membership = factory.SubFactory(MembershipFactory)
    start_year = 2026
    overview = "<p>自我分析</p>"
    goals_year1 = "<p>站稳讲台</p>"
    goals_year2 = "<p>形成特色</p>"
    goals_year3 = "<p>辐射引领</p>"


class SemesterRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SemesterRecord

    membership = factory.SubFactory(MembershipFactory)
    kind = SemesterRecord.Kind.PLAN
    school_year = factory.Sequence(lambda n: 2000 + n % 100)
    term = 1
    body = "<p>本学期计划</p>"


class MentorPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorPair

    workroom = factory.SubFactory(WorkroomFactory)
    mentor = factory.SubFactory(TeacherFactory)
    trainee = factory.SubFactory(TeacherFactory)


class GuidanceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceRecord

    pair = factory.SubFactory(MentorPairFactory)
    date = date(2026, 3, 1)
    content = "<p>听课并交流班会设计</p>"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "review_todo"
    title = factory.Sequence(lambda n: f"通知{n}")
    url = "/"


def activity_photo(activity, *, is_public=False, description="活动合影", content_type="image/png"):
    """An image (or, with another ``content_type``, a document) attached to ``activity``."""
    from tests.workrooms.activities.factories import PDF_BYTES, PNG_BYTES, StoredFileFactory
    from workrooms.models import ActivityFile

    data = PNG_BYTES if content_type.startswith("image/") else PDF_BYTES
    stored = StoredFileFactory(file__data=data, content_type=content_type, size=len(data),
                               original_name="合影.png" if content_type.startswith("image/") else "纪要.pdf")
    return ActivityFile.objects.create(activity=activity, file=stored, description=description, is_public=is_public)
