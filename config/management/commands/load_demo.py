"""python manage.py load_demo [--reset]

Loads the demo school 示范中学 (with two neighbouring schools): departments,
about 60 teachers with their profiles, accounts for every role (password
``demo12345``), workrooms in several states and host applications at every
review step, with their history; in the running workroom a semester of work
(activities with sign-in sheets, expenses, reading logs, writings, a research
project at 开题, achievements and the archive they fill) and a few months of
高一年级部's head-teacher assessment. Running it again creates nothing twice;
``--reset`` removes the demo data first and loads it afresh. Refused under
production settings (``DEMO_DATA_ALLOWED``): its accounts share a known password."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from archives.models import Certificate
from assessment.honours.services import class_title_name, outstanding_member_name
from assessment.models import (
    ClassTitle,
    Distinction,
    Evaluation,
    MemberAssessment,
    MonthlyScore,
    OutstandingMember,
    Period,
    SubstituteCover,
    VetoCase,
)
from assessment.notices.kinds import EVALUATION
from assessment.notices.services import notice_finalize, notice_publish
from assessment.rules.evaluation import rubric_items
from assessment.services import (
    DIMENSION_CODES,
    evaluation_conclude,
    evaluation_open,
    evaluation_scores_save,
    member_assessment_save,
    monthly_scores_save,
    period_compute,
    period_create,
)
from assessment.workflow import ASSESSMENT_PERIOD
from core.calendar import counted_months_before, school_today, school_year_start, semester_of, term_of
from core.models import StatusChange, StoredFile
from core.publicity import publication_current
from members import roles
from members.choices import DepartmentKind, Gender, Level, Title
from members.eligibility import HostRules, facts_of, host_eligibility
from members.models import Department, EthicsRecord, ProfileItem, School, Teacher
from workrooms.activities.services import attendance_record
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import archive_file, archive_upload
from workrooms.funding.services import expense_decide, expense_record
from workrooms.models import (
    Activity,
    ActivityFile,
    ActivityType,
    Attendance,
    Expense,
    ExpenseCategory,
    ExpertReview,
    HostApplication,
    Objection,
    RuleSet,
    Workroom,
)
from workrooms.records.models import (
    Achievement,
    ReadingLog,
    ResearchProject,
    StageDocument,
    Writing,
)
from workrooms.records.rules import DocumentKind
from workrooms.records.services import (
    achievement_create,
    achievement_verify,
    project_close_stage,
    project_create,
    reading_create,
    record_review,
    stage_document_add,
    writing_create,
)
from workrooms.selection.models import JoinRequest, Membership

PASSWORD = "demo12345"
MAIN_SCHOOL = "示范中学"
SCHOOLS = {
    MAIN_SCHOOL: [
        ("高一年级部", DepartmentKind.GRADE, 10), ("高二年级部", DepartmentKind.GRADE, 11),
        ("高三年级部", DepartmentKind.GRADE, 12), ("语文系部", DepartmentKind.DEPARTMENT, None),
        ("数学系部", DepartmentKind.DEPARTMENT, None), ("外语系部", DepartmentKind.DEPARTMENT, None),
        ("德育处", DepartmentKind.OFFICE, None),
    ],
    "实验中学": [("初一年级部", DepartmentKind.GRADE, 7), ("初二年级部", DepartmentKind.GRADE, 8), ("综合系部", DepartmentKind.DEPARTMENT, None)],
    "城南中学": [("高一年级部", DepartmentKind.GRADE, 10), ("高二年级部", DepartmentKind.GRADE, 11), ("理科系部", DepartmentKind.DEPARTMENT, None)],
}
STAFF_PREFIX = {MAIN_SCHOOL: "SF", "实验中学": "SY", "城南中学": "CN"}
TEACHERS_PER_SCHOOL = {MAIN_SCHOOL: 44, "实验中学": 8, "城南中学": 8}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢傅钟"
GIVEN = [
    "芳", "伟", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
    "平", "刚", "桂英", "建华", "文博", "思远", "晓燕", "雪梅", "志强", "海燕", "红梅", "春华", "丹", "婷", "颖",
    "立新", "国庆", "晨曦", "子涵", "雨萱", "俊杰", "嘉怡", "慧", "琳", "浩然", "欣怡", "宏伟", "淑珍", "振华", "玉兰",
]
# The accounts of the demo, with the teacher they belong to (None: no teacher profile).
ACCOUNTS = [
    ("admin", "管理员（校领导/信息中心，超级用户）"),
    ("office", "德育处"),
    ("leader", "校领导（只读）"),
    ("expert1", "专家"),
    ("expert2", "专家"),
    ("reviewer", "系部审核人（高一年级部）· 教师 周建华"),
    ("host", "主持人（王喆名班主任工作室）· 教师 王喆"),
    ("member", "成员（王喆名班主任工作室）· 教师 张昇"),
    ("teacher", "普通教师 · 李堃"),
]
# Accounts without a teacher profile are shown by these names, never by login name.
STAFF_NAMES = {"admin": "系统管理员", "office": "孙丽", "leader": "马国强", "expert1": "刘明远", "expert2": "陈思源"}

HONOURS = ["优秀班主任", "师德标兵", "优秀德育工作者", "教书育人楷模", "优秀教师"]
CLASS_AWARDS = ["先进班集体", "优秀团支部", "文明班级"]
RESEARCH = ["班级文化建设的实践研究", "高中生心理健康教育策略研究", "家校共育机制研究", "学生自主管理模式研究", "生涯规划教育研究"]
PUBLICATIONS = ["浅谈班主任的沟通艺术", "主题班会课的设计与实施", "以活动育人的班级管理", "德育叙事三则", "问题学生转化案例分析"]
COMPETITIONS = ["班主任基本功大赛", "主题班会课评比", "德育论文评选", "育人故事演讲比赛"]
DIRECTIONS = ["班级文化建设", "学生心理健康教育", "家校协同育人", "学生自主管理", "生涯规划指导"]


def _years_ago(today: date, years: int, days: int = 0) -> date:
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day - timedelta(days=days)


class Command(BaseCommand):
    help = "加载演示学校（示范中学）、教师、各角色账号、工作室与申报（可重复执行，不会重复创建）。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="先删除演示数据，再重新加载")
        parser.add_argument(
            "--allow-production", action="store_true",
            help="在生产设置下也加载（只用于生产检查 scripts/prod_check.sh 的一次性数据库）",
        )

    def handle(self, *args, reset=False, allow_production=False, **options):
        if not (settings.DEMO_DATA_ALLOWED or allow_production):
            raise CommandError("生产设置下不能加载演示数据：它会创建密码为 demo12345 的 admin 等演示账号。")
        with transaction.atomic():
            if reset:
                self.remove()
            if Teacher.objects.filter(staff_no=f"{STAFF_PREFIX[MAIN_SCHOOL]}0001").exists():
                self.stdout.write("演示数据已存在，未重复创建（如需重新加载，请加 --reset）。")
            else:
                Demo(school_today()).load()
                self.stdout.write(self.style.SUCCESS("演示数据已加载：示范中学等 3 所学校、60 名教师、5 个工作室（含一个已结题）、10 份主持人申报（6 份在审或已退回，其中一份公示已期满），运行中的工作室有一学期的活动、签到、经费、读书、写作、课题、成果与档案，高一年级部有上一学年已定稿的 2 个月和最近 3 个月的月考核、上周的优秀班级和上月的窗口班级，张昇为本学期优秀工作室成员。"))
        self.stdout.write(f"\n演示账号（密码均为 {PASSWORD}）：")
        for username, role in ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(f"  其余教师以工号登录（如 {STAFF_PREFIX[MAIN_SCHOOL]}0010），密码相同。")

    def remove(self):
        schools = School.objects.filter(name__in=SCHOOLS)
        teachers = Teacher.objects.filter(school__in=schools)
        workrooms = Workroom.objects.filter(school__in=schools)
        applications = HostApplication.objects.filter(applicant__in=teachers)
        periods = Period.objects.filter(school__in=schools)
        in_workrooms = {
            model: model.objects.filter(workroom__in=workrooms)
            for model in (Expense, ReadingLog, Writing, Achievement, ResearchProject, Membership)
        }
        for model, qs in ((Workroom, workrooms), (HostApplication, applications), (Period, periods), *in_workrooms.items()):
            StatusChange.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=qs.values("pk")
            ).delete()
        # The files of the workrooms' records, removed once nothing refers to them.
        file_ids = set()
        for qs, field in ((in_workrooms[Expense], "receipt"), (in_workrooms[Writing], "file"),
                          (in_workrooms[Achievement], "evidence"), (ArchiveEntry.objects.filter(workroom__in=workrooms), "file"),
                          (StageDocument.objects.filter(stage__project__workroom__in=workrooms), "file"),
                          (ActivityFile.objects.filter(activity__workroom__in=workrooms), "file")):
            file_ids |= set(qs.exclude(**{f"{field}__isnull": True}).values_list(f"{field}_id", flat=True))
        # Certificates (the 聘书 and 挂牌证书 issued when a demo user approves the open application or
        # files a pending agreement, or any the office issued) keep their workroom and people from deletion.
        certificates = Certificate.objects.filter(Q(workroom__in=workrooms) | Q(recipient__in=teachers))
        file_ids |= set(certificates.exclude(file__isnull=True).values_list("file_id", flat=True))
        certificates.update(reissue_of=None)
        certificates.delete()
        OutstandingMember.objects.filter(workroom__in=workrooms).delete()
        Distinction.objects.filter(evaluation__workroom__in=workrooms).delete()
        Evaluation.objects.filter(workroom__in=workrooms).delete()  # with the experts' scores
        ClassTitle.objects.filter(department__school__in=schools).delete()
        MemberAssessment.objects.filter(membership__workroom__in=workrooms).delete()
        for model in (MonthlyScore, VetoCase, SubstituteCover):
            model.objects.filter(period__in=periods).delete()
        periods.delete()  # with their results and objections
        Objection.objects.filter(application__in=applications).delete()
        ExpertReview.objects.filter(application__in=applications).delete()
        applications.delete()
        Membership.objects.filter(workroom__in=workrooms).delete()
        Membership.objects.filter(teacher__in=teachers).delete()
        workrooms.delete()
        User.objects.filter(teacher__in=teachers).delete()
        User.objects.filter(username__in=[u for u, _ in ACCOUNTS]).delete()
        Department.objects.filter(school__in=schools).delete()
        schools.delete()
        for stored in StoredFile.objects.filter(pk__in=file_ids):
            stored.file.delete(save=False)
            stored.delete()


class Demo:
    """Builds the demo data with bulk inserts (a few dozen queries in all)."""

    def __init__(self, today: date):
        self.today = today
        self.now = timezone.now()
        self.rng = random.Random(2026)
        self.password = make_password(PASSWORD)  # hashed once, shared by every demo account
        self.ruleset = RuleSet.objects.current()

    def load(self):
        self.schools_and_departments()
        self.accounts()
        self.teachers()
        self.profiles()
        self.workrooms()
        self.applications()
        WorkroomLife(self).load()

    # --- people ----------------------------------------------------------

    def schools_and_departments(self):
        self.schools = {name: School.objects.get_or_create(name=name)[0] for name in SCHOOLS}
        self.departments = {}
        for school_name, deps in SCHOOLS.items():
            school = self.schools[school_name]
            for name, kind, grade in deps:
                self.departments[(school_name, name)] = Department.objects.get_or_create(
                    school=school, name=name, defaults={"kind": kind, "grade": grade}
                )[0]

    def accounts(self):
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLE_GROUPS}
        self.users = {}
        for username, _ in ACCOUNTS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={"password": self.password, "is_active": True, "first_name": STAFF_NAMES.get(username, "")},
            )
            self.users[username] = user
        admin = self.users["admin"]
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
        for username, group in (("admin", roles.ADMIN), ("office", roles.OFFICE), ("leader", roles.LEADER),
                                ("expert1", roles.EXPERT), ("expert2", roles.EXPERT)):
            self.users[username].groups.add(groups[group])

    def _roster(self) -> list[tuple[str, int, str]]:
        """(school, number within the school, name) of every demo teacher.
        张昇 teaches at another school: members from the host's own school are capped."""
        fixed = {MAIN_SCHOOL: ["王喆", "李堃", "周建华"], "实验中学": ["张昇"], "城南中学": []}
        seen = {n for names in fixed.values() for n in names}
        rows = []
        for school_name, count in TEACHERS_PER_SCHOOL.items():
            names = list(fixed[school_name])
            while len(names) < count:
                name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
                if name not in seen:
                    seen.add(name)
                    names.append(name)
            rows += [(school_name, n, name) for n, name in enumerate(names, start=1)]
        return rows

    def teachers(self):
        rng, today = self.rng, self.today
        special = {"王喆": "host", "张昇": "member", "李堃": "teacher", "周建华": "reviewer"}
        rows = self._roster()
        new_users, teachers = [], []
        for school_name, n, name in rows:
            staff_no = f"{STAFF_PREFIX[school_name]}{n:04d}"
            deps = [d for (s, _), d in self.departments.items() if s == school_name and d.kind != DepartmentKind.OFFICE]
            department = deps[n % len(deps)]
            if name in special and school_name == MAIN_SCHOOL:
                department = self.departments[(MAIN_SCHOOL, "高一年级部")]
            if school_name == MAIN_SCHOOL:
                age = rng.randint(26, 55)
                years = rng.randint(1, min(age - 23, 25))
                is_head = rng.random() < 0.8 or name in special
            else:  # the workrooms' members and applicants come from here: meet the member criteria (§5)
                age = rng.randint(28, 40)
                years = rng.randint(3, age - 24)
                is_head = True
            grade = department.grade or (rng.choice([7, 8, 9]) if school_name == "实验中学" else rng.choice([10, 11, 12]))
            title = rng.choices(Title.values, weights=[1, 3, 6, 4, 1])[0]
            if name == "王喆":
                age, years, title = 41, 12, Title.SENIOR
            elif name == "张昇":
                age, years, title = 33, 6, Title.INTERMEDIATE
            elif name == "李堃":  # may both apply to host (§4) and ask to join a workroom (§5)
                age, years, title = 36, 9, Title.INTERMEDIATE
            username = special.get(name, staff_no)
            user = self.users.get(username) or User(username=username, password=self.password)
            if user.pk is None:
                new_users.append(user)
            teachers.append(Teacher(
                user=user, name=name, staff_no=staff_no, school=self.schools[school_name], department=department,
                gender=Gender.MALE if name in ("王喆", "李堃", "张昇") else rng.choice(Gender.values), title=title,
                birth_date=_years_ago(today, age, rng.randint(0, 364)), is_head_teacher=is_head,
                head_teacher_since=date(today.year - years, 9, 1), class_name=f"{'初高'[grade >= 10]}{'一二三'[(grade - 1) % 3]}（{rng.randint(1, 12)}）班" if is_head else "",
                phone=f"13{rng.randint(100000000, 999999999)}", email=f"{staff_no.lower()}@demo.school.cn",
            ))
        User.objects.bulk_create(new_users)
        for t in teachers:
            t.user_id = t.user.pk  # the bulk insert has just given the new users their keys
        Teacher.objects.bulk_create(teachers)
        self.teachers = {t.name: t for t in teachers}
        self.main_teachers = [t for t in teachers if t.school.name == MAIN_SCHOOL]
        # 系部审核人: the demo account for 示范中学's 高一年级部, a teacher of every other
        # department that has teachers (every school), so that no new application gets stuck.
        self.reviewer_of = {}
        for (school_name, _), dep in self.departments.items():
            if dep.kind == DepartmentKind.OFFICE:
                continue
            if school_name == MAIN_SCHOOL and dep.name == "高一年级部":
                user = self.users["reviewer"]
            else:
                user = next((t.user for t in teachers if t.department_id == dep.pk and t.name not in special), None)
                if user is None:
                    continue
            dep.reviewers.add(user)
            self.reviewer_of[dep.pk] = user

    def profiles(self):
        rng, items = self.rng, []
        kinds = [
            (ProfileItem.Kind.HONOUR, HONOURS), (ProfileItem.Kind.CLASS_AWARD, CLASS_AWARDS),
            (ProfileItem.Kind.RESEARCH, RESEARCH), (ProfileItem.Kind.PUBLICATION, PUBLICATIONS),
            (ProfileItem.Kind.COMPETITION, COMPETITIONS),
        ]
        for teacher in self.teachers.values():
            count = 6 if teacher.name == "王喆" else rng.randint(0, 4)
            for i in range(count):
                kind, titles = kinds[i % len(kinds)] if teacher.name == "王喆" else rng.choice(kinds)
                items.append(ProfileItem(
                    teacher=teacher, kind=kind, title=rng.choice(titles),
                    level=rng.choices(Level.values, weights=[5, 4, 3, 2, 1])[0],
                    year=self.today.year - rng.randint(0, 8),
                    is_leader=kind == ProfileItem.Kind.RESEARCH and rng.random() < 0.5,
                    status=ProfileItem.Status.VERIFIED,
                ))
        ProfileItem.objects.bulk_create(items)
        vetoed = [t for t in self.main_teachers if t.name not in ("王喆", "李堃", "张昇", "周建华")][-2:]
        EthicsRecord.objects.bulk_create([
            EthicsRecord(teacher=vetoed[0], occurred_on=self.today - timedelta(days=400), confirmed=True,
                         description="家长投诉体罚学生，经调查属实。", confirmed_by=self.users["office"], confirmed_at=self.now),
            EthicsRecord(teacher=vetoed[1], occurred_on=self.today - timedelta(days=200), confirmed=True,
                         description="违规有偿补课，经查实。", confirmed_by=self.users["office"], confirmed_at=self.now),
        ])
        self.vetoed = set(t.pk for t in vetoed)

    # --- workrooms and applications ---------------------------------------

    def _history(self, obj, steps):
        """StatusChange rows for (action, from, to, actor, comment, days_ago)."""
        ct = ContentType.objects.get_for_model(obj)
        rows = [
            StatusChange(content_type=ct, object_id=obj.pk, action=a, from_status=f, to_status=t,
                         actor=actor, comment=comment)
            for a, f, t, actor, comment, _ in steps
        ]
        self.history += rows
        self.history_days += [days for *_, days in steps]

    def _eligibility(self, teacher):
        facts = facts_of(teacher, on=self.today, has_ethics_violation=teacher.pk in self.vetoed)
        return host_eligibility(facts, HostRules.from_ruleset(self.ruleset), commits_future_years=True).as_json()

    def _candidates(self, count, exclude):
        pool = [t for t in self.main_teachers if t.pk not in self.vetoed and t.name not in exclude
                and t.is_head_teacher and t.title in (Title.INTERMEDIATE, Title.SENIOR, Title.PROFESSOR)
                and t.head_teacher_years_on(self.today) >= self.ruleset.host_min_years
                and t.user not in self.reviewer_of.values()]
        return pool[:count]

    def workrooms(self):
        self.history, self.history_days = [], []
        W, A = Workroom.Status, HostApplication.Status
        office = self.users["office"]
        special = ("王喆", "李堃", "张昇", "周建华")
        hosts = [self.teachers["王喆"], *self._candidates(4, special)]
        specs = [
            (hosts[0], W.RUNNING, 200, DIRECTIONS[0]),
            (hosts[1], W.APPROVED, 10, DIRECTIONS[1]),
            (hosts[2], W.MIDTERM, 560, DIRECTIONS[2]),
            (hosts[3], W.REVOKED, 700, DIRECTIONS[3]),
            (hosts[4], W.FINAL, 3 * 365 + 10, DIRECTIONS[4 % len(DIRECTIONS)]),  # its final evaluation follows
        ]
        memberships, self.workroom_list = [], []
        for host, status, days, direction in specs:
            start = self.today - timedelta(days=days)
            wr = Workroom.objects.create(
                name=Workroom.name_for(host.name), host=host, school=host.school, status=status,
                research_direction=direction, description=f"聚焦{direction}，以课题带动班主任专业成长。",
                cycle_start=start, cycle_end=start.replace(year=start.year + self.ruleset.cycle_years),
                funding_stopped=status == W.REVOKED, ruleset=self.ruleset,
            )
            self.workroom_list.append(wr)
            ended = status == W.REVOKED
            memberships.append(Membership(
                workroom=wr, teacher=host, role=Membership.Role.HOST,
                status=Membership.Status.REMOVED if ended else Membership.Status.ACTIVE, joined_on=start,
                host_signed_at=self.now, member_signed_at=self.now, agreement_filed_at=self.now,
                left_on=self.today - timedelta(days=30) if ended else None,
                left_reason="中期评估不合格，工作室撤销。" if ended else "",
            ))
            app = HostApplication.objects.create(
                applicant=host, status=A.APPROVED, research_direction=direction,
                plan_summary=f"围绕{direction}开展主题研修、课题研究与示范班会课。",
                achievements_summary="多次获评优秀班主任，所带班级获市级先进班集体。",
                commits_future_years=True, eligibility=self._eligibility(host), ruleset=self.ruleset,
                notice_starts_at=self.now - timedelta(days=days + 10), notice_ends_at=self.now - timedelta(days=days + 5),
                workroom=wr,
            )
            app.experts.set([self.users["expert1"], self.users["expert2"]])
            self._application_path(app, host, days + 40, until=A.APPROVED)
            steps = []
            if status != W.APPROVED:
                steps.append(("launch", W.APPROVED, W.RUNNING, office, "挂牌运行。", days))
            if status in (W.MIDTERM, W.REVOKED):
                steps.append(("start_midterm", W.RUNNING, W.MIDTERM, office, "启动中期评估。", 60))
            if status == W.REVOKED:
                steps.append(("revoke", W.MIDTERM, W.REVOKED, office, "中期评估不合格，撤销工作室并停止拨付经费。", 30))
            self._history(wr, steps)

        # Members of the running workroom (from other schools: the own-school share is capped).
        running = self.workroom_list[0]
        outside = [t for t in self.teachers.values() if t.school.name != MAIN_SCHOOL and t.name != "张昇"]
        members = [self.teachers["张昇"], *outside[:4]]
        for i, teacher in enumerate(members):
            pending = i == len(members) - 1  # the last one: accepted, agreement not yet signed by the member
            memberships.append(Membership(
                workroom=running, teacher=teacher, role=Membership.Role.MEMBER,
                status=Membership.Status.PENDING_AGREEMENT if pending else Membership.Status.ACTIVE,
                joined_on=self.today - timedelta(days=150 - i), host_signed_at=self.now,
                member_signed_at=None if pending else self.now, agreement_filed_at=None if pending else self.now,
            ))
        midterm = self.workroom_list[2]
        for teacher in outside[4:7]:
            memberships.append(Membership(workroom=midterm, teacher=teacher, status=Membership.Status.ACTIVE,
                                          joined_on=midterm.cycle_start, host_signed_at=self.now,
                                          member_signed_at=self.now, agreement_filed_at=self.now))
        Membership.objects.bulk_create(memberships)
        requesters = outside[7:9]
        JoinRequest.objects.bulk_create([
            JoinRequest(workroom=running, teacher=t, message="希望在王老师的带领下提升班级管理水平。") for t in requesters
        ] + [JoinRequest(workroom=running, teacher=members[-1], status=JoinRequest.Status.ACCEPTED,
                         decided_by=running.host.user, decided_at=self.now, decision_comment="欢迎加入。")])

    def _application_path(self, app, applicant, days, *, until, returned_comment=""):
        A = HostApplication.Status
        office, admin = self.users["office"], self.users["admin"]
        reviewer = self.reviewer_of[applicant.department_id]
        path = [
            ("submit", "", A.DEPT_REVIEW, applicant.user, "", days),
            ("dept_pass", A.DEPT_REVIEW, A.OFFICE_REVIEW, reviewer, "符合申报条件，同意推荐。", days - 3),
            ("office_pass", A.OFFICE_REVIEW, A.EXPERT_REVIEW, office, "材料齐全，提交专家评审。", days - 7),
            ("start_notice", A.EXPERT_REVIEW, A.PUBLIC_NOTICE, office, "专家评审通过，进入公示。", days - 20),
            ("approve", A.PUBLIC_NOTICE, A.APPROVED, admin, "公示无异议，批准立项。", days - 30),
        ]
        steps = []
        for step in path:
            if until == A.RETURNED and step[2] == A.OFFICE_REVIEW:
                steps.append(("dept_return", A.DEPT_REVIEW, A.RETURNED, reviewer, returned_comment, days - 3))
                break
            steps.append(step)
            if step[2] == until:
                break
        self._history(app, steps)

    def applications(self):
        A = HostApplication.Status
        taken = {wr.host.name for wr in self.workroom_list} | {"李堃", "张昇", "周建华"}
        # Applicants of 高一年级部 so that the demo reviewer has something to review.
        grade10 = self.departments[(MAIN_SCHOOL, "高一年级部")]
        pool = [t for t in self._candidates(40, taken)]
        pool.sort(key=lambda t: t.department_id != grade10.pk)
        specs = [
            (A.DEPT_REVIEW, 3), (A.OFFICE_REVIEW, 12), (A.EXPERT_REVIEW, 25), (A.PUBLIC_NOTICE, 40), (A.RETURNED, 15),
            (A.PUBLIC_NOTICE, 60),  # its notice has ended: the office can approve it
        ]
        notices = 0
        for (status, days), applicant in zip(specs, pool):
            if status == A.DEPT_REVIEW:
                applicant.department = grade10
                applicant.save(update_fields=["department"])
            direction = self.rng.choice(DIRECTIONS)
            app = HostApplication.objects.create(
                applicant=applicant, status=status, research_direction=direction,
                plan_summary=f"以{direction}为主线，三年内形成可推广的班级管理经验。",
                achievements_summary="担任班主任多年，所带班级班风正、学风浓。",
                commits_future_years=True, eligibility=self._eligibility(applicant), ruleset=self.ruleset,
            )
            returned = "申报材料中缺少近五年的获奖证书，请补充后重新申报。" if status == A.RETURNED else ""
            self._application_path(app, applicant, days, until=status, returned_comment=returned)
            if status in (A.EXPERT_REVIEW, A.PUBLIC_NOTICE):
                app.experts.set([self.users["expert1"], self.users["expert2"]])
                experts = ["expert1"] if status == A.EXPERT_REVIEW else ["expert1", "expert2"]
                ExpertReview.objects.bulk_create([
                    ExpertReview(application=app, expert=self.users[e], score=88 - i * 3, recommend=True,
                                 comment="定位清晰，方案可行，建议立项。") for i, e in enumerate(experts)
                ])
            if status == A.PUBLIC_NOTICE:
                notices += 1
                started = 2 if notices == 1 else self.ruleset.public_notice_days + 3
                app.notice_starts_at = self.now - timedelta(days=started)
                app.notice_ends_at = app.notice_starts_at + timedelta(days=self.ruleset.public_notice_days)
                app.save(update_fields=["notice_starts_at", "notice_ends_at"])
                if notices == 1:
                    Objection.objects.create(application=app, raised_by=self.users["teacher"],
                                             text="该教师近一年未实际担任班主任，请核实。")
        StatusChange.objects.bulk_create(self.history)
        # created_at is set on insert; spread the history back over the days it took.
        for change, days in zip(self.history, self.history_days):
            change.created_at = self.now - timedelta(days=days)
        StatusChange.objects.bulk_update(self.history, ["created_at"])


