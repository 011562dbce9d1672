"""Pure rules of DOMAIN.md §6/§7: semesters, reflection minimum, record
dates and the documents each research stage needs."""

from datetime import date

import pytest

from members.record_rules import missing_documents, record_date_error, reflection_error, reflection_length
from members.semesters import Semester, parse_semester, recent_semesters, semester_of


@pytest.mark.parametrize(
    "day, label",
    [
        (date(2026, 8, 31), "2025-2026学年第二学期"),
        (date(2026, 9, 1), "2026-2027学年第一学期"),
        (date(2026, 12, 31), "2026-2027学年第一学期"),
        (date(2027, 1, 31), "2026-2027学年第一学期"),
        (date(2027, 2, 1), "2026-2027学年第二学期"),
        (date(2027, 3, 15), "2026-2027学年第二学期"),
    ],
)
def test_it_finds_the_semester_of_a_day(day, label):
    assert semester_of(day).label == label


def test_it_gives_the_bounds_of_a_semester():
    autumn, spring = Semester(2026, 1), Semester(2026, 2)
    assert (autumn.start, autumn.end) == (date(2026, 9, 1), date(2027, 1, 31))
    assert (spring.start, spring.end) == (date(2027, 2, 1), date(2027, 8, 31))
    assert spring.previous() == autumn and autumn.previous() == Semester(2025, 2)


@pytest.mark.parametrize(
    "label, expected",
    [
        ("2026-2027学年第一学期", Semester(2026, 1)),
        ("2026-2027学年第二学期", Semester(2026, 2)),
        ("2026-2028学年第一学期", None),
        ("2026学年第一学期", None),
        ("", None),
    ],
)
def test_it_parses_semester_labels(label, expected):
    assert parse_semester(label) == expected


def test_it_lists_recent_semesters_newest_first():
    assert [s.label for s in recent_semesters(date(2027, 3, 1), 3)] == [
        "2026-2027学年第二学期", "2026-2027学年第一学期", "2025-2026学年第二学期",
    ]


@pytest.mark.parametrize(
    "text, minimum, error",
    [
        ("体" * 300, 300, None),
        ("体" * 299, 300, "还需 1 字"),
        ("  " + "体" * 299 + "\n\n ", 300, "目前 299 字"),
        ("", 300, "还需 300 字"),
        ("体" * 10, 10, None),
        ("体" * 9, 10, "至少需要 10 字"),
    ],
)
def test_it_counts_the_reflection_against_the_minimum(text, minimum, error):
    message = reflection_error(text, minimum)
    if error is None:
        assert message is None
    else:
        assert error in message


def test_it_counts_characters_of_the_stripped_text():
    assert reflection_length("  读书 使人 \n") == 5


@pytest.mark.parametrize(
    "day, error",
    [
        (date(2026, 9, 1), None),
        (date(2027, 1, 31), None),
        (date(2026, 8, 31), "不在所选学期内"),
        (date(2027, 2, 1), "不在所选学期内"),
        (date(2027, 1, 10), None),
    ],
)
def test_it_requires_the_date_within_the_semester(day, error):
    message = record_date_error(day, Semester(2026, 1), today=date(2027, 6, 1))
    assert (message is None) if error is None else (error in message)


def test_it_refuses_a_date_in_the_future():
    assert record_date_error(date(2026, 10, 2), Semester(2026, 1), today=date(2026, 10, 1)) == "日期不能晚于今天。"


@pytest.mark.parametrize(
    "stage, present, missing",
    [
        ("approval", [], ("方案",)),
        ("approval", ["plan"], ()),
        ("opening", ["plan"], ("措施",)),
        ("opening", ["measures", "plan"], ()),
        ("midterm", ["plan"], ("活动记录", "阶段总结")),
        ("midterm", ["activity_record", "stage_summary"], ()),
        ("conclusion", ["stage_summary"], ("结果分析",)),
        ("conclusion", ["stage_summary", "result_analysis", "plan"], ()),
    ],
)
def test_it_names_the_documents_a_stage_still_needs(stage, present, missing):
    assert missing_documents(stage, present) == missing
