"""Forms and list filters for plans, the public page, visitor messages and
outreach records."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from core.calendar import school_today
from core.filters import StyledFilterSet
from core.sanitize import RICH_HELP
from workrooms.models import OutreachRecord, ShowcaseSettings, VisitorMessage


class ShowcaseSettingsForm(forms.ModelForm):
    class Meta:
        model = ShowcaseSettings
        fields = ["is_published", "show_profile", "intro", "accept_messages"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"intro": RICH_HELP}


class VisitorMessageForm(forms.Form):
    name = forms.CharField(label="您的称呼", max_length=VisitorMessage.NAME_MAX)
    school = forms.CharField(label="所在学校/单位", max_length=VisitorMessage.SCHOOL_MAX, required=False)
    body = forms.CharField(
        label="留言内容", min_length=VisitorMessage.BODY_MIN, max_length=VisitorMessage.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": VisitorMessage.BODY_MAX}),
        help_text=f"{VisitorMessage.BODY_MIN}–{VisitorMessage.BODY_MAX} 字，经主持人审核后显示。",
    )
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label="网址（请留空）",
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class OutreachRecordForm(forms.ModelForm):
    class Meta:
        model = OutreachRecord
        fields = ["kind", "date", "audience", "topic", "hours", "notes", "is_public"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"notes": RICH_HELP}

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > school_today():
            raise ValidationError("日期不能晚于今天。")
        return day


class OutreachFilter(StyledFilterSet):
    search_fields = ("topic", "audience")
    q = django_filters.CharFilter(label="搜索主题/对象", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=OutreachRecord.Kind.choices)
    start = django_filters.DateFilter(label="起始日期", field_name="date", lookup_expr="gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    end = django_filters.DateFilter(label="截止日期", field_name="date", lookup_expr="lte",
                                    widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = OutreachRecord
        fields = ["q", "kind", "start", "end"]


class VisitorMessageFilter(StyledFilterSet):
    search_fields = ("name", "school", "body")
    q = django_filters.CharFilter(label="搜索", method="search")
    status = django_filters.ChoiceFilter(label="状态", choices=VisitorMessage.Status.choices)

    class Meta:
        model = VisitorMessage
        fields = ["q", "status"]