# --- a semester of work in the running workroom ---------------------------

# A one-page PDF: receipts, certificates and research documents of the demo.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (days from today, type, theme, place, training hours, level); past ones have their sign-in sheets.
ACTIVITIES = [
    (-84, ActivityType.PLANNING, "本学期工作计划会", "工作室会议室", "2", Level.SCHOOL),
    (-70, ActivityType.REGULAR, "班级常规管理经验交流", "工作室会议室", "1.5", Level.SCHOOL),
    (-56, ActivityType.SEMINAR, "家校沟通中的冲突化解", "行政楼三楼报告厅", "3", Level.SCHOOL),
    (-42, ActivityType.EXPERT_LECTURE, "班主任的情绪管理与自我成长", "学校报告厅", "3", Level.COUNTY),
    (-28, ActivityType.DEMO_CLASS, "我的青春我做主", "高一（3）班教室", "2", Level.SCHOOL),
    (-14, ActivityType.GROUP_STUDY, "《班主任工作漫谈》共读", "图书馆阅览室", "2", Level.SCHOOL),
    (-7, ActivityType.REGULAR, "期中学情分析与后进生帮扶", "工作室会议室", "1.5", Level.SCHOOL),
    (7, ActivityType.FORUM, "如何开好家长会", "工作室会议室", "2", Level.SCHOOL),
    (21, ActivityType.PROGRESS, "课题开题后的研究进展", "行政楼三楼报告厅", "2", Level.SCHOOL),
]
# (category, amount, days ago, description, linked to the activity with this type, approved)
EXPENSES = [
    (ExpenseCategory.EXPERT, "800.00", 42, "专家讲座劳务费", ActivityType.EXPERT_LECTURE, True),
    (ExpenseCategory.MATERIALS, "356.50", 20, "购买《班主任工作漫谈》等书籍 12 册", None, True),
    (ExpenseCategory.STUDY_TRIP, "1200.00", 5, "赴城南中学考察交流的交通与资料费", None, False),
]
BOOKS = [
    ("班主任工作漫谈", "魏书生", True), ("给教师的建议", "苏霍姆林斯基", True), ("正面管教", "简·尼尔森", False),
    ("做最好的班主任", "李镇西", True), ("56号教室的奇迹", "雷夫·艾斯奎斯", False), ("教育的情调", "马克斯·范梅南", False),
]
REFLECTION = [
    "读完《{title}》，我对班主任工作有了新的认识。",
    "书中反复强调，教育首先是人与人之间的相遇，班主任要先走进学生的内心，再谈管理与要求。",
    "回想自己带班的这些年，我常常急于解决问题，却很少停下来倾听学生真正的想法。",
    "作者提到的许多做法，例如让学生参与制定班规、轮流担任值日班长、每周召开简短的班级议事会，都让我很受启发。",
    "上个月班里有两名学生因为座位问题发生争执，我没有直接批评，而是请他们各自写下事情经过和自己的感受，再一起商量解决办法，结果两人很快和好，还主动提出帮助同学整理图书角。",
    "这件事让我体会到，信任和尊重比说教更有力量，学生在被理解之后，往往能表现出令人惊喜的责任心。",
    "今后我准备在班级中坚持三件事：一是每天留出十分钟与学生个别交流；二是每月组织一次主题班会，让学生自己策划和主持；三是与家长保持每周一次的沟通，及时了解学生在家的情况。",
    "我也意识到，班主任的专业成长离不开持续的阅读与反思，只有不断学习，才能在面对新问题时心中有数、手中有法。",
    "希望在工作室的共读活动中与同伴继续交流，把书中的理念真正落实到日常的班级管理中去。",
]
WRITINGS = [
    (Writing.Kind.NARRATIVE, "那个不愿交作业的男孩", "开学第三周，小宇连续五天没有交数学作业……我先后三次家访，终于找到了症结所在。"),
    (Writing.Kind.CLASS_MEETING, "主题班会设计：学会感恩", "一、活动目标：引导学生体会父母和老师的付出。二、活动准备：学生采访家长。三、活动过程：情境导入、分享交流、行动计划。"),
    (Writing.Kind.CASE, "一次班级矛盾的化解", "期中考试后，班里两个学习小组因为评比结果产生矛盾，我组织了一次班级议事会……"),
    (Writing.Kind.STUDENT_CASE, "学生个案：从沉默到开朗", "小琳性格内向，入学后很少与同学交流。通过安排她担任图书管理员并定期谈心，一个学期后她主动参加了演讲比赛。"),
]
# The grade department whose monthly scores the demo holds, and its months (before the current one).
ASSESSED_DEPARTMENT = "高一年级部"
ASSESSED_MONTHS = 3


