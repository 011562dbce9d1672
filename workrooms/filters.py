"""FilterSets of the workroom and application lists (search + filters)."""

import django_filters

from core.filters import StyledFilterSet
from members.filters import DepartmentFilter
from members.models import School
from workrooms.models import HostApplication, RuleSet, Workroom


class ApplicationFilter(StyledFilterSet):
    search_fields = ("applicant__name", "research_direction")
    q = django_filters.CharFilter(method="search", label="搜索", help_text="申报人姓名或研究方向")
    status = django_filters.ChoiceFilter(choices=HostApplication.Status.choices, label="状态", empty_label="全部状态")
    department = DepartmentFilter(
        field_name="applicant__department", label="系部", empty_label="全部系部"
    )

    class Meta:
        model = HostApplication
        fields = ["q", "status", "department"]


class WorkroomFilter(StyledFilterSet):
    search_fields = ("name", "host__name", "research_direction")
    q = django_filters.CharFilter(method="search", label="搜索", help_text="工作室名称、主持人或研究方向")
    status = django_filters.ChoiceFilter(choices=Workroom.Status.choices, label="状态", empty_label="全部状态")
    school = django_filters.ModelChoiceFilter(queryset=School.objects.all(), label="学校", empty_label="全部学校")

    class Meta:
        model = Workroom
        fields = ["q", "status", "school"]


class RuleSetFilter(StyledFilterSet):
    q = django_filters.CharFilter(field_name="change_note", lookup_expr="icontains", label="修改说明")

    class Meta:
        model = RuleSet
        fields = ["q"]
