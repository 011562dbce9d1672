"""The filters of the annual member assessment list and its export."""

import django_filters

from assessment.filters import TEACHER_SEARCH, CompactFilterSet
from assessment.models import AnnualMemberAssessment

GRADES = [(g, g) for g in ("优秀", "合格", "良好", "不合格")]


class AnnualMemberFilter(CompactFilterSet):
    search_fields = tuple(f"membership__{f}" for f in TEACHER_SEARCH)
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    workroom = django_filters.CharFilter(label="工作室", field_name="membership__workroom__name", lookup_expr="icontains")
    grade = django_filters.ChoiceFilter(label="等级", choices=GRADES, empty_label="全部等级")
    status = django_filters.ChoiceFilter(
        label="状态", choices=AnnualMemberAssessment.Status.choices, empty_label="全部状态"
    )

    class Meta:
        model = AnnualMemberAssessment
        fields = ["q", "workroom", "grade", "status"]
