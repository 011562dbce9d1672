"""Upload validation and storage: one way for every upload and every
generated file in the project, always through Django's storage API (the
``default`` entry of ``settings.STORAGES``: a folder, or an object store
shared by several web and worker machines), never the file system directly.

Types are checked by content (magic bytes), not by the name a browser sent;
an HTML or script file renamed to ``.jpg`` is refused."""

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import filetype
from csp.constants import SELF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat

from core.models import StoredFile

# mime type detected from content -> accepted file name endings
ALLOWED_TYPES = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "application/zip": {"zip"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
    "application/vnd.ms-powerpoint": {"ppt"},
}
OOXML = {"docx", "xlsx", "pptx"}
ACCEPT_ATTR = ",".join(f".{ext}" for exts in ALLOWED_TYPES.values() for ext in sorted(exts))


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload, *, max_bytes: int | None = None) -> CheckedUpload:
    """Validate an uploaded file; raise ``ValidationError`` in Chinese."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError("文件为空，请重新选择。")
    if upload.size > limit:
        raise ValidationError(f"文件过大（{filesizeformat(upload.size)}），上限为 {filesizeformat(limit)}。")
    ext = _extension(upload.name)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in {"application/x-ole-storage", "application/x-cfb"}:
        mime = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}.get(ext)
    if mime == "application/zip" and ext in OOXML:
        mime = next(m for m, exts in ALLOWED_TYPES.items() if ext in exts)
    if mime not in ALLOWED_TYPES:
        raise ValidationError("不支持的文件类型：仅接受 PDF、图片（JPG/PNG/GIF/WEBP）、Office 文档和 ZIP。文件类型按内容识别，改扩展名无效。")
    if ext not in ALLOWED_TYPES[mime]:
        raise ValidationError(f"文件内容与扩展名「.{ext or '无'}」不符，请上传真实的文件。")
    return CheckedUpload(content_type=mime, extension=ext)


def store_upload(upload, *, user, max_bytes: int | None = None) -> StoredFile:
    checked = check_upload(upload, max_bytes=max_bytes)
    stored = StoredFile(
        original_name=upload.name[:255], content_type=checked.content_type, size=upload.size, uploaded_by=user
    )
    stored.file.save("upload", upload, save=False)
    stored.save()
    return stored


# Types a browser shows itself: images in an <img>, PDFs in an <iframe>.
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
PDF_TYPE = "application/pdf"
PREVIEW_PARAMETER = "preview"


def preview_kind(content_type: str) -> str:
    """"image", "pdf", or "" for a type that is only downloaded."""
    if content_type in IMAGE_TYPES:
        return "image"
    return "pdf" if content_type == PDF_TYPE else ""


def wants_preview(request) -> bool:
    """The page asks to show the file inline (``?preview=1``) rather than
    download it; the same view, so the same permission check, serves both."""
    return request.GET.get(PREVIEW_PARAMETER) == "1"


def _storage():
    return StoredFile._meta.get_field("file").storage


def store_generated(
    *, key: str, filename: str, content_type: str, user, write: Callable[[BinaryIO], object]
) -> StoredFile:
    """Store a generated file under a name fixed by ``key`` and return its row.

    ``write(f)`` writes the content to a scratch file; only a complete file is
    handed to the storage, in one save (one upload for an object store). A
    retried or duplicated task stores the same name again and finds the same
    row, so there is one file per key."""
    name = f"generated/{key}"
    storage = _storage()
    with tempfile.TemporaryFile() as scratch:
        write(scratch)
        size = scratch.tell()
        scratch.seek(0)
        if storage.exists(name):  # an earlier attempt's file: replaced, not kept beside the new one
            storage.delete(name)
        name = storage.save(name, File(scratch, name=name))
    # By the indexed name alone: ``first()`` would order by id, and for a
    # name not stored yet PostgreSQL then walks every row in id order.
    stored = next(iter(StoredFile.objects.filter(file=name).order_by()[:1]), None)
    if stored is None:
        stored = StoredFile(original_name=filename, content_type=content_type, uploaded_by=user)
        stored.file.name = name
    stored.size = size
    stored.save()
    return stored


def copy_stored(stored: StoredFile, target: BinaryIO) -> None:
    """Copy a stored file's bytes into ``target`` (e.g. a member of a zip)."""
    with stored.file.open("rb") as source:
        shutil.copyfileobj(source, target, 1024 * 1024)


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    """Serve a stored file; callers must have checked permission first.

    ``inline`` shows an image or a PDF in the browser (Content-Disposition
    inline, its own type), framed by this site's pages only; every other
    type is downloaded whatever is asked."""
    inline = inline and bool(preview_kind(stored.content_type))
    response = FileResponse(
        stored.file.open("rb"), as_attachment=not inline, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        # Pages of this site show it in an <iframe> (PDFs); no other site may.
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_replace = {"frame-ancestors": [SELF], "object-src": [SELF]}
    return response


def preview_response(request, stored: StoredFile) -> FileResponse:
    """A download view's answer: inline when the page asks for a preview."""
    return file_response(stored, inline=wants_preview(request))
