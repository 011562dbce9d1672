"""Forms of the two-way selection (DOMAIN.md §5)."""

from django import forms

from core.forms import COMMENT_MAX_LENGTH
from workrooms.selection.models import JoinRequest, MembershipChange


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "placeholder": "简述加入工作室的愿望与个人发展设想"})}


class CommentForm(forms.Form):
    """An answer or decision with an optional comment; the workflow refuses
    a missing comment where one is required (婉拒, 不予批准)."""

    comment = forms.CharField(label="意见", required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawalForm(forms.Form):
    text = forms.CharField(label="退出理由", widget=forms.Textarea(attrs={"rows": 4}))


class RemovalForm(forms.Form):
    reason = forms.ChoiceField(
        label="调整原因",
        choices=[(c.value, c.label) for c in MembershipChange.Reason if c != MembershipChange.Reason.WITHDRAW],
    )
    text = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 4}))
