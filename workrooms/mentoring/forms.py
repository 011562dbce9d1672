"""Forms and list filters of 导师制 (DOMAIN.md §5)."""

import django_filters
from django import forms

from core.calendar import school_today
from core.filters import StyledFilterSet, YesNoFilter
from core.sanitize import RICH_HELP, RichTextFormField
from members.models import Teacher
from workrooms.mentoring.models import MentorComment, MentorPair
from workrooms.plans.services import current_semester


class MentorPairForm(forms.Form):
    mentor = forms.ModelChoiceField(label="导师（本室成员）", queryset=Teacher.objects.none(), empty_label="请选择导师")
    trainee = forms.ModelChoiceField(label="学员", queryset=Teacher.objects.none(), empty_label="请选择学员")

    def __init__(self, *args, mentors, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["trainee"].queryset = trainees


class GuidanceRecordForm(forms.Form):
    date = forms.DateField(label="指导日期", widget=forms.DateInput(attrs={"type": "date"}))
    content = RichTextFormField(label="指导内容", widget=forms.Textarea(attrs={"rows": 5}), help_text=RICH_HELP)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > school_today():
            raise forms.ValidationError("指导日期不能晚于今天。")
        return day


class MentorCommentForm(forms.ModelForm):
    class Meta:
        model = MentorComment
        fields = ["school_year", "term", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, term = current_semester(school_today())
        self.initial.update(school_year=year, term=term)

    def validate_unique(self):
        # A second comment for the same semester replaces the first.
        pass


class MentorPairFilter(StyledFilterSet):
    search_fields = ("mentor__name", "trainee__name")
    q = django_filters.CharFilter(label="搜索导师/学员", method="search")
    ended = YesNoFilter(label="已结束", field_name="ended_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = MentorPair
        fields = ["q", "ended"]
