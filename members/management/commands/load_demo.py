"""python manage.py load_demo [--reset]

Loads the demo school 示范中学 (with two neighbouring schools): departments,
about 60 teachers with their profiles, accounts for every role (password
``demo12345``), workrooms in several states and host applications at every
review step, with their history. Running it again creates nothing twice;
``--reset`` removes the demo data first and loads it afresh."""

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from members import roles
from members.choices import DepartmentKind, Gender, Level, Title
from members.eligibility import HostRules, facts_of, host_eligibility
from members.models import Department, EthicsRecord, JoinRequest, Membership, ProfileItem, School, Teacher
from workrooms.models import ExpertReview, HostApplication, Objection, RuleSet, StatusChange, Workroom

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

    def handle(self, *args, reset=False, **options):
        with transaction.atomic():
            if reset:
                self.remove()
            if Teacher.objects.filter(staff_no=f"{STAFF_PREFIX[MAIN_SCHOOL]}0001").exists():
                self.stdout.write("演示数据已存在，未重复创建（如需重新加载，请加 --reset）。")
            else:
                Demo(timezone.localdate()).load()
                self.stdout.write(self.style.SUCCESS("演示数据已加载：示范中学等 3 所学校、60 名教师、4 个工作室、9 份主持人申报（5 份在审或已退回）。"))
        self.stdout.write(f"\n演示账号（密码均为 {PASSWORD}）：")
        for username, role in ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(f"  其余教师以工号登录（如 {STAFF_PREFIX[MAIN_SCHOOL]}0010），密码相同。")

    def remove(self):
        schools = School.objects.filter(name__in=SCHOOLS)
        teachers = Teacher.objects.filter(school__in=schools)
        workrooms = Workroom.objects.filter(school__in=schools)
        applications = HostApplication.objects.filter(applicant__in=teachers)
        for model, qs in ((Workroom, workrooms), (HostApplication, applications)):
            StatusChange.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=qs.values("pk")
            ).delete()
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
                username=username, defaults={"password": self.password, "is_active": True}
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
            elif name == "李堃":
                age, years, title = 30, 4, Title.JUNIOR
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
        # 系部审核人: the demo account for 高一年级部, a senior teacher of each other department.
        self.reviewer_of = {}
        for (school_name, _), dep in self.departments.items():
            if school_name != MAIN_SCHOOL or dep.kind == DepartmentKind.OFFICE:
                continue
            if dep.name == "高一年级部":
                user = self.users["reviewer"]
            else:
                user = next(t.user for t in teachers if t.department_id == dep.pk and t.name not in special)
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
        office, admin = self.users["office"], self.users["admin"]
        special = ("王喆", "李堃", "张昇", "周建华")
        hosts = [self.teachers["王喆"], *self._candidates(3, special)]
        specs = [
            (hosts[0], W.RUNNING, 200, DIRECTIONS[0]),
            (hosts[1], W.APPROVED, 10, DIRECTIONS[1]),
            (hosts[2], W.MIDTERM, 560, DIRECTIONS[2]),
            (hosts[3], W.REVOKED, 700, DIRECTIONS[3]),
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
        ]
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
                app.notice_starts_at = self.now - timedelta(days=2)
                app.notice_ends_at = app.notice_starts_at + timedelta(days=self.ruleset.public_notice_days)
                app.save(update_fields=["notice_starts_at", "notice_ends_at"])
                Objection.objects.create(application=app, raised_by=self.users["teacher"],
                                         text="该教师近一年未实际担任班主任，请核实。")
        StatusChange.objects.bulk_create(self.history)
        # created_at is set on insert; spread the history back over the days it took.
        for change, days in zip(self.history, self.history_days):
            change.created_at = self.now - timedelta(days=days)
        StatusChange.objects.bulk_update(self.history, ["created_at"])