def _demo_pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


class WorkroomLife:
    """A semester of work in the running workroom 王喆名班主任工作室 (DOMAIN.md
    §3, §5–§8) and a few months of head-teacher assessment in 高一年级部 (§9),
    written through the services that the pages use, so that the archive,
    the history and the results are what users would have produced."""

    def __init__(self, demo: Demo):
        self.demo = demo
        self.today = demo.today
        self.rng = random.Random(2027)
        self.users = demo.users
        self.office = demo.users["office"]
        self.workroom = demo.workroom_list[0]
        self.host_user = self.workroom.host.user
        members = Membership.objects.filter(
            workroom=self.workroom, role=Membership.Role.MEMBER, status=Membership.Status.ACTIVE
        ).select_related("teacher__user").order_by("joined_on", "pk")
        self.memberships = list(members)
        self.members = [m.teacher for m in self.memberships]

    def load(self):
        self.activities()
        self.expenses()
        self.reading()
        self.writings()
        self.research()
        self.achievements()
        self.archive_uploads()
        self.monthly_scores()
        self.final_evaluation()
        self.member_assessment()
        self.class_titles()

    def _day(self, days: int) -> date:
        return self.today + timedelta(days=days)

    # --- activities and sign-in sheets (§5, §6) ---------------------------

    def activities(self):
        """A semester's activities. Their dates go back beyond what the
        planning rule allows a host to enter today (current and next
        semester only), so the rows are written here, checked by
        ``full_clean``; the sign-in sheets go through ``attendance_record``."""
        host = self.workroom.host
        rows = []
        for i, (days, kind, theme, place, hours, level) in enumerate(ACTIVITIES):
            starts_at = timezone.make_aware(datetime.combine(self._day(days), time(15, 30)))
            past = days < 0
            activity = Activity(
                workroom=self.workroom, type=kind, starts_at=starts_at, place=place, theme=theme,
                speaker=host if i % 2 == 0 else self.members[i % len(self.members)], recorder=self.members[0],
                level=level, training_hours=Decimal(hours), is_expert_lecture=kind == ActivityType.EXPERT_LECTURE,
                minutes=f"{theme}：主持人王喆作引领发言，成员结合本班实际交流做法与困惑，会后形成改进清单。" if past else "",
                created_by=self.host_user,
            )
            activity.full_clean()
            rows.append(activity)
        Activity.objects.bulk_create(rows)
        self.activity_list = rows
        A = Attendance.Status
        for j, activity in enumerate(rows):
            if timezone.localtime(activity.starts_at).date() > self.today:
                continue
            statuses = {host.pk: A.PRESENT}
            for k, teacher in enumerate(self.members):
                slot = (j + 2 * k) % 9
                statuses[teacher.pk] = A.ABSENT if slot == 8 and k else A.LEAVE if slot == 4 else A.PRESENT
            attendance_record(activity=activity, actor=self.host_user, statuses=statuses)
            day = timezone.localtime(activity.starts_at).date()
            archive_file(
                workroom=self.workroom, category=ArchiveEntry.Category.OTHER, source=activity,
                title=f"{day:%Y-%m-%d} {activity.get_type_display()}签到表及纪要：{activity.theme}",
                kind="活动签到表", filed_on=day, actor=self.host_user,
            )

    # --- funding (§3) -------------------------------------------------------

    def expenses(self):
        by_type = {a.type: a for a in self.activity_list}
        first_of_year = date(self.today.year, 1, 1)
        for category, amount, days, description, activity_type, approved in EXPENSES:
            expense = expense_record(
                workroom=self.workroom, actor=self.host_user, category=category, amount=Decimal(amount),
                spent_on=max(self._day(-days), first_of_year), description=description,
                receipt=_demo_pdf(f"{description[:10]}发票.pdf"), activity=by_type.get(activity_type),
            )
            if approved:
                expense_decide(expense=expense, action="approve", actor=self.office, comment="票据齐全，同意报销。")

    # --- reading logs and writings (§7) -----------------------------------

    def _reflection(self, title: str) -> str:
        minimum = RuleSet.objects.current().reflection_min_chars
        text, i = "", 0
        while len(text) < minimum + 20:
            text += REFLECTION[i % len(REFLECTION)].format(title=title)
            i += 1
        return text

    def reading(self):
        """Two logs per member; the host has accepted the older ones and the
        newer ones wait for the host."""
        books = iter(BOOKS * 2)
        for k, teacher in enumerate(self.members):
            for n, days in enumerate((-40 - 3 * k, -6 - k)):
                title, author, recommended = next(books)
                read_on = self._day(days)
                log = reading_create(
                    actor=teacher.user, workroom=self.workroom, semester=semester_of(read_on).label,
                    kind=ReadingLog.Kind.BOOK, title=title, author=author, recommended=recommended,
                    read_on=read_on, reflection=self._reflection(title),
                )
                if n == 0:
                    record_review(actor=self.host_user, record=log, action="accept", comment="体会真切，请在例会上分享。")

    def writings(self):
        for k, (kind, title, text) in enumerate(WRITINGS):
            teacher = self.members[k % len(self.members)]
            written_on = self._day(-30 + 6 * k)
            writing = writing_create(
                actor=teacher.user, workroom=self.workroom, semester=semester_of(written_on).label, kind=kind,
                title=title, text=text, written_on=written_on, submitted=k == 0, publication="《班主任之友》" if k == 0 else "",
            )
            if k < 2:
                record_review(actor=self.host_user, record=writing, action="accept", comment="结构清晰，案例真实。")

    # --- research project at 开题 (§7) -------------------------------------

    def research(self):
        project = project_create(
            actor=self.host_user, workroom=self.workroom, title="家校协同视角下的班级文化建设实践研究",
            level=Level.COUNTY, leader=self.workroom.host, participants=self.members[:2],
            description="以家校共育为抓手，研究班级文化建设的路径与评价方式。", started_on=self._day(-60),
        )
        stage_document_add(actor=self.host_user, project=project, kind=DocumentKind.PLAN, title="课题立项申报书",
                           upload=_demo_pdf("课题立项申报书.pdf"))
        project_close_stage(actor=self.host_user, project=project, comment="区教科所已批准立项。")
        stage_document_add(actor=self.host_user, project=project, kind=DocumentKind.PLAN, title="开题报告",
                           upload=_demo_pdf("开题报告.pdf"))
        stage_document_add(actor=self.members[0].user, project=project, kind=DocumentKind.MEASURES,
                           title="研究措施与分工", upload=_demo_pdf("研究措施与分工.pdf"))

    # --- achievements (§7) ---------------------------------------------------

    def achievements(self):
        verified = achievement_create(
            actor=self.members[0].user, workroom=self.workroom, owner_kind=Achievement.OwnerKind.SELF,
            kind=Achievement.Kind.COMPETITION, title="区班主任基本功大赛一等奖", level=Level.COUNTY,
            achieved_on=self._day(-35), upload=_demo_pdf("获奖证书.pdf"),
        )
        achievement_verify(actor=self.office, achievement=verified, action="verify", comment="证书核实无误。")
        achievement_create(
            actor=self.members[1].user, workroom=self.workroom, owner_kind=Achievement.OwnerKind.CLASS,
            owner_name="初二（5）班", kind=Achievement.Kind.HONOUR, title="市级文明班级", level=Level.MUNICIPAL,
            achieved_on=self._day(-10), upload=_demo_pdf("文明班级证书.pdf"),
        )

    def archive_uploads(self):
        """The plan and the charter: files the host uploads into their categories (§8)."""
        C = ArchiveEntry.Category
        label = semester_of(self.today).label
        for category, title, name in ((C.PLANS, "工作室本学期工作计划", "学期工作计划.pdf"),
                                      (C.RULES, "工作室章程及成员职责", "工作室章程.pdf")):
            archive_upload(actor=self.host_user, workroom=self.workroom, category=category, title=title,
                           upload=_demo_pdf(name), semester=label, kind="上传文件")

    # --- head-teacher assessment (§9) ---------------------------------------

    def monthly_scores(self):
        """高一年级部's scores for the months before this one, both halves
        entered; the oldest month computed and published, the next computed,
        the last still being entered."""
        school = self.demo.schools[MAIN_SCHOOL]
        department = self.demo.departments[(MAIN_SCHOOL, ASSESSED_DEPARTMENT)]
        reviewer = self.users["reviewer"]
        teachers = [t for t in self.demo.main_teachers if t.department_id == department.pk and t.is_head_teacher]
        months = counted_months_before(self.today, ASSESSED_MONTHS, school.pk)
        last_year = counted_months_before(date(months[0][0], months[0][1], 1), 2, school.pk)
        for year, month in last_year:
            self._frozen_month(school, department, teachers, year, month, reviewer)
        for n, (year, month) in enumerate(months):
            period = period_create(school=school, kind=Period.Kind.MONTH, school_year=school_year_start(date(year, month, 1), school.pk),
                                   month=month, actor=self.office)
            values = {}
            for k, teacher in enumerate(teachers):
                low = n == 1 and k == len(teachers) - 1  # one failed month
                values[teacher.pk] = {
                    "dept": Decimal(55 if low else self.rng.randint(78, 98)),
                    "office": Decimal(52 if low else self.rng.randint(75, 99)),
                }
            monthly_scores_save(period=period, department=department, values=values, actor=reviewer)
            monthly_scores_save(period=period, department=department, values=values, actor=self.office)
            if n < ASSESSED_MONTHS - 1:
                period_compute(period=period, actor=self.office)
            if n == 0:
                ASSESSMENT_PERIOD.apply(period, "publish", actor=self.office, comment="月考核结果公示。")

    def _frozen_month(self, school, department, teachers, year, month, reviewer):
        """An earlier month whose 公示 is over: computed, published, final."""
        period = period_create(school=school, kind=Period.Kind.MONTH, school_year=school_year_start(date(year, month, 1), school.pk),
                               month=month, actor=self.office)
        values = {t.pk: {"dept": Decimal(self.rng.randint(78, 98)), "office": Decimal(self.rng.randint(75, 99))} for t in teachers}
        monthly_scores_save(period=period, department=department, values=values, actor=reviewer)
        monthly_scores_save(period=period, department=department, values=values, actor=self.office)
        period_compute(period=period, actor=self.office)
        ASSESSMENT_PERIOD.apply(period, "publish", actor=self.office, comment="月考核结果公示。")
        # Its 公示 ran early in the next month, long over by now.
        publication = publication_current(period)
        starts = date(year, month, 28) + timedelta(days=6)
        publication.starts_on, publication.ends_on = starts, starts + (publication.ends_on - publication.starts_on)
        publication.save(update_fields=["starts_on", "ends_on"])
        period.notice_ends_on = publication.ends_on
        period.save(update_fields=["notice_ends_on"])
        ASSESSMENT_PERIOD.apply(period, "freeze", actor=self.office, comment="公示期满，无异议，定稿。")

    def final_evaluation(self):
        """The workroom at the end of its cycle: the experts' final evaluation,
        concluded, its 公示 made final, and the workroom completed (§9.5, §12)."""
        workroom = next(w for w in self.demo.workroom_list if w.status == Workroom.Status.FINAL)
        experts = [self.users["expert1"], self.users["expert2"]]
        evaluation = evaluation_open(workroom=workroom, kind=Evaluation.Kind.FINAL, experts=experts, actor=self.office)
        codes = [item.code for item in rubric_items()]
        for k, expert in enumerate(experts):
            evaluation_scores_save(evaluation=evaluation, scores={c: Decimal(93 - k - i % 3) for i, c in enumerate(codes)}, actor=expert)
        evaluation_conclude(evaluation=evaluation, actor=self.office)
        # Its 公示 ended last week with no objection; made final, it completed the workroom.
        publication = notice_publish(kind=EVALUATION, subject=evaluation, params=(), actor=self.office)
        publication.starts_on, publication.ends_on = self._day(-12), self._day(-8)
        publication.save(update_fields=["starts_on", "ends_on"])
        notice_finalize(publication=publication, actor=self.office)

    def member_assessment(self):
        """张昇 graded 优秀 this semester, and named 优秀工作室成员 by the host (§9.4)."""
        school_year, semester = term_of(self.today)
        assessment = member_assessment_save(
            membership=self.memberships[0], school_year=school_year, semester=semester,
            scores=dict(zip(DIMENSION_CODES, ("19", "18", "17", "18.5", "17.5"), strict=True)),
            comment="师德端正，积极参与工作室活动，读书与写作任务完成较好。", actor=self.host_user,
        )
        outstanding_member_name(assessment=assessment, actor=self.host_user)

    def class_titles(self):
        """高一年级部's 优秀班级 of last week and 窗口班级 of last month (§9.1)."""
        department = self.demo.departments[(MAIN_SCHOOL, ASSESSED_DEPARTMENT)]
        classes = [t for t in self.demo.main_teachers if t.department_id == department.pk and t.is_head_teacher
                   and t.class_name and t.pk not in self.demo.vetoed]
        reviewer = self.users["reviewer"]
        for teacher in classes[:2]:
            class_title_name(department=department, teacher=teacher, kind=ClassTitle.Kind.EXCELLENT,
                             day=self._day(-7), actor=reviewer)
        class_title_name(department=department, teacher=classes[2], kind=ClassTitle.Kind.WINDOW,
                         day=self.today.replace(day=1) - timedelta(days=1), actor=reviewer)
