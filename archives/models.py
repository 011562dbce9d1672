"""Stored files (private uploads and generated documents) and the archive."""

import uuid

from django.conf import settings
from django.db import models


def stored_file_path(instance, filename):
    # Generated names only: the user's file name is kept in ``original_name``
    # and never used on disk.
    return f"files/{instance.uuid.hex[:2]}/{instance.uuid.hex}"


class StoredFile(models.Model):
    """A file kept on private storage, served only through a view that checks
    permission (see ``archives.files``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField("文件", upload_to=stored_file_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "文件"

    def __str__(self):
        return self.original_name
