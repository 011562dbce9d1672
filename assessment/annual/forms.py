"""The host's confirmation of an annual member assessment."""

from django import forms


class AnnualConfirmForm(forms.Form):
    comment = forms.CharField(
        label="主持人评语", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "请填写主持人评语。"}
    )
