"""FilterSets of this app's own lists (certificates, jobs). The lists that
download as spreadsheets keep their FilterSet beside their page (e.g.
``workrooms.filters.WorkroomFilter``, ``members.filters.RosterFilter``) and
the export in ``archives.exports`` takes that very class."""

import django_filters
from django import forms
from django.db.models import Q

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
