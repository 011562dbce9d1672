"""FilterSets of this app's own lists (certificates, jobs). The lists that
download as spreadsheets keep their FilterSet beside their page (e.g.
``workrooms.filters.WorkroomFilter``, ``workrooms.selection.filters.RosterFilter``) and
the export in ``core.xlsx`` takes that very class."""

import django_filters
from django import forms

from archives.models import Certificate, Job
from core.filters import StyledFilterSet


class CertificateFilter(StyledFilterSet):
    search_fields = ("serial", "recipient_name", "workroom_name", "honour")
    q = django_filters.CharFilter(label="搜索", method="search", widget=forms.TextInput(attrs={"placeholder": "搜索"}))
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
