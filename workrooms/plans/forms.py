"""Forms and list filters of plans (DOMAIN.md §3, §5)."""

import django_filters
from django import forms

from core.calendar import school_today
from core.files import ACCEPT_ATTR, check_upload
from core.filters import StyledFilterSet, YesNoFilter
from core.forms import COMMENT_MAX_LENGTH
from core.sanitize import RICH_HELP, RichTextFormField
from workrooms.plans.models import DevelopmentPlan, SemesterRecord, Term, WorkroomPlan
from workrooms.plans.services import current_semester


class DevelopmentPlanForm(forms.ModelForm):
    class Meta:
        model = DevelopmentPlan
        fields = ["start_year", "overview", "goals_year1", "goals_year2", "goals_year3"]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in ["overview", "goals_year1", "goals_year2", "goals_year3"]}
        help_texts = {"overview": RICH_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # a new record's empty fields would hide the field defaults
            self.initial["start_year"] = school_today().year


class SemesterRecordForm(forms.ModelForm):
    class Meta:
        model = SemesterRecord
        fields = ["kind", "school_year", "term", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"body": RICH_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            year, term = current_semester(school_today())
            self.initial.update(school_year=year, term=term)

    def clean(self):
        data = super().clean()
        inst = self.instance
        if all(data.get(k) for k in ("kind", "school_year", "term")) and inst.membership_id:
            clash = SemesterRecord.objects.filter(
                membership_id=inst.membership_id, kind=data["kind"], school_year=data["school_year"], term=data["term"]
            ).exclude(pk=inst.pk)
            if clash.exists():
                raise forms.ValidationError("该学期的这一类记录已经填写过，请修改已有的记录。")
        return data


class HostCommentForm(forms.Form):
    host_comment = RichTextFormField(label="主持人点评", widget=forms.Textarea(attrs={"rows": 4}))


class DevelopmentPlanFilter(StyledFilterSet):
    search_fields = ("membership__teacher__name", "membership__workroom__name")
    q = django_filters.CharFilter(label="搜索成员/工作室", method="search")
    uncommented = YesNoFilter(label="待点评", field_name="commented_at", lookup_expr="isnull")

    class Meta:
        model = DevelopmentPlan
        fields = ["q", "start_year", "uncommented"]


class SemesterRecordFilter(StyledFilterSet):
    search_fields = ("membership__teacher__name", "membership__workroom__name")
    q = django_filters.CharFilter(label="搜索成员/工作室", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=SemesterRecord.Kind.choices)
    term = django_filters.ChoiceFilter(label="学期", choices=Term.choices)
    uncommented = YesNoFilter(label="待点评", field_name="commented_at", lookup_expr="isnull")

    class Meta:
        model = SemesterRecord
        fields = ["q", "kind", "school_year", "term", "uncommented"]


class PlanSubmitForm(forms.Form):
    kind = forms.ChoiceField(label="计划类别", choices=WorkroomPlan.Kind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    body = RichTextFormField(label="计划正文", required=False, help_text=RICH_HELP,
                             widget=forms.Textarea(attrs={"rows": 12}))
    file = forms.FileField(label="计划文件", required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = school_today().year

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload


class PlanDecisionForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


class PlanFilter(StyledFilterSet):
    search_fields = ("workroom__name",)
    q = django_filters.CharFilter(label="搜索工作室", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=WorkroomPlan.Kind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=WorkroomPlan.Status.choices)
    year = django_filters.NumberFilter(label="年度")

    class Meta:
        model = WorkroomPlan
        fields = ["q", "kind", "status", "year"]
