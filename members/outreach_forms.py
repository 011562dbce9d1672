"""Forms and list filters for member plans, mentoring and notifications."""

import django_filters
from django import forms
from django.utils import timezone

from config.filters import StyledFilterSet
from config.sanitize import RichTextFormField

from .models import (
    DevelopmentPlan, MentorComment, MentorPair, Notification, NotificationKind, SemesterRecord, Teacher, Term,
)
from .plans import current_semester

RICH_HELP = "可使用简单格式（段落、加粗、列表、链接）；脚本等不安全内容会被自动清除。"


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
            self.initial["start_year"] = timezone.localdate().year


class SemesterRecordForm(forms.ModelForm):
    class Meta:
        model = SemesterRecord
        fields = ["kind", "school_year", "term", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"body": RICH_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            year, term = current_semester(timezone.localdate())
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


class MentorPairForm(forms.Form):
    mentor = forms.ModelChoiceField(label="导师（本室成员）", queryset=Teacher.objects.none())
    trainee = forms.ModelChoiceField(label="学员", queryset=Teacher.objects.none())

    def __init__(self, *args, mentors, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["trainee"].queryset = trainees


class GuidanceRecordForm(forms.Form):
    date = forms.DateField(label="指导日期", widget=forms.DateInput(attrs={"type": "date"}))
    content = RichTextFormField(label="指导内容", widget=forms.Textarea(attrs={"rows": 5}), help_text=RICH_HELP)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("指导日期不能晚于今天。")
        return day


class MentorCommentForm(forms.ModelForm):
    class Meta:
        model = MentorComment
        fields = ["school_year", "term", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, term = current_semester(timezone.localdate())
        self.initial.update(school_year=year, term=term)

    def validate_unique(self):
        # A second comment for the same semester replaces the first.
        pass


class PreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="以下类别的通知同时发送邮件", choices=NotificationKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DevelopmentPlanFilter(StyledFilterSet):
    search_fields = ("membership__teacher__name", "membership__workroom__name")
    q = django_filters.CharFilter(label="搜索成员/工作室", method="search")
    uncommented = django_filters.BooleanFilter(label="待点评", field_name="commented_at", lookup_expr="isnull")

    class Meta:
        model = DevelopmentPlan
        fields = ["q", "start_year", "uncommented"]


class SemesterRecordFilter(StyledFilterSet):
    search_fields = ("membership__teacher__name", "membership__workroom__name")
    q = django_filters.CharFilter(label="搜索成员/工作室", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=SemesterRecord.Kind.choices)
    term = django_filters.ChoiceFilter(label="学期", choices=Term.choices)
    uncommented = django_filters.BooleanFilter(label="待点评", field_name="commented_at", lookup_expr="isnull")

    class Meta:
        model = SemesterRecord
        fields = ["q", "kind", "school_year", "term", "uncommented"]


class MentorPairFilter(StyledFilterSet):
    search_fields = ("mentor__name", "trainee__name")
    q = django_filters.CharFilter(label="搜索导师/学员", method="search")
    ended = django_filters.BooleanFilter(label="已结束", field_name="ended_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = MentorPair
        fields = ["q", "ended"]


class NotificationFilter(StyledFilterSet):
    search_fields = ("title",)
    q = django_filters.CharFilter(label="搜索", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=NotificationKind.choices)
    unread = django_filters.BooleanFilter(label="未读", field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["q", "kind", "unread"]
