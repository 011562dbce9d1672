"""Eligibility rules for hosts (DOMAIN.md §4) and members (§5).

Pure functions: facts about a teacher and the school's rules in, a list of
criteria out, each explained in words. No database access here; see
``members.selectors.teacher_facts`` for the one query that feeds them."""

from dataclasses import dataclass
from datetime import date

from members.choices import LEVEL_RANK, TITLE_RANK, Level, SchoolStage, Title
from members.models import ProfileItem  # its kinds only; no database access here


@dataclass(frozen=True)
class TeacherFacts:
    is_head_teacher: bool
    head_teacher_years: int
    title: str
    age: int | None
    has_ethics_violation: bool
    school_stage: str = SchoolStage.SECONDARY


@dataclass(frozen=True)
class Criterion:
    label: str
    ok: bool
    explanation: str


@dataclass(frozen=True)
class Eligibility:
    criteria: tuple[Criterion, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.criteria)

    @property
    def failed(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if not c.ok)

    def as_json(self) -> dict:
        return {"ok": self.ok, "criteria": [c.__dict__ for c in self.criteria]}


@dataclass(frozen=True)
class HostRules:
    require_current: bool
    min_years: int
    min_title: str
    future_years: int
    # 003方案3: 高级 for secondary schools, 中级 for primary ones; None = as secondary.
    min_title_primary: str | None = None

    @classmethod
    def from_ruleset(cls, rs) -> "HostRules":
        return cls(
            rs.host_require_current, rs.host_min_years, rs.host_min_title, rs.host_future_years,
            rs.host_min_title_primary,
        )

    def min_title_for(self, stage: str) -> str:
        if stage == SchoolStage.PRIMARY and self.min_title_primary:
            return self.min_title_primary
        return self.min_title


@dataclass(frozen=True)
class MemberRules:
    require_current: bool
    max_age: int
    min_years: int

    @classmethod
    def from_ruleset(cls, rs) -> "MemberRules":
        return cls(rs.member_require_current, rs.member_max_age, rs.member_min_years)


def _current(facts: TeacherFacts, required: bool) -> Criterion:
    if not required:
        return Criterion("在岗班主任", True, "学校设置不要求在岗班主任。")
    if facts.is_head_teacher:
        return Criterion("在岗班主任", True, "现任班主任。")
    return Criterion("在岗班主任", False, "须为在岗班主任，档案显示目前未担任班主任。")


def _ethics(facts: TeacherFacts) -> Criterion:
    if facts.has_ethics_violation:
        return Criterion("师德表现", False, "有经查实的师德违规记录，实行一票否决。")
    return Criterion("师德表现", True, "无经查实的师德违规记录。")


def host_eligibility(facts: TeacherFacts, rules: HostRules, *, commits_future_years: bool | None = None) -> Eligibility:
    """Hard criteria for a host applicant (DOMAIN.md §4): current head teacher,
    at least ``min_years`` as head teacher, title at least ``min_title``, a
    commitment to ``future_years`` more years, and the 师德 one-vote veto.
    ``commits_future_years=None`` leaves the commitment out (profile check
    before the form is filled)."""
    min_title = rules.min_title_for(facts.school_stage)
    differs = rules.min_title_primary not in (None, rules.min_title)
    stage_label = f"{SchoolStage(facts.school_stage).label}教师" if differs else ""
    min_title_label = Title(min_title).label
    title_label = Title(facts.title).label if facts.title in TITLE_RANK else "未知"
    criteria = [
        _current(facts, rules.require_current),
        Criterion(
            "班主任年限",
            facts.head_teacher_years >= rules.min_years,
            f"须担任班主任满 {rules.min_years} 年，档案记载 {facts.head_teacher_years} 年。",
        ),
        Criterion(
            "职称",
            TITLE_RANK.get(facts.title, -1) >= TITLE_RANK[min_title],
            f"{stage_label}须具有{min_title_label}及以上职称，档案记载为{title_label}。",
        ),
        _ethics(facts),
    ]
    if commits_future_years is not None:
        criteria.append(
            Criterion(
                "继续任职承诺",
                commits_future_years,
                f"须承诺任主持人后继续担任班主任不少于 {rules.future_years} 年"
                + ("，已承诺。" if commits_future_years else "，尚未承诺。"),
            )
        )
    return Eligibility(tuple(criteria))


def member_eligibility(facts: TeacherFacts, rules: MemberRules) -> Eligibility:
    """Criteria for a workroom member (DOMAIN.md §5): current head teacher,
    age at most ``max_age``, at least ``min_years`` as head teacher."""
    if facts.age is None:
        age = Criterion("年龄", False, f"档案缺少出生日期，无法核对年龄（上限 {rules.max_age} 周岁）。")
    else:
        age = Criterion(
            "年龄", facts.age <= rules.max_age, f"年龄须不超过 {rules.max_age} 周岁，档案记载 {facts.age} 周岁。"
        )
    return Eligibility(
        (
            _current(facts, rules.require_current),
            age,
            Criterion(
                "班主任年限",
                facts.head_teacher_years >= rules.min_years,
                f"须担任班主任满 {rules.min_years} 年，档案记载 {facts.head_teacher_years} 年。",
            ),
        )
    )


def facts_of(teacher, *, on: date, has_ethics_violation: bool) -> TeacherFacts:
    return TeacherFacts(
        is_head_teacher=teacher.is_head_teacher,
        head_teacher_years=teacher.head_teacher_years_on(on),
        title=teacher.title,
        age=teacher.age_on(on),
        has_ethics_violation=has_ethics_violation,
        school_stage=teacher.school.stage,
    )


PREFERRED_RECENT_YEARS = 5


def preferred_criteria(items, *, today: date) -> tuple[Criterion, ...]:
    """The 优先 criteria of a host applicant (DOMAIN.md §4): shown to
    reviewers, never blocking. ``items`` are the teacher's verified profile items
    (anything with ``kind``, ``title``, ``level``, ``year``, ``is_leader``).

    "The last 5 years" are the current calendar year and the four before it
    (in 2026: 2022–2026)."""
    Kind = ProfileItem.Kind
    first_recent_year = today.year - PREFERRED_RECENT_YEARS + 1
    municipal = LEVEL_RANK[Level.MUNICIPAL]

    def recent(i):
        return first_recent_year <= i.year <= today.year

    def municipal_or_above(i):
        return LEVEL_RANK.get(i.level, -1) >= municipal

    rules = [
        ("近5年竞赛获奖", lambda i: i.kind == Kind.COMPETITION and recent(i), f"{first_recent_year}年以来无竞赛获奖记录。"),
        ("市级以上先进班集体/优秀团支部", lambda i: i.kind == Kind.CLASS_AWARD and municipal_or_above(i), "无市级及以上先进班集体/优秀团支部。"),
        ("荣誉称号", lambda i: i.kind == Kind.HONOUR, "无荣誉称号记录。"),
        (
            "主持市级以上课题",
            lambda i: i.kind == Kind.RESEARCH and i.is_leader and municipal_or_above(i),
            "无本人主持的市级及以上课题。",
        ),
        ("近5年论文发表", lambda i: i.kind == Kind.PUBLICATION and recent(i), f"{first_recent_year}年以来无论文发表记录。"),
    ]
    items = list(items)
    result = []
    for label, matches, missing in rules:
        found = [i for i in items if matches(i)]
        if found:
            listed = "；".join(f"{i.title}（{Level(i.level).label}，{i.year}）" for i in found)
            result.append(Criterion(label, True, listed))
        else:
            result.append(Criterion(label, False, missing))
    return tuple(result)
