"""python manage.py bench_generate [--scale 1.0] [--reset]

Builds the city-scale benchmark data set (see bench/README.md): at scale 1,
20 schools, 6,000 teachers, 200 workrooms with 2,400 members, 500 host
applications in every state with their history, join requests and profile
items, plus one account per role persona (``bench_admin`` … ``bench_teacher``,
password ``bench12345``). Everything is inserted with ``bulk_create`` in
batches; ``--scale 0.02`` gives the small data set whose query counts the
benchmark compares against."""

import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from config.management.commands.load_demo import DIRECTIONS, GIVEN, SURNAMES
from core.calendar import school_today
from core.models import StatusChange
from members import roles
from members.choices import DepartmentKind, Gender, Level, Title
from members.models import Department, EthicsRecord, ProfileItem, School, Teacher
from workrooms.models import ExpertReview, HostApplication, Objection, RuleSet, Workroom
from workrooms.selection.models import JoinRequest, Membership

BATCH = 1000
MARK = "BENCH"  # School.code of the generated schools
PASSWORD = "bench12345"
PERSONAS = {
    "admin": "bench_admin", "office": "bench_office", "leader": "bench_leader", "expert": "bench_expert",
    "reviewer": "bench_reviewer", "host": "bench_host", "member": "bench_member", "teacher": "bench_teacher",
}
DEPARTMENTS = [
    ("高一年级部", DepartmentKind.GRADE, 10), ("高二年级部", DepartmentKind.GRADE, 11), ("高三年级部", DepartmentKind.GRADE, 12),
    ("语文系部", DepartmentKind.DEPARTMENT, None), ("数学系部", DepartmentKind.DEPARTMENT, None),
    ("外语系部", DepartmentKind.DEPARTMENT, None), ("德育处", DepartmentKind.OFFICE, None),
]
W, A, M = Workroom.Status, HostApplication.Status, Membership.Status
WORKROOM_MIX = [(W.RUNNING, 60), (W.MIDTERM, 15), (W.APPROVED, 10), (W.FINAL, 8), (W.COMPLETED, 4), (W.REVOKED, 3)]
WORKROOM_PATHS = {
    W.APPROVED: [],
    W.RUNNING: [("launch", W.APPROVED, W.RUNNING)],
    W.MIDTERM: [("launch", W.APPROVED, W.RUNNING), ("start_midterm", W.RUNNING, W.MIDTERM)],
    W.FINAL: [("launch", W.APPROVED, W.RUNNING), ("start_midterm", W.RUNNING, W.MIDTERM),
              ("pass_midterm", W.MIDTERM, W.RUNNING), ("start_final", W.RUNNING, W.FINAL)],
    W.COMPLETED: [("launch", W.APPROVED, W.RUNNING), ("start_final", W.RUNNING, W.FINAL), ("complete", W.FINAL, W.COMPLETED)],
    W.REVOKED: [("launch", W.APPROVED, W.RUNNING), ("start_midterm", W.RUNNING, W.MIDTERM), ("revoke", W.MIDTERM, W.REVOKED)],
}
APPLICATION_PATH = [
    ("submit", "", A.DEPT_REVIEW), ("dept_pass", A.DEPT_REVIEW, A.OFFICE_REVIEW),
    ("office_pass", A.OFFICE_REVIEW, A.EXPERT_REVIEW), ("start_notice", A.EXPERT_REVIEW, A.PUBLIC_NOTICE),
    ("approve", A.PUBLIC_NOTICE, A.APPROVED),
]
OPEN_APPLICATION_MIX = [A.DEPT_REVIEW, A.OFFICE_REVIEW, A.EXPERT_REVIEW, A.PUBLIC_NOTICE, A.RETURNED, A.REJECTED]


def _path_to(status):
    if status == A.RETURNED:
        return [APPLICATION_PATH[0], ("dept_return", A.DEPT_REVIEW, A.RETURNED)]
    if status == A.REJECTED:
        return [*APPLICATION_PATH[:4], ("reject", A.PUBLIC_NOTICE, A.REJECTED)]
    steps = []
    for step in APPLICATION_PATH:
        steps.append(step)
        if step[2] == status:
            return steps
    raise ValueError(status)


