"""Forms of the roster import (导入教师名册)."""

from django import forms
from django.core.exceptions import ValidationError

from core.files import check_upload
from members.roster.services import MAX_BYTES, MAX_ROWS, XLSX_TYPE


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="教师名册（.xlsx）",
        help_text=f"请使用下载的模板填写；文件不超过 {MAX_BYTES // 1024 // 1024} MB，最多 {MAX_ROWS} 行教师。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"empty": "文件为空（0 字节），请选择填好的名册。", "required": "请选择要上传的名册文件。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "无扩展名"
        if extension != "xlsx":
            raise ValidationError(f"不支持「.{extension}」文件：请上传 Excel 工作簿（.xlsx），可先下载模板填写。")
        if upload.size == 0 or upload.size > MAX_BYTES:
            check_upload(upload, max_bytes=MAX_BYTES)  # raises its message about the size
        try:
            checked = check_upload(upload, max_bytes=MAX_BYTES)
        except ValidationError:
            checked = None
        if checked is None or checked.content_type != XLSX_TYPE:
            raise ValidationError("文件内容不是 Excel 工作簿（.xlsx），可能只是改了扩展名。请在 Excel 或 WPS 中另存为 .xlsx 后上传。")
        return upload


class RosterConfirmForm(forms.Form):
    only_valid = forms.BooleanField(label="仅导入正确的行", required=False)
