"""An activity's title names its type once (阶段汇报会：…, never 阶段汇报会：阶段汇报会：…)."""

import pytest

from workrooms.models import Activity, ActivityType


@pytest.mark.parametrize(
    "theme, title",
    [
        ("班级文化建设", "阶段汇报会：班级文化建设"),
        ("阶段汇报会：班级文化建设", "阶段汇报会：班级文化建设"),
        ("阶段汇报会", "阶段汇报会"),
    ],
)
def test_the_type_is_named_once(theme, title):
    activity = Activity(type=ActivityType.PROGRESS, theme=theme)
    assert activity.get_type_display() == "阶段汇报会"
    assert activity.title == title
