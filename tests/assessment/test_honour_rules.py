"""The honours rules (DOMAIN.md §9.1, §9.4, §9.5) as tables: no database."""

from datetime import date

import pytest

from archives.rules import Candidate, qualifies
from assessment.rules.honours import (
    ClassTitleCase,
    OutstandingCase,
    class_title_refusal,
    cycle_extension_refusal,
    outstanding_member_refusal,
    period_label,
    period_start,
)


@pytest.mark.parametrize(
    "kind, day, start, label",
    [
        ("excellent", date(2025, 10, 20), date(2025, 10, 20), "2025年10月20日—10月26日"),  # a Monday
        ("excellent", date(2025, 10, 26), date(2025, 10, 20), "2025年10月20日—10月26日"),  # its Sunday
        ("excellent", date(2025, 12, 31), date(2025, 12, 29), "2025年12月29日—2026年1月4日"),  # across the new year
        ("window", date(2025, 10, 31), date(2025, 10, 1), "2025年10月"),
        ("window", date(2024, 2, 29), date(2024, 2, 1), "2024年2月"),
    ],
)
def test_it_places_a_day_in_its_week_or_month(kind, day, start, label):
    assert period_start(kind, day) == start
    assert period_label(kind, start) == label


def _class(**changes) -> ClassTitleCase:
    base = dict(
        kind="excellent", period="2025年10月20日—10月26日", department="高一年级部", head_teacher="周敏",
        class_name="高一（3）班", is_head_teacher=True, in_department=True, starts_in_future=False,
        already_named=False, named_so_far=0, limit=3,
    )
    return ClassTitleCase(**(base | changes))


@pytest.mark.parametrize(
    "changes, refused",
    [
        ({}, None),
        ({"named_so_far": 2}, None),  # the third of the week
        ({"named_so_far": 3}, "高一年级部2025年10月20日—10月26日已评出 3 个优秀班级，每周最多 3 个。"),
        ({"kind": "window", "period": "2025年10月", "limit": 1}, None),
        ({"kind": "window", "period": "2025年10月", "limit": 1, "named_so_far": 1}, "高一年级部2025年10月已评出 1 个窗口班级，每月最多 1 个。"),
        ({"limit": 4, "named_so_far": 3}, None),  # a school that allows four a week
        ({"in_department": False}, "高一（3）班（班主任周敏）不属于高一年级部，只能评选本年级部的班级。"),
        ({"is_head_teacher": False}, "周敏不是在岗班主任，没有可评选的班级。"),
        ({"class_name": ""}, "周敏不是在岗班主任，没有可评选的班级。"),
        ({"starts_in_future": True}, "2025年10月20日—10月26日尚未开始，不能提前评选优秀班级。"),
        ({"already_named": True, "named_so_far": 1}, "高一（3）班已是2025年10月20日—10月26日的优秀班级。"),
        ({"veto": "师德一票否决"}, "周敏已被荣誉一票否决（师德一票否决），其班级不能评为优秀班级。"),
    ],
)
def test_it_decides_whether_a_class_may_be_named(changes, refused):
    assert class_title_refusal(_class(**changes)) == refused


def _member(**changes) -> OutstandingCase:
    base = dict(member="张昇", semester="2025–2026学年第一学期", grade="优秀", is_current_member=True)
    return OutstandingCase(**(base | changes))


@pytest.mark.parametrize(
    "changes, refused",
    [
        ({}, None),
        ({"grade": "合格"}, "张昇2025–2026学年第一学期成员考核为合格，优秀工作室成员只能从考核优秀的成员中评选。"),
        ({"grade": "良好"}, "张昇2025–2026学年第一学期成员考核为良好，优秀工作室成员只能从考核优秀的成员中评选。"),
        ({"grade": ""}, "张昇2025–2026学年第一学期成员考核为未考核，优秀工作室成员只能从考核优秀的成员中评选。"),
        ({"named_already": "李堃"}, "本工作室2025–2026学年第一学期已评出优秀工作室成员（李堃），每学期只能评选一名。"),
        ({"named_already": "张昇"}, "本工作室2025–2026学年第一学期已评出优秀工作室成员（张昇），每学期只能评选一名。"),
        ({"is_current_member": False}, "张昇已不在本工作室，不能评为优秀工作室成员。"),
        ({"veto": "师德一票否决"}, "张昇已被荣誉一票否决（师德一票否决），不能评为优秀工作室成员。"),
    ],
)
def test_it_decides_whether_a_member_may_be_named(changes, refused):
    assert outstanding_member_refusal(_member(**changes)) == refused


@pytest.mark.parametrize(
    "grade, extended, allowed",
    [("优秀", False, True), ("优秀", True, False), ("合格", False, False), ("不合格", False, False), (None, False, False)],
)
def test_only_an_excellent_final_extends_the_cycle_once(grade, extended, allowed):
    refusal = cycle_extension_refusal(final_grade=grade, already_extended=extended)
    assert (refusal is None) is allowed
    if grade == "合格":
        assert refusal == "该工作室终期评估为合格；只有终期评估为优秀的工作室可以延长建设周期。"


@pytest.mark.parametrize(
    "kind, role, vetoed, expected",
    [
        ("title", "host", False, True),
        ("title", "host", True, False),
        ("honour", "member", True, False),
        ("honour", "host", True, False),
        ("training", "member", True, True),  # training done is not an honour
    ],
)
def test_a_veto_from_honours_takes_away_title_and_honour_certificates(kind, role, vetoed, expected):
    c = Candidate(kind=kind, workroom_status="completed", role=role, membership_status="active", honours_vetoed=vetoed)
    assert qualifies(c) is expected
