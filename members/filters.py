import django_filters

from core.filters import StyledFilterSet, YesNoFilter
from members.choices import Title
from members.models import Department, School, Teacher


class TeacherFilter(StyledFilterSet):
    """教师名录; its export downloads the same rows (``core.xlsx``)."""

    search_fields = ("name", "staff_no")
    q = django_filters.CharFilter(label="姓名/工号", method="search")
    school = django_filters.ModelChoiceFilter(label="学校", queryset=School.objects.all(), empty_label="全部")
    department = django_filters.ModelChoiceFilter(
        label="系部/年级部", queryset=Department.objects.select_related("school"), empty_label="全部"
    )
    title = django_filters.ChoiceFilter(label="职称", choices=Title.choices, empty_label="全部")
    is_head_teacher = YesNoFilter(label="在岗班主任")

    class Meta:
        model = Teacher
        fields = ["q", "school", "department", "title", "is_head_teacher"]


