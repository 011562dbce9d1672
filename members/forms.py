import django_filters
from django import forms

from core.filters import StyledFilterSet, YesNoFilter
from core.models import Notification, NotificationKind


class PreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="以下类别的通知同时发送邮件", choices=NotificationKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NotificationFilter(StyledFilterSet):
    search_fields = ("title",)
    q = django_filters.CharFilter(label="搜索", method="search")
    kind = django_filters.ChoiceFilter(label="类别", choices=NotificationKind.choices)
    unread = YesNoFilter(label="未读", field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["q", "kind", "unread"]
