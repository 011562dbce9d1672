"""The rollover form: one row per head teacher (keep the change or not, the
confirmed class), and what else the new year starts with."""

from django import forms

from assessment.rollover.services import Action


class RolloverForm(forms.Form):
    carry_settings = forms.BooleanField(label="沿用当前学校设置（保存为新版本）", required=False, initial=True)
    open_periods = forms.BooleanField(label="开启新学年的考核周期（月考核、学期考核、学年考核）", required=False, initial=True)
    confirmed = forms.BooleanField(
        label="我已核对以上名单，确认开始新学年", error_messages={"required": "请先核对名单并勾选确认。"}
    )

    def __init__(self, *args, changes, **kwargs):
        super().__init__(*args, **kwargs)
        self.changes = changes
        for c in changes:
            if c.action == Action.KEEP:
                continue
            self.fields[f"apply_{c.teacher.pk}"] = forms.BooleanField(
                label=f"采纳：{c.teacher.name} {c.label}", required=False, initial=True
            )
            if c.action == Action.UP:
                self.fields[f"class_{c.teacher.pk}"] = forms.CharField(
                    label=f"{c.teacher.name}的新班级", max_length=50, required=False, initial=c.to_class
                )

    def rows(self):
        for c in self.changes:
            yield c, self[f"apply_{c.teacher.pk}"] if f"apply_{c.teacher.pk}" in self.fields else None, (
                self[f"class_{c.teacher.pk}"] if f"class_{c.teacher.pk}" in self.fields else None
            )

    def clean(self):
        data = super().clean()
        for c in self.changes:
            if c.action == Action.UP and data.get(f"apply_{c.teacher.pk}") and not (data.get(f"class_{c.teacher.pk}") or "").strip():
                self.add_error(f"class_{c.teacher.pk}", f"请填写{c.teacher.name}的新班级。")
        return data

    def accepted(self) -> dict[int, str]:
        return {
            c.teacher.pk: self.cleaned_data.get(f"class_{c.teacher.pk}", "")
            for c in self.changes
            if c.action != Action.KEEP and self.cleaned_data.get(f"apply_{c.teacher.pk}")
        }
