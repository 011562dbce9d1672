"""Pure rules of DOMAIN.md §6/§7: reflection minimum, record
dates and the documents each research stage needs."""

from datetime import date

import pytest

from core.calendar import semester
from workrooms.records.rules import (
    missing_documents,
    record_date_error,
    reflection_error,
    reflection_length,
)


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
    message = record_date_error(day, semester(2026, 1), today=date(2027, 6, 1))
    assert (message is None) if error is None else (error in message)


def test_it_refuses_a_date_in_the_future():
    assert record_date_error(date(2026, 10, 2), semester(2026, 1), today=date(2026, 10, 1)) == "日期不能晚于今天。"


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
