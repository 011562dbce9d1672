"""Forms of the office's host changes (DOMAIN.md §1, §3)."""

from django import forms

from core.forms import COMMENT_MAX_LENGTH
from members.models import Teacher
from workrooms.hosts.models import HostChange
from workrooms.selection.models import Membership


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.staff_no}，{obj.department.name if obj.department else '无系部'}）"


def _candidates(workroom):
    """Teachers of the workroom's school who host nothing now; the service
    checks the host criteria and explains any failure."""
    hosting = Membership.objects.current().filter(role=Membership.Role.HOST).values("teacher_id")
    return Teacher.objects.filter(school_id=workroom.school_id).exclude(pk__in=hosting).select_related(
        "department").order_by("name", "staff_no")


def _reason_field():
    return forms.CharField(label="原因", max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


class CohostForm(forms.Form):
    teacher = TeacherChoiceField(label="增设的主持人（副主持人）", queryset=Teacher.objects.none())
    reason = _reason_field()

    def __init__(self, *args, workroom, **kwargs):
        kwargs.setdefault("auto_id", "cohost_%s")  # both forms share one page
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = _candidates(workroom)


class OutgoingField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.teacher.name


class HostChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label="变更类型", choices=[(HostChange.Kind.ETHICS, HostChange.Kind.ETHICS.label), (HostChange.Kind.JOB, HostChange.Kind.JOB.label)],
    )
    outgoing = OutgoingField(label="离任主持人", queryset=Membership.objects.none())
    successor = TeacherChoiceField(
        label="接任的主持人", queryset=Teacher.objects.none(), required=False,
        help_text="工作变动更换须选择；师德违规撤换时，工作室另有主持人则可不选。",
    )
    reason = _reason_field()

    def __init__(self, *args, workroom, hosts, **kwargs):
        kwargs.setdefault("auto_id", "change_%s")
        super().__init__(*args, **kwargs)
        self.fields["outgoing"].queryset = Membership.objects.filter(pk__in=[m.pk for m in hosts]).select_related("teacher")
        self.fields["successor"].queryset = _candidates(workroom)
