"""FilterSets of the lists this app exports. Each export takes the same
FilterSet (and the same query string) as the list page it downloads."""

import django_filters
from django import forms
from django.db.models import Q

from members.models import Membership, School
from workrooms.models import Workroom

from .models import Certificate, Job


class StyledFilterSet(django_filters.FilterSet):
    """Filter forms with Bootstrap classes on their widgets."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form


class SearchFilterSet(StyledFilterSet):
    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label="搜索", method="search", widget=forms.TextInput(attrs={"placeholder": "搜索"}))

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        cond = Q()
        for field in self.search_fields:
            cond |= Q(**{f"{field}__icontains": value})
        return qs.filter(cond)


class WorkroomFilter(SearchFilterSet):
    search_fields = ("name", "host__name", "research_direction")
    status = django_filters.ChoiceFilter(label="状态", choices=Workroom.Status.choices, empty_label="全部状态")
    school = django_filters.ModelChoiceFilter(label="学校", queryset=School.objects.all(), empty_label="全部学校")

    class Meta:
        model = Workroom
        fields = ["q", "status", "school"]


class RosterFilter(SearchFilterSet):
    """花名册: the people of one workroom."""

    search_fields = ("teacher__name", "teacher__staff_no", "teacher__class_name")
    role = django_filters.ChoiceFilter(label="身份", choices=Membership.Role.choices, empty_label="全部身份")
    status = django_filters.ChoiceFilter(label="状态", choices=Membership.Status.choices, empty_label="全部状态")

    class Meta:
        model = Membership
        fields = ["q", "role", "status"]


class CertificateFilter(SearchFilterSet):
    search_fields = ("serial", "recipient_name", "workroom_name", "honour")
    kind = django_filters.ChoiceFilter(label="证书类型", choices=Certificate.Kind.choices, empty_label="全部类型")
    valid = django_filters.ChoiceFilter(
        label="状态", choices=[("yes", "有效"), ("no", "已撤销")], empty_label="全部", method="filter_valid"
    )

    class Meta:
        model = Certificate
        fields = ["q", "kind", "valid"]

    def filter_valid(self, qs, name, value):
        return qs.filter(revoked_at__isnull=value == "yes")


class JobFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=Job.Kind.choices, empty_label="全部类型")
    status = django_filters.ChoiceFilter(label="状态", choices=Job.Status.choices, empty_label="全部状态")

    class Meta:
        model = Job
        fields = ["kind", "status"]