class Command(BaseCommand):
    help = "生成城市规模的性能基准数据（200 个工作室、2400 名成员、6000 名教师）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="规模系数：1 为城市规模，0.02 为小数据集")
        parser.add_argument("--reset", action="store_true", help="先删除已有的基准数据")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, reset, seed, **options):
        started = time.monotonic()
        if reset:
            remove_bench_data()
        if School.objects.filter(code=MARK).exists():
            raise CommandError("基准数据已存在；加 --reset 重新生成。")
        with transaction.atomic():
            counts = Generator(scale=scale, seed=seed).run()
        summary = "，".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已生成（{time.monotonic() - started:.1f} 秒）：{summary}"))
        self.stdout.write(f"角色账号（密码 {PASSWORD}）：" + "、".join(PERSONAS.values()))


def remove_bench_data():
    schools = School.objects.filter(code=MARK)
    teachers = Teacher.objects.filter(school__in=schools)
    workrooms = Workroom.objects.filter(school__in=schools)
    applications = HostApplication.objects.filter(applicant__in=teachers)
    with transaction.atomic():
        for model, qs in ((Workroom, workrooms), (HostApplication, applications)):
            StatusChange.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=qs.values("pk")
            ).delete()
        Objection.objects.filter(application__in=applications).delete()
        ExpertReview.objects.filter(application__in=applications).delete()
        HostApplication.experts.through.objects.filter(hostapplication__in=applications).delete()
        applications.delete()
        JoinRequest.objects.filter(teacher__in=teachers).delete()
        Membership.objects.filter(teacher__in=teachers).delete()
        workrooms.delete()
        ProfileItem.objects.filter(teacher__in=teachers).delete()
        EthicsRecord.objects.filter(teacher__in=teachers).delete()
        Department.reviewers.through.objects.filter(department__school__in=schools).delete()
        user_ids = list(teachers.values_list("user_id", flat=True))
        teachers.delete()
        User.objects.filter(pk__in=user_ids).delete()
        User.objects.filter(username__in=PERSONAS.values()).delete()
        Department.objects.filter(school__in=schools).delete()
        schools.delete()


def _bulk(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH)


