"""FilterSets of this app's own lists (certificates, jobs). The lists that
download as spreadsheets keep their FilterSet beside their page (e.g.
``workrooms.filters.WorkroomFilter``, ``workrooms.selection.filters.RosterFilter``) and
the export in ``core.xlsx`` takes that very class."""

import django_filters
from django import forms
from django.http import QueryDict

from archives.models import Certificate, Job
from archives.selectors import in_school_year
from core.calendar import Period, school_today, school_year, school_year_start, year_label
from core.filters import StyledFilterSet
from members.roles import roles_of
from workrooms.models import Workroom
from workrooms.selection.models import Membership

# How many school years back the credits ledger offers.
CREDIT_YEARS = 10


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


class CreditFilter(StyledFilterSet):
    """继续教育学分台账: one school year (the current one unless another is
    chosen), a workroom, a name or staff number. The page, its platform
    spreadsheet and any job rebuilding it read the year from here."""

    search_fields = ("teacher__name", "teacher__staff_no")
    year = django_filters.ChoiceFilter(label="学年", method="filter_year", empty_label=None)
    workroom = django_filters.ModelChoiceFilter(
        label="工作室", queryset=Workroom.objects.none(), empty_label="全部工作室"
    )
    q = django_filters.CharFilter(
        label="姓名", method="search", widget=forms.TextInput(attrs={"placeholder": "姓名或工号"})
    )

    class Meta:
        model = Membership
        fields = ["year", "workroom", "q"]

    def __init__(self, data=None, *args, user, **kwargs):
        current = school_year_start(school_today())
        self.year_choices = [(str(y), year_label(y)) for y in range(current, current - CREDIT_YEARS, -1)]
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("year") not in {code for code, _ in self.year_choices}:
            data["year"] = str(current)  # no year, or one not offered: the current school year
        super().__init__(data, *args, **kwargs)
        self.filters["year"].extra["choices"] = self.year_choices
        r = roles_of(user)
        workrooms = Workroom.objects.order_by("name", "id")
        if not r.sees_everything:
            teacher_id = r.teacher.pk if r.teacher else None
            workrooms = workrooms.filter(memberships__teacher_id=teacher_id).distinct()
        self.filters["workroom"].queryset = workrooms

    @property
    def period(self) -> Period:
        """The chosen school year, by the school calendar (DOMAIN.md §11)."""
        return school_year(int(self.data["year"]))

    def filter_year(self, qs, name, value):
        return in_school_year(qs, self.period)
