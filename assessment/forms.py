"""Forms of the assessment app; every message in Chinese."""

from decimal import Decimal

from django import forms

from assessment.models import (
    BonusAward,
    ClassConditions,
    Period,
    PeriodObjection,
    SubstituteCover,
    VetoCase,
)
from assessment.rules.evaluation import rubric_items
from assessment.rules.member import DIMENSIONS
from core.files import ACCEPT_ATTR, check_upload
from core.forms import COMMENT_MAX_LENGTH, name_empty_choices
from members.forms import PersonMultipleChoiceField
from members.models import Teacher


def score_field(*, label: str, maximum: Decimal, disabled: bool = False, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        disabled=disabled,
        min_value=Decimal("0"),
        max_value=maximum,
        max_digits=4,
        decimal_places=1,
        error_messages={
            "required": "请填写分数。",
            "invalid": "请输入数字。",
            "min_value": "不能小于 0。",
            "max_value": f"不能超过 {maximum}。",
            "max_digits": "分数位数过多。",
            "max_decimal_places": "最多保留一位小数。",
            "max_whole_digits": f"不能超过 {maximum}。",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "form-control form-control-sm"}),
    )


class GridForm(forms.Form):
    """One month of a 年级部: two score cells per head teacher. Cells the user
    may not enter are shown but disabled (their values are kept)."""

    def __init__(self, *args, rows, may_dept: bool, may_office: bool, full_mark: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            t, s = row["teacher"], row["score"]
            self.fields[f"dept_{t.pk}"] = score_field(label=f"{t.name} 年级部检查", maximum=full_mark, disabled=not may_dept)
            self.fields[f"office_{t.pk}"] = score_field(label=f"{t.name} 德育处抽查", maximum=full_mark, disabled=not may_office)
            self.initial[f"dept_{t.pk}"] = s.dept_score if s else None
            self.initial[f"office_{t.pk}"] = s.office_score if s else None
            row["fields"] = (self[f"dept_{t.pk}"], self[f"office_{t.pk}"])
        self.fields["reason"] = forms.CharField(
            label="修改原因", max_length=100, required=False, help_text="更改已录入的成绩时必填，记入修改记录。",
        )

    def values(self) -> dict:
        return {
            row["teacher"].pk: {
                "dept": self.cleaned_data[f"dept_{row['teacher'].pk}"],
                "office": self.cleaned_data[f"office_{row['teacher'].pk}"],
            }
            for row in self.rows
        }


class WeeklyGridForm(forms.Form):
    """One month of a 年级部 by week: a 年级部检查 cell per head teacher and
    school week; the month's figure is their sum (§9.1)."""

    def __init__(self, *args, rows, weeks, may_enter: bool, full_mark: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.weeks, self.full_mark = rows, weeks, full_mark
        for row in rows:
            t = row["teacher"]
            names = []
            for monday, sunday in weeks:
                name = f"w_{t.pk}_{monday:%Y%m%d}"
                label = f"{t.name} {monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日 年级部检查"
                self.fields[name] = score_field(label=label, maximum=full_mark, disabled=not may_enter)
                self.initial[name] = row["weeks"].get(monday)
                names.append(name)
            row["week_fields"] = [self[n] for n in names]
        self.fields["reason"] = forms.CharField(
            label="修改原因", max_length=100, required=False, help_text="更改已录入的月成绩时必填，记入修改记录。",
        )

    def _week_values(self, teacher) -> dict:
        return {monday: self.cleaned_data.get(f"w_{teacher.pk}_{monday:%Y%m%d}") for monday, _ in self.weeks}

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            t = row["teacher"]
            entered = [v for v in self._week_values(t).values() if v is not None]
            if entered and sum(entered) > self.full_mark:
                self.add_error(
                    None, f"{t.name}：各周合计 {sum(entered)} 分，超过月考核满分 {self.full_mark}（月成绩为各周之和）。"
                )
        return cleaned

    def values(self) -> dict:
        return {row["teacher"].pk: self._week_values(row["teacher"]) for row in self.rows}


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Period.Kind.choices)
    school_year = forms.IntegerField(label="学年（起始年份）", min_value=2000, max_value=2100, help_text="如 2025 表示 2025–2026 学年")
    semester = forms.TypedChoiceField(label="学期", choices=[("", "—"), (1, "第一学期"), (2, "第二学期")], coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(
        label="月份", choices=[("", "—")] + [(m, f"{m}月") for m in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)],
        coerce=int, required=False, empty_value=None,
    )


class VetoForm(forms.ModelForm):
    evidence_file = forms.FileField(label="证明材料", required=False)

    class Meta:
        model = VetoCase
        fields = ["period", "teacher", "kind", "description"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(school=school, kind=Period.Kind.MONTH, status=Period.Status.OPEN)
        self.fields["teacher"].queryset = Teacher.objects.filter(school=school, is_head_teacher=True).order_by("staff_no")
        name_empty_choices(self, period="请选择考核月", teacher="请选择教师", kind="请选择情形")


class BonusAwardForm(forms.ModelForm):
    class Meta:
        model = BonusAward
        fields = ["teacher", "school_year", "semester", "category", "event", "level", "description"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = Teacher.objects.filter(school=school, is_head_teacher=True).order_by("staff_no")
        name_empty_choices(self, teacher="请选择教师", semester="请选择学期", category="请选择类别", level="请选择级别")


class ClassConditionsForm(forms.ModelForm):
    class Meta:
        model = ClassConditions
        fields = [
            "teacher", "school_year", "semester", "student_commended", "urgent_tasks", "student_prizes",
            "class_team_prize", "core_pass_rate", "core_excellence_rate", "other_pass_rate", "test_score",
        ]
        help_texts = {"core_pass_rate": "以小数表示，1 即 100%"}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = Teacher.objects.filter(school=school, is_head_teacher=True).order_by("staff_no")
        self.fields["teacher"].empty_label = "请选择教师"

    def clean(self):
        """Saving the same class and semester again updates its record."""
        data = super().clean()
        keys = {k: data.get(k) for k in ("teacher", "school_year", "semester")}
        if None not in keys.values():
            self.instance = ClassConditions.objects.filter(**keys).first() or self.instance
        return data


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = PeriodObjection
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "请填写异议内容。"}}


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写答复内容。"})
    upheld = forms.BooleanField(label="异议成立（需要更正结果）", required=False)


class ReasonForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    # Computing or publishing while scores are missing asks for this first (§12).
    confirm_missing = forms.BooleanField(label="已核对缺少的成绩，仍要继续", required=False)


class MemberAssessmentForm(forms.Form):
    comment = forms.CharField(label="评语", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in reversed(DIMENSIONS):
            self.fields[code] = score_field(label=f"{label}（0–20）", maximum=Decimal("20"), required=True)
        self.fields["reason"] = forms.CharField(
            label="修改原因", max_length=100, required=False, help_text="修改已保存的考核分数时必填，记入修改记录。",
        )
        self.order_fields([code for code, _ in DIMENSIONS] + ["comment", "reason"])


class ExpertScoreForm(forms.Form):
    """One expert's sheet: every third-level item, 0–100."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = rubric_items()
        for item in self.items:
            self.fields[item.code] = score_field(label=f"{item.code} {item.text}", maximum=Decimal("100"), required=True)

    def rows(self):
        return [(item, self[item.code]) for item in self.items]


class EvaluationOpenForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("midterm", "中期评估"), ("final", "终期评估")])

    def __init__(self, *args, workrooms, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workroom"] = forms.ModelChoiceField(label="工作室", queryset=workrooms, empty_label="请选择工作室", error_messages={"required": "请选择工作室。"})
        self.fields["experts"] = PersonMultipleChoiceField(
            label="评估专家", queryset=experts, widget=forms.CheckboxSelectMultiple, error_messages={"required": "请至少指定一位专家。"}
        )
        self.order_fields(["workroom", "kind", "experts"])


class CoverForm(forms.ModelForm):
    class Meta:
        model = SubstituteCover
        fields = ["teacher", "substitute", "days"]
        error_messages = {"days": {"min_value": "代班天数至少 1 天。", "max_value": "代班天数不能超过 31 天。", "required": "请填写代班天数。"}}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = Teacher.objects.filter(school=school, is_head_teacher=True).order_by("staff_no")
        self.fields["teacher"].empty_label = "请选择教师"
        self.fields["substitute"].queryset = Teacher.objects.filter(school=school).order_by("staff_no")
        self.fields["substitute"].empty_label = "请选择代班教师"


# --- honours (§9.1, §9.4, §9.5) ------------------------------------------------------------


class ClassTitleForm(forms.Form):
    """A grade department names one class 优秀班级 (week) or 窗口班级 (month)."""

    department = forms.ModelChoiceField(label="年级部", queryset=None, empty_label="请选择年级部", error_messages={"required": "请选择年级部。"})
    kind = forms.ChoiceField(label="称号", choices=[("excellent", "优秀班级（每周）"), ("window", "窗口班级（每月）")])
    day = forms.DateField(
        label="日期", help_text="所评的周或月中的任意一天：优秀班级按该日所在周，窗口班级按该日所在月。",
        widget=forms.DateInput(attrs={"type": "date"}), error_messages={"required": "请填写日期。", "invalid": "请输入正确的日期。"},
    )
    teacher = forms.ModelChoiceField(label="班级", queryset=None, empty_label="请选择班级", error_messages={"required": "请选择班级。"})

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["teacher"].queryset = (
            Teacher.objects.filter(department__in=departments, is_head_teacher=True).exclude(class_name="")
            .select_related("department").order_by("department__name", "class_name", "staff_no")
        )
        self.fields["teacher"].label_from_instance = lambda t: f"{t.class_name} · 班主任{t.name}（{t.department.name}）"


class EvaluationReportForm(forms.Form):
    """自评报告 of a workroom evaluation: one file, checked by ``core.files``."""

    upload = forms.FileField(
        label="自评报告",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
        help_text="PDF、Word 等文件，不超过 20 MB；重新上传会保留以前的版本。",
        error_messages={"required": "请选择自评报告文件。"},
    )

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        check_upload(upload)
        return upload


class HostVetoForm(forms.Form):
    reason = forms.CharField(
        label="情况说明", widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), max_length=COMMENT_MAX_LENGTH,
        help_text="主持人未完成目标任务或搞形式主义的具体情况。", error_messages={"required": "请填写情况说明。"},
    )


class EthicsVetoForm(forms.Form):
    occurred_on = forms.DateField(
        label="发生日期", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写发生日期。", "invalid": "请输入正确的日期。"},
    )
    description = forms.CharField(
        label="查实情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=COMMENT_MAX_LENGTH, error_messages={"required": "请填写查实情况。"},
    )
