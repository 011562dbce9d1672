"""Forms of the teacher's profile items (DOMAIN.md §2). The services apply
the rules and the views put their refusals back on the form."""

from django import forms

from core.files import ACCEPT_ATTR
from core.forms import COMMENT_MAX_LENGTH
from members.models import ProfileItem


class ProfileItemForm(forms.ModelForm):
    upload = forms.FileField(
        label="证明材料", required=True, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
        help_text="证书、文件或刊物的扫描件：PDF、图片、Office 文档或 ZIP。",
    )

    class Meta:
        model = ProfileItem
        fields = ["kind", "title", "level", "year", "is_leader"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].help_text = "获得、立项或发表的年份。"
        if editing:
            self.fields["upload"].required = False
            self.fields["upload"].help_text = "不选择则保留原证明材料。"

    def _post_clean(self):
        # The service validates what it writes; the instance stays untouched here.
        pass


class VerifyForm(forms.Form):
    comment = forms.CharField(
        label="认定意见", required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不予认定时须写明原因。",
    )
