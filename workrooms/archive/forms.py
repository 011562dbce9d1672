"""Forms of the archive pages."""

from django import forms

from core.calendar import school_today, semester_choices
from core.files import ACCEPT_ATTR
from members.models import Teacher
from workrooms.archive.models import ArchiveEntry
from workrooms.selection.models import Membership


class ArchiveUploadForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=ArchiveEntry.Category.choices)
    title = forms.CharField(label="标题", max_length=300)
    kind = forms.CharField(label="类型", max_length=30, required=False, help_text="如：工作室章程、通讯录、简报；留空为「上传文件」。")
    semester = forms.ChoiceField(label="学期")
    member = forms.ModelChoiceField(label="相关成员", queryset=None, required=False, empty_label="（不涉及个人）")
    upload = forms.FileField(label="文件", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))

    def __init__(self, *args, workroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semester"].choices = semester_choices(school_today(), 8)
        self.fields["member"].queryset = Teacher.objects.filter(memberships__workroom=workroom).distinct().order_by("name")


class ArchivistForm(forms.Form):
    teacher = forms.ModelChoiceField(label="档案管理员", queryset=None, required=False, empty_label="（不设）",
                                     widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, workroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = Teacher.objects.filter(
            memberships__workroom=workroom, memberships__status__in=Membership.CURRENT_STATUSES
        ).order_by("name")
