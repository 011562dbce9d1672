"""Factories for the people and workrooms every test needs."""

from datetime import date, timedelta

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from members.choices import Title
from members.models import Department, School, Teacher
from workrooms.models import RuleSet, Workroom
from workrooms.selection.models import Membership

PASSWORD = "test-pass-123"


def years_ago(years: int, *, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - timedelta(days=days)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["name"]

    name = "示范中学"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"第{n}年级部")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class TeacherFactory(factory.django.DjangoModelFactory):
    """A teacher who meets the default host and member criteria."""

    class Meta:
        model = Teacher

    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..staff_no"))
    staff_no = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"教师{n}")
    school = factory.SubFactory(SchoolFactory)
    department = factory.SubFactory(DepartmentFactory, school=factory.SelfAttribute("..school"))
    title = Title.INTERMEDIATE
    birth_date = factory.LazyFunction(lambda: years_ago(35))
    is_head_teacher = True
    head_teacher_since = factory.LazyFunction(lambda: years_ago(8))
    class_name = "高一（1）班"


class WorkroomFactory(factory.django.DjangoModelFactory):
    """A running workroom with its host's membership."""

    class Meta:
        model = Workroom
        skip_postgeneration_save = True

    host = factory.SubFactory(TeacherFactory)
    name = factory.LazyAttribute(lambda o: Workroom.name_for(o.host.name))
    school = factory.SelfAttribute("host.school")
    status = Workroom.Status.RUNNING
    research_direction = "班级文化建设"
    cycle_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    cycle_end = factory.LazyAttribute(lambda o: o.cycle_start.replace(year=o.cycle_start.year + 3))
    ruleset = factory.LazyFunction(lambda: RuleSet.objects.current())

    @factory.post_generation
    def host_membership(self, create, extracted, **kwargs):
        if create:
            Membership.objects.create(
                workroom=self, teacher=self.host, role=Membership.Role.HOST, status=Membership.Status.ACTIVE
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workroom = factory.SubFactory(WorkroomFactory)
    teacher = factory.SubFactory(TeacherFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


def attended(workroom, teachers, *, hours="30", on: date | None = None, theme="集中学习"):
    """An activity of ``workroom`` on ``on`` (by default its cycle's first
    day) crediting ``hours`` training hours to ``teachers``, all present."""
    from datetime import datetime, time
    from decimal import Decimal

    from workrooms.models import Activity, ActivityType, Attendance

    day = on or workroom.cycle_start
    activity = Activity.objects.create(
        workroom=workroom,
        type=ActivityType.GROUP_STUDY,
        place="会议室",
        theme=theme,
        starts_at=datetime.combine(day, time(14, 0), tzinfo=timezone.get_current_timezone()),
        training_hours=Decimal(hours),
    )
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, teacher=t, status=Attendance.Status.PRESENT) for t in teachers]
    )
    return activity
