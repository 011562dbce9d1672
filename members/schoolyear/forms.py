"""The school calendar form (校历): term dates, the months that count, holidays."""

from datetime import date

from django import forms

from members.models import SchoolCalendar

MONTH_CHOICES = [(m, f"{m}月") for m in (8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7)]


class SchoolCalendarForm(forms.ModelForm):
    counted_months = forms.TypedMultipleChoiceField(
        label="计入月考核与津贴的月份", choices=MONTH_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text="默认 9月至次年1月、3月至7月，共 10 个月；所选月份须在学期之内。",
    )
    holidays_text = forms.CharField(
        label="节假日", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个：开始日期 结束日期 名称，如 2026-10-01 2026-10-07 国庆节",
    )

    class Meta:
        model = SchoolCalendar
        fields = ["term1_start", "term1_end", "term2_start", "term2_end", "counted_months"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in fields[:4]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(
            "holidays_text", "\n".join(" ".join(h) for h in (self.instance.holidays or []))
        )

    def clean_holidays_text(self):
        holidays = []
        for number, line in enumerate(self.cleaned_data["holidays_text"].splitlines(), start=1):
            parts = line.split(maxsplit=2)
            if not parts:
                continue
            try:
                if len(parts) != 3:
                    raise ValueError
                start, end = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
            except ValueError:
                raise forms.ValidationError(f"第 {number} 行应为“开始日期 结束日期 名称”，日期形如 2026-10-01。") from None
            holidays.append([start.isoformat(), end.isoformat(), parts[2][:50]])
        return holidays

    def save(self, commit=True):
        self.instance.holidays = self.cleaned_data["holidays_text"]
        return super().save(commit=commit)
