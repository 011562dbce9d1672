"""Forms for members' records (DOMAIN.md §7). They check the shape of the
input; the rules (minimum reflection, dates in the semester, locks) are
applied by the services in ``workrooms.records.services``, whose errors the views put
back on the form so that nothing typed is lost."""

from django import forms
from django.core.exceptions import ValidationError

from core.calendar import school_today, semester_choices
from core.files import ACCEPT_ATTR
from core.forms import COMMENT_MAX_LENGTH
from members.models import Teacher
from workrooms.records.access import workrooms_for_records
from workrooms.records.models import Achievement, ReadingLog, ResearchProject, Writing
from workrooms.records.rules import DocumentKind
from workrooms.selection.models import Membership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _file_field(label: str, *, required: bool) -> forms.FileField:
    return forms.FileField(
        label=label, required=required, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
        help_text="PDF、图片、Office 文档或 ZIP；按文件内容识别类型。",
    )


def put_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: field errors on their fields,
    the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceForm(forms.ModelForm):
    """A model form whose model validation is left to the service (which
    runs ``full_clean`` on what it writes), so the instance passed for
    initial values is never changed by the form."""

    def _post_clean(self):
        pass


class WorkroomChoiceMixin:
    def _limit_workrooms(self, user, *, personal: bool = True):
        """A member chooses one of their workrooms; a teacher in none logs
        their own record without one (DOMAIN.md §1)."""
        rooms = workrooms_for_records(user)
        if personal and not rooms.exists():
            del self.fields["workroom"]
            return
        self.fields["workroom"].queryset = rooms
        self.fields["workroom"].empty_label = None
        self.fields["workroom"].required = True


class ReadingForm(WorkroomChoiceMixin, ServiceForm):
    semester = forms.ChoiceField(label="学期")

    class Meta:
        model = ReadingLog
        fields = ["workroom", "semester", "kind", "title", "author", "recommended", "read_on", "reflection"]
        widgets = {"read_on": DATE, "reflection": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, user, min_chars: int, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"].choices = semester_choices(school_today())
        self.fields["reflection"].help_text = f"至少 {min_chars} 字（按学校设置）。"
        self.fields["reflection"].widget.attrs["data-min-chars"] = min_chars
        if editing:
            del self.fields["workroom"]
        else:
            self._limit_workrooms(user)


class WritingForm(WorkroomChoiceMixin, ServiceForm):
    semester = forms.ChoiceField(label="学期")
    upload = _file_field("文件", required=False)

    class Meta:
        model = Writing
        fields = ["workroom", "semester", "kind", "title", "written_on", "text", "submitted", "published",
                  "publication", "awarded", "award_level"]
        widgets = {"written_on": DATE, "text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"].choices = semester_choices(school_today())
        self.fields["text"].help_text = "填写正文，或上传文件。"
        if editing:
            del self.fields["workroom"]
            self.fields["upload"].help_text = "不选择则保留原文件。"
        else:
            self._limit_workrooms(user)


class ProjectForm(WorkroomChoiceMixin, ServiceForm):
    class Meta:
        model = ResearchProject
        fields = ["workroom", "title", "level", "leader", "participants", "started_on", "description"]
        widgets = {"started_on": DATE, "participants": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, workroom=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workroom is not None:  # editing: the workroom stays
            del self.fields["workroom"]
            team_rooms = [workroom.pk]
        else:
            self._limit_workrooms(user, personal=False)
            team_rooms = self.fields["workroom"].queryset.values("pk")
        team = Teacher.objects.filter(
            memberships__workroom__in=team_rooms, memberships__status=Membership.Status.ACTIVE
        ).distinct().order_by("name")
        self.fields["leader"].queryset = team
        self.fields["leader"].empty_label = "请选择负责人"
        self.fields["participants"].queryset = team
        self.fields["participants"].required = False


class StageDocumentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=DocumentKind.choices)
    title = forms.CharField(label="材料名称", max_length=200)
    upload = _file_field("文件", required=True)


class AchievementForm(WorkroomChoiceMixin, ServiceForm):
    upload = _file_field("证明材料", required=True)

    class Meta:
        model = Achievement
        fields = ["workroom", "owner_kind", "owner_name", "kind", "title", "level", "achieved_on"]
        widgets = {"achieved_on": DATE}

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["workroom"]
            self.fields["upload"].required = False
            self.fields["upload"].help_text = "不选择则保留原证明材料。"
        else:
            self._limit_workrooms(user)


class ReviewForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


class CloseStageForm(forms.Form):
    comment = forms.CharField(label="说明", required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
