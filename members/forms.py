import django_filters
from django import forms

from core.filters import StyledFilterSet, YesNoFilter
from core.models import Notification, NotificationKind
from members.selectors import user_display


class PersonChoiceField(forms.ModelChoiceField):
    """Users offered by name (the teacher's name, or a staff member's or
    expert's full name), never by login name; select ``teacher`` on the
    queryset."""

    def label_from_instance(self, obj):
        return user_display(obj)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several users offered by name, as ``PersonChoiceField``."""

    def label_from_instance(self, obj):
        return user_display(obj)


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
