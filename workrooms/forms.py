"""Forms of the workrooms app (crispy, Bootstrap 5)."""

import json
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError

from core.files import ACCEPT_ATTR, check_upload
from core.forms import COMMENT_MAX_LENGTH
from members.forms import PersonMultipleChoiceField
from workrooms.models import ExpertReview, HostApplication, Objection, RuleSet
from workrooms.selectors import expert_users


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked by ``core.files``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if self.required and not files:
            raise ValidationError("请上传文件。")
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as e:
                errors.append(f"{upload.name}：{e.messages[0]}")
        if errors:
            raise ValidationError(errors)
        return files


class ApplicationForm(forms.ModelForm):
    attachments = MultipleFileField(
        label="证明材料", help_text="可一次选择多个文件：PDF、图片、Office 文档或 ZIP，每个不超过 20 MB。"
    )

    class Meta:
        model = HostApplication
        fields = ["research_direction", "plan_summary", "achievements_summary", "commits_future_years"]
        widgets = {
            "plan_summary": forms.Textarea(attrs={"rows": 5}),
            "achievements_summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, ruleset: RuleSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commits_future_years"].label = (
            f"本人承诺：任工作室主持人后继续担任班主任不少于 {ruleset.host_future_years} 年"
        )


class TransitionForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    experts = PersonMultipleChoiceField(
        label="评审专家", queryset=expert_users(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class ExpertReviewForm(forms.ModelForm):
    class Meta:
        model = ExpertReview
        fields = ["score", "recommend", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"score": "0–100 分"}


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class ObjectionAnswerForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True


def _fields_starting(*prefixes) -> list[str]:
    return [f.name for f in RuleSet._meta.fields if f.name.startswith(prefixes)]


# 学校设置 grouped by the DOMAIN.md section each value belongs to.
SETTINGS_SECTIONS = [
    (
        "工作室（建设周期、规模、经费、公示）",
        ["cycle_years", "max_hosts", "max_members", "own_school_max_share", "max_active_memberships",
         "annual_funding", "public_notice_days", "public_notice_scope"],
    ),
    ("主持人申报条件", _fields_starting("host_")),
    ("成员条件与管理", _fields_starting("member_require", "member_max", "member_min", "mentees", "absence")),
    ("活动与研修任务", [*_fields_starting("duty_"), "reflection_min_chars", "activity_max_training_hours"]),
    ("继续教育学分与培训合格证书", ["training_hours_per_credit", "certificate_training_hours"]),
    (
        "班主任考核",
        ["assessment_scheme", *_fields_starting("monthly_"), "allowance_months_per_year", *_fields_starting("alt_")],
    ),
    (
        "加分与优秀班队评选",
        [*_fields_starting("bonus_"), "excellent_top_n", "excellent_min_conditions", "model_top_n",
         "model_rate_grades_1_2", "model_rate_grades_3_4", "model_rate_grades_5_6",
         "excellent_classes_per_week", "window_classes_per_month"],
    ),
    ("成员考核与工作室评估", ["member_grades", "member_excellent_min", "member_pass_min", *_fields_starting("evaluation_")]),
]
SETTINGS_FIELDS = [name for _, names in SETTINGS_SECTIONS for name in names if name != "evaluation_rubric"]


class RuleSetForm(forms.ModelForm):
    """Edits the settings in force; saving makes the next version."""

    change_note = forms.CharField(label="修改说明", max_length=200, help_text="说明本次修改的内容与依据（必填）。")

    class Meta:
        model = RuleSet
        fields = SETTINGS_FIELDS

    def __init__(self, *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *[
                Fieldset(title, Div(*[Div(n, css_class="col-md-4") for n in names if n in self.fields], css_class="row"))
                for title, names in SETTINGS_SECTIONS
            ],
            Fieldset("本次修改", "change_note"),
        )
        if read_only:
            for field in self.fields.values():
                field.disabled = True
            self.helper.layout.pop()  # no change note to write
        else:
            self.helper.add_input(Submit("save", "保存为新版本"))

    def clean(self):
        cleaned = super().clean()
        if not self.has_changed() or self.changed_data == ["change_note"]:
            raise ValidationError("没有修改任何设置。")
        return cleaned


def _setting_shown(ruleset: RuleSet, name: str) -> str:
    field = RuleSet._meta.get_field(name)
    value = getattr(ruleset, name)
    if field.choices:
        return str(getattr(ruleset, f"get_{name}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else "（默认指标体系）"
    return "—" if value in (None, "") else str(value)


class SettingsCompareForm(forms.Form):
    """Two settings versions to compare field by field (DOMAIN.md §12)."""

    old = forms.ModelChoiceField(label="版本", queryset=RuleSet.objects.order_by("-version"), to_field_name="version",
                                 error_messages={"invalid_choice": "没有这个版本。"})
    new = forms.ModelChoiceField(label="与版本", queryset=RuleSet.objects.order_by("-version"), to_field_name="version",
                                 error_messages={"invalid_choice": "没有这个版本。"})
    only_changed = forms.BooleanField(label="只显示不同的设置", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].label_from_instance = lambda rs: f"第 {rs.version} 版（{rs.created_at:%Y-%m-%d}）"

    def rows(self) -> list[tuple[str, list[tuple[str, str, str, bool]]]]:
        """(section, [(label, old value, new value, changed)]) in the order of
        the settings page; the evaluation rubric last."""
        old, new = self.cleaned_data["old"], self.cleaned_data["new"]
        only_changed = self.cleaned_data["only_changed"]
        out = []
        for title, names in SETTINGS_SECTIONS:
            rows = []
            for name in names:
                before, after = _setting_shown(old, name), _setting_shown(new, name)
                if only_changed and before == after:
                    continue
                rows.append((str(RuleSet._meta.get_field(name).verbose_name), before, after, before != after))
            if rows:
                out.append((title, rows))
        return out