class Generator:
    def __init__(self, *, scale: float, seed: int):
        self.rng = random.Random(seed)
        self.today = school_today()
        self.now = timezone.now()
        self.n_schools = max(3, round(20 * scale))
        self.n_teachers = max(120, round(6000 * scale))
        self.n_workrooms = max(4, round(200 * scale))
        self.n_open_applications = max(6, round(300 * scale))
        self.n_join_requests = max(10, round(1000 * scale))
        self.members_per_workroom = 12
        self.password = make_password(PASSWORD)
        self.ruleset = RuleSet.objects.current()
        self.history = []

    def run(self) -> dict:
        self.people()
        self.workrooms()
        self.applications()
        self.join_requests()
        for obj, days in self.history:
            obj.created_at = self.now - timedelta(days=days)
        _bulk(StatusChange, [obj for obj, _ in self.history])
        return {
            "学校": self.n_schools, "教师": len(self.teachers), "工作室": len(self.workrooms_list),
            "成员": self.member_count, "主持人申报": self.application_count, "流转记录": len(self.history),
            "加入申请": self.join_request_count,
        }

    def _log(self, obj, action, from_status, to_status, actor, days):
        self.history.append((StatusChange(
            content_type=self.ct[type(obj)], object_id=obj.pk, action=action, from_status=from_status,
            to_status=to_status, actor=actor, comment="同意。" if action != "dept_return" else "材料不全，请补充后重新申报。",
        ), days))

    # --- people ----------------------------------------------------------

    def people(self):
        rng = self.rng
        self.ct = {m: ContentType.objects.get_for_model(m) for m in (Workroom, HostApplication)}
        schools = _bulk(School, [School(name=f"城市第{i + 1}中学", code=MARK) for i in range(self.n_schools)])
        self.departments = _bulk(Department, [
            Department(school=s, name=name, kind=kind, grade=grade) for s in schools for name, kind, grade in DEPARTMENTS
        ])
        teaching = [d for d in self.departments if d.kind != DepartmentKind.OFFICE]
        users, teachers = [], []
        for i in range(self.n_teachers):
            school = schools[i % len(schools)]  # consecutive teachers come from different schools
            staff_no = f"B{i:06d}"
            users.append(User(username=staff_no, password=self.password))
            age = rng.randint(25, 58)
            years = rng.randint(0, min(age - 23, 25))
            teachers.append(Teacher(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN), staff_no=staff_no, school=school,
                gender=rng.choice(Gender.values), title=rng.choices(Title.values, weights=[1, 3, 6, 4, 1])[0],
                birth_date=self.today.replace(year=self.today.year - age, month=rng.randint(1, 12), day=rng.randint(1, 28)),
                is_head_teacher=rng.random() < 0.8, head_teacher_since=self.today.replace(year=self.today.year - years, month=9, day=1),
                class_name=f"高{'一二三'[i % 3]}（{rng.randint(1, 15)}）班", phone=f"139{i:08d}",
            ))
        by_school = {}
        for d in teaching:
            by_school.setdefault(d.school_id, []).append(d)
        for i, t in enumerate(teachers):
            t.department = by_school[t.school.pk][(i // len(schools)) % 6]
        # The role personas. The first teacher of each department reviews it (see below), so the
        # reviewer persona is teacher 0; host, member and plain teacher come after those reviewers.
        first_free = len(schools) * 6
        for key, index in (("reviewer", 0), ("host", first_free), ("member", first_free + 1), ("teacher", first_free + 2)):
            users[index].username = PERSONAS[key]
        _bulk(User, users)
        for t, u in zip(teachers, users):
            t.user = u
        self.teachers = _bulk(Teacher, teachers)
        staff = _bulk(User, [User(username=PERSONAS[k], password=self.password) for k in ("admin", "office", "leader", "expert")])
        self.users = {k: u for k, u in zip(("admin", "office", "leader", "expert"), staff)}
        admin = self.users["admin"]
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLE_GROUPS}
        Through = User.groups.through
        Through.objects.bulk_create([
            Through(user_id=self.users[k].pk, group_id=groups[g].pk)
            for k, g in (("admin", roles.ADMIN), ("office", roles.OFFICE), ("leader", roles.LEADER), ("expert", roles.EXPERT))
        ])
        # one reviewer per teaching department: its first teacher (the persona for school 1's first department)
        self.reviewer_of = {}
        for t in self.teachers:
            self.reviewer_of.setdefault(t.department_id, t.user)
        Department.reviewers.through.objects.bulk_create([
            Department.reviewers.through(department_id=dep_id, user_id=user.pk) for dep_id, user in self.reviewer_of.items()
        ])
        self.reviewer_ids = {user.pk for user in self.reviewer_of.values()}

        kinds = ProfileItem.Kind.values
        _bulk(ProfileItem, [
            ProfileItem(teacher=t, kind=rng.choice(kinds), title="优秀班主任", level=rng.choice(Level.values),
                        year=self.today.year - rng.randint(0, 8), status=ProfileItem.Status.VERIFIED)
            for t in self.teachers for _ in range(2)
        ])

    # --- workrooms ---------------------------------------------------------

    def workrooms(self):
        rng = self.rng
        free = [t for t in self.teachers if t.user_id not in self.reviewer_ids]
        host_persona = next(t for t in free if t.user.username == PERSONAS["host"])
        member_persona = next(t for t in free if t.user.username == PERSONAS["member"])
        plain = next(t for t in free if t.user.username == PERSONAS["teacher"])
        free = [t for t in free if t not in (host_persona, member_persona, plain)]
        hosts = [host_persona] + free[: self.n_workrooms - 1]
        pool = free[self.n_workrooms - 1:]
        statuses = [W.RUNNING] + rng.choices([s for s, _ in WORKROOM_MIX], [w for _, w in WORKROOM_MIX], k=len(hosts) - 1)
        workrooms = []
        for host, status in zip(hosts, statuses):
            days = rng.randint(30, 1000)
            start = self.today - timedelta(days=days)
            workrooms.append(Workroom(
                name=Workroom.name_for(host.name), host=host, school=host.school, status=status,
                research_direction=rng.choice(DIRECTIONS), cycle_start=start,
                cycle_end=start + timedelta(days=365 * self.ruleset.cycle_years),
                funding_stopped=status == W.REVOKED, ruleset=self.ruleset,
            ))
        self.workrooms_list = _bulk(Workroom, workrooms)
        office = self.users["office"]
        memberships = []
        members = iter([member_persona] + pool)
        self.used = set(hosts) | {member_persona}
        for wr in self.workrooms_list:
            ended = wr.status in (W.COMPLETED, W.REVOKED)
            memberships.append(Membership(
                workroom=wr, teacher=wr.host, role=Membership.Role.HOST,
                status=(M.COMPLETED if wr.status == W.COMPLETED else M.REMOVED) if ended else M.ACTIVE,
                joined_on=wr.cycle_start, host_signed_at=self.now, member_signed_at=self.now,
            ))
            for k in range(self.members_per_workroom):
                teacher = next(members)
                self.used.add(teacher)
                status = M.ACTIVE
                if ended:
                    status = M.COMPLETED if wr.status == W.COMPLETED else M.REMOVED
                elif k == 11 and rng.random() < 0.3:
                    status = M.PENDING_AGREEMENT
                elif k == 10 and rng.random() < 0.1:
                    status = M.WITHDRAWN
                memberships.append(Membership(
                    workroom=wr, teacher=teacher, status=status, joined_on=wr.cycle_start + timedelta(days=k),
                    host_signed_at=self.now, member_signed_at=None if status == M.PENDING_AGREEMENT else self.now,
                ))
            for action, from_status, to_status in WORKROOM_PATHS[wr.status]:
                self._log(wr, action, from_status, to_status, office, rng.randint(1, 400))
        _bulk(Membership, memberships)
        self.member_count = sum(1 for m in memberships if m.role == Membership.Role.MEMBER)
        self.remaining = [t for t in pool if t not in self.used]

    # --- applications -------------------------------------------------------

    def applications(self):
        rng, expert, office, admin = self.rng, self.users["expert"], self.users["office"], self.users["admin"]
        applicants = self.remaining[: self.n_open_applications]
        self.remaining = self.remaining[self.n_open_applications:]
        apps = [
            HostApplication(applicant=wr.host, status=A.APPROVED, research_direction=wr.research_direction,
                            plan_summary="建设设想", commits_future_years=True, ruleset=self.ruleset, workroom=wr,
                            eligibility={"ok": True, "criteria": []})
            for wr in self.workrooms_list
        ] + [
            HostApplication(applicant=t, status=OPEN_APPLICATION_MIX[i % len(OPEN_APPLICATION_MIX)],
                            research_direction=rng.choice(DIRECTIONS), plan_summary="建设设想", commits_future_years=True,
                            ruleset=self.ruleset, eligibility={"ok": True, "criteria": []})
            for i, t in enumerate(applicants)
        ]
        for app in apps:
            if app.status in (A.PUBLIC_NOTICE,):
                app.notice_starts_at = self.now - timedelta(days=1)
                app.notice_ends_at = self.now + timedelta(days=4)
        apps = _bulk(HostApplication, apps)
        self.application_count = len(apps)
        actors = {"dept_pass": None, "dept_return": None, "office_pass": office, "start_notice": office,
                  "approve": admin, "reject": admin}
        experts, reviews, objections = [], [], []
        for app in apps:
            days = rng.randint(5, 1200)
            for n, (action, from_status, to_status) in enumerate(_path_to(app.status)):
                if action == "submit":
                    actor = app.applicant.user
                else:
                    actor = actors[action] or self.reviewer_of[app.applicant.department_id]
                self._log(app, action, from_status, to_status, actor, days - n)
            if app.status in (A.EXPERT_REVIEW, A.PUBLIC_NOTICE, A.APPROVED, A.REJECTED):
                experts.append(HostApplication.experts.through(hostapplication_id=app.pk, user_id=expert.pk))
                if app.status != A.EXPERT_REVIEW:
                    reviews.append(ExpertReview(application=app, expert=expert, score=rng.randint(60, 98), comment="同意。"))
            if app.status == A.PUBLIC_NOTICE and rng.random() < 0.3:
                objections.append(Objection(application=app, raised_by=office, text="请核实班主任年限。"))
        HostApplication.experts.through.objects.bulk_create(experts, batch_size=BATCH)
        _bulk(ExpertReview, reviews)
        _bulk(Objection, objections)

    def join_requests(self):
        rng = self.rng
        open_rooms = [wr for wr in self.workrooms_list if wr.status in (W.RUNNING, W.MIDTERM)]
        requests, pairs = [], set()
        statuses = [JoinRequest.Status.PENDING] * 3 + [JoinRequest.Status.DECLINED, JoinRequest.Status.CANCELLED]
        while len(requests) < self.n_join_requests and self.remaining:
            teacher = rng.choice(self.remaining)
            wr = rng.choice(open_rooms)
            if (wr.pk, teacher.pk) in pairs:
                continue
            pairs.add((wr.pk, teacher.pk))
            status = rng.choice(statuses)
            requests.append(JoinRequest(
                workroom=wr, teacher=teacher, status=status, message="希望加入工作室。",
                decided_by=wr.host.user if status == JoinRequest.Status.DECLINED else None,
                decided_at=self.now if status == JoinRequest.Status.DECLINED else None,
            ))
        _bulk(JoinRequest, requests)
        self.join_request_count = len(requests)
