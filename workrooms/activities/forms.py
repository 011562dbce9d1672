"""Forms of activities, sign-in and funding. They parse input only; rules
live in the services (workrooms.activities, workrooms.funding)."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone

from core.calendar import school_today
from core.files import ACCEPT_ATTR
from core.forms import COMMENT_MAX_LENGTH
from members.models import Teacher
from workrooms.activities.services import ACTIVITY_FIELDS
from workrooms.models import Activity, ActivityMode, Attendance, Expense, LessonObservation
from workrooms.records.models import ResearchProject
from workrooms.selection.models import Membership


def workroom_teachers(workroom):
    ids = Membership.objects.current().filter(workroom=workroom).values("teacher_id")
    return Teacher.objects.filter(pk__in=ids).order_by("name")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "training_hours": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
        }
        error_messages = {"training_hours": {"min_value": "培训课时不能为负数。"}}

    def __init__(self, *args, workroom, **kwargs):
        super().__init__(*args, **kwargs)
        teachers = workroom_teachers(workroom)
        self.fields["speaker"].queryset = teachers
        self.fields["recorder"].queryset = teachers
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        # 线下 unless the host says otherwise (§6: the monthly regular meeting is held in person).
        self.fields["mode"].required = False
        self.fields["mode"].help_text = "例会在学校设置的日子线下召开（默认每月第一个星期三下午），其余各周的交流研讨为线上。"

    def clean_mode(self):
        return self.cleaned_data.get("mode") or ActivityMode.IN_PERSON

    def _post_clean(self):
        # Model validation runs in the service, which also applies the
        # planning rule; here we only collect the values.
        pass


class ActivityFileForm(forms.Form):
    file = forms.FileField(label="文件", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))
    description = forms.CharField(label="说明", max_length=200, required=False)


class SignInForm(forms.Form):
    code = forms.CharField(
        label="签到码", max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "form-control-lg"}),
    )


class AttendanceSheetForm(forms.Form):
    """One present / on leave / absent choice per current member."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for teacher, status, _membership in rows:
            self.fields[f"t{teacher.pk}"] = forms.ChoiceField(
                label=teacher.name, choices=Attendance.Status.choices, widget=forms.RadioSelect,
                initial=status or None, error_messages={"required": f"请选择{teacher.name}的签到状态。"},
            )

    def statuses(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}

    def bound_rows(self):
        return [(teacher, self[f"t{teacher.pk}"], membership) for teacher, _s, membership in self.rows]


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(label="支出类别", choices=Expense._meta.get_field("category").choices)
    amount = forms.DecimalField(
        label="金额（元）", max_digits=10, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="金额必须大于 0 元。")],
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    spent_on = forms.DateField(label="支出日期", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate)
    description = forms.CharField(label="用途说明", max_length=300)
    activity = forms.ModelChoiceField(label="关联活动", queryset=Activity.objects.none(), required=False, empty_label="（不关联）")
    research_project = forms.ModelChoiceField(
        label="关联课题", queryset=ResearchProject.objects.none(), required=False, empty_label="（不关联）"
    )
    receipt = forms.FileField(label="票据", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))

    def __init__(self, *args, workroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(workroom=workroom).order_by("-starts_at")
        self.fields["research_project"].queryset = ResearchProject.objects.filter(workroom=workroom).order_by("-started_on")


class DecisionForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class LedgerDateForm(forms.Form):
    """Which year and which day the ledger shows (default: today)."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
    as_of = forms.DateField(label="截至日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def period(self) -> tuple[int, date]:
        today = school_today()
        data = self.cleaned_data if self.is_valid() else {}
        as_of = data.get("as_of") or today
        year = data.get("year") or as_of.year
        if as_of.year != year:
            as_of = date(year, 12, 31) if year < today.year else date(year, 1, 1) if year > today.year else today
        return year, as_of


class LessonObservationForm(forms.ModelForm):
    class Meta:
        model = LessonObservation
        fields = ["date", "class_name", "teacher", "topic", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, workroom, **kwargs):
        super().__init__(*args, **kwargs)
        ids = Membership.objects.current().filter(workroom=workroom, role=Membership.Role.MEMBER).values("teacher_id")
        self.fields["teacher"].queryset = Teacher.objects.filter(pk__in=ids).order_by("name")
