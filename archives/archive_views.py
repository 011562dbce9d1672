"""Pages of workroom archives (DOMAIN.md §8): the list of archives, one
workroom's archive with search and filters, uploads and file downloads."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.lists import paginate
from members.record_access import (
    archive_workrooms_visible_to,
    can_file_to_archive,
    get_archive_entry_for_user,
    get_archive_workroom_for_user,
)
from members.semesters import semester_choices, semester_of
from workrooms.models import Workroom

from .archive import archive_entry_delete, archive_upload, source_url
from .archive_filters import ArchiveEntryFilter, ArchiveWorkroomFilter
from .files import ACCEPT_ATTR, file_response
from .models import ArchiveEntry


class ArchiveUploadForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=ArchiveEntry.Category.choices)
    title = forms.CharField(label="标题", max_length=300)
    kind = forms.CharField(label="类型", max_length=30, required=False, help_text="如：工作室章程、通讯录、简报；留空为「上传文件」。")
    semester = forms.ChoiceField(label="学期")
    member = forms.ModelChoiceField(label="相关成员", queryset=None, required=False)
    upload = forms.FileField(label="文件", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))

    def __init__(self, *args, workroom, **kwargs):
        super().__init__(*args, **kwargs)
        from members.models import Teacher

        self.fields["semester"].choices = semester_choices(timezone.localdate(), 8)
        self.fields["member"].queryset = Teacher.objects.filter(memberships__workroom=workroom).distinct().order_by("name")


@login_required
def archive_index(request):
    """The archives a user may open, with their number of entries."""
    qs = archive_workrooms_visible_to(request.user, Workroom.objects.select_related("host")).annotate(
        entry_count=Count("archive_entries")
    ).order_by("name")
    filterset = ArchiveWorkroomFilter(request.GET, queryset=qs)
    return render(request, "archives/archive/index.html", {"filter": filterset, "page_obj": paginate(request, filterset.qs)})


@login_required
def archive_list(request, workroom_pk):
    workroom = get_archive_workroom_for_user(request.user, workroom_pk)
    entries = ArchiveEntry.objects.filter(workroom=workroom).select_related("member", "file", "source_type")
    filterset = ArchiveEntryFilter(request.GET, queryset=entries, workroom=workroom)
    page = paginate(request, filterset.qs)
    rows = [(entry, source_url(entry)) for entry in page]
    return render(request, "archives/archive/list.html", {
        "workroom": workroom, "filter": filterset, "page_obj": page, "rows": rows,
        "can_file": can_file_to_archive(request.user, workroom), "categories": ArchiveEntry.Category.choices,
    })


@login_required
def archive_upload_view(request, workroom_pk):
    workroom = get_archive_workroom_for_user(request.user, workroom_pk)
    if not can_file_to_archive(request.user, workroom):
        raise PermissionDenied("只有主持人、档案管理员或德育处可以上传档案。")
    form = ArchiveUploadForm(request.POST or None, request.FILES or None, workroom=workroom,
                             initial={"semester": semester_of(timezone.localdate()).label,
                                      "category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        try:
            archive_upload(actor=request.user, workroom=workroom, **form.cleaned_data)
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, errors in e.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("upload", e)
        else:
            messages.success(request, "文件已归档。")
            return redirect("archives:archive_list", workroom.pk)
    return render(request, "archives/archive/upload.html", {"workroom": workroom, "form": form})


@login_required
def archive_entry_file(request, pk):
    entry = get_archive_entry_for_user(request.user, pk)
    if entry.file is None:
        raise Http404("该档案没有文件。")
    return file_response(entry.file)


@login_required
@require_POST
def archive_entry_delete_view(request, pk):
    entry = get_archive_entry_for_user(request.user, pk)
    if not can_file_to_archive(request.user, entry.workroom):
        raise PermissionDenied("只有主持人、档案管理员或德育处可以删除档案。")
    try:
        archive_entry_delete(actor=request.user, entry=entry)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"已删除「{entry.title}」。")
    return redirect("archives:archive_list", entry.workroom_id)
