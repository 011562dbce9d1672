from django import forms

from archives.models import Certificate
from core.calendar import school_today, school_year_start
from workrooms.models import Workroom


class IssueStartForm(forms.Form):
    workroom = forms.ModelChoiceField(
        label="工作室", queryset=Workroom.objects.select_related("host").order_by("name"), empty_label="请选择工作室"
    )
    kind = forms.ChoiceField(label="证书类型", choices=[(k.value, k.label) for k in Certificate.BATCH_KINDS])


class IssueConfirmForm(forms.Form):
    """Who gets the certificate: everyone who qualifies, or those the office
    ticks for a 荣誉证书."""

    recipients = forms.TypedMultipleChoiceField(
        label="获证人", coerce=int, widget=forms.CheckboxSelectMultiple, error_messages={"required": "请至少选择一人。"}
    )
    honour = forms.CharField(label="荣誉称号", max_length=100, required=False, help_text="如「优秀学员」「优秀主持人」")

    def __init__(self, *args, candidates, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["recipients"].choices = [
            (m.teacher_id, f"{m.teacher.name}（{m.get_role_display()}，{m.get_status_display()}）") for m in candidates
        ]
        self.fields["recipients"].initial = [m.teacher_id for m in candidates]
        if kind != Certificate.Kind.HONOUR:
            del self.fields["honour"]

    def clean_honour(self):
        value = self.cleaned_data.get("honour", "").strip()
        if self.kind == Certificate.Kind.HONOUR and not value:
            raise forms.ValidationError("荣誉证书须填写荣誉称号。")
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class VerifyForm(forms.Form):
    serial = forms.CharField(label="证书编号", max_length=30)
    code = forms.CharField(label="验证码", max_length=20, help_text="印在证书二维码下方验证地址的最后一段")

    def clean_serial(self):
        return self.cleaned_data["serial"].strip().upper()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class ReportYearForm(forms.Form):
    """The school year (学年, DOMAIN.md §6) an annual report covers, by the
    calendar year it starts in: 2025 is 2025-2026学年."""

    year = forms.IntegerField(
        label="学年", min_value=2000, max_value=2100, help_text="填学年起始年份，如 2025 表示 2025-2026学年"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = school_year_start(school_today())
