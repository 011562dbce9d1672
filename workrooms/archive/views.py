"""Pages of workroom archives (DOMAIN.md §8): the list of archives, one
workroom's archive with search and filters, uploads and file downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.calendar import school_today, semester_of
from core.files import preview_response
from core.lists import paginate
from workrooms.access import can_manage_workroom, evidence_since
from workrooms.archive.filters import ArchiveEntryFilter, ArchiveWorkroomFilter
from workrooms.archive.forms import ArchiveUploadForm, ArchivistForm
from workrooms.archive.models import ArchiveEntry
from workrooms.archive.services import (
    archive_entry_delete,
    archive_upload,
    archivist_assign,
    source_url,
)
from workrooms.models import Workroom
from workrooms.records.access import (
    archive_workrooms_visible_to,
    can_bundle_archive,
    can_file_to_archive,
    get_archive_entry_for_user,
    get_archive_workroom_for_user,
)
from workrooms.records.forms import put_service_errors
from workrooms.selection.models import Membership


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
    if since := evidence_since(request.user, workroom):
        entries = entries.filter(filed_on__gte=since)
    filterset = ArchiveEntryFilter(request.GET, queryset=entries, workroom=workroom)
    page = paginate(request, filterset.qs)
    rows = [(entry, source_url(entry)) for entry in page]
    archivist_form = None
    if can_manage_workroom(request.user, workroom):
        archivist = Membership.objects.current().filter(workroom=workroom, is_archivist=True).first()
        archivist_form = ArchivistForm(workroom=workroom, initial={"teacher": archivist.teacher_id if archivist else None})
    return render(request, "archives/archive/list.html", {
        "workroom": workroom, "filter": filterset, "page_obj": page, "rows": rows,
        "can_file": can_file_to_archive(request.user, workroom), "categories": ArchiveEntry.Category.choices,
        "archivist_form": archivist_form, "can_bundle": can_bundle_archive(request.user, workroom),
    })


@login_required
@require_POST
def archivist_set(request, workroom_pk):
    workroom = get_archive_workroom_for_user(request.user, workroom_pk)
    if not can_manage_workroom(request.user, workroom):
        raise PermissionDenied("只有主持人或德育处可以指定档案管理员。")
    form = ArchivistForm(request.POST, workroom=workroom)
    if not form.is_valid():
        messages.error(request, "请选择本工作室的在册成员。")
    else:
        try:
            archivist_assign(actor=request.user, workroom=workroom, teacher=form.cleaned_data["teacher"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            teacher = form.cleaned_data["teacher"]
            messages.success(request, f"档案管理员已设为{teacher.name}。" if teacher else "已取消档案管理员。")
    return redirect("archive:archive_list", workroom.pk)


@login_required
def archive_upload_view(request, workroom_pk):
    workroom = get_archive_workroom_for_user(request.user, workroom_pk)
    if not can_file_to_archive(request.user, workroom):
        raise PermissionDenied("只有主持人、档案管理员或德育处可以上传档案。")
    form = ArchiveUploadForm(request.POST or None, request.FILES or None, workroom=workroom,
                             initial={"semester": semester_of(school_today()).label,
                                      "category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        try:
            archive_upload(actor=request.user, workroom=workroom, **form.cleaned_data)
        except ValidationError as e:
            put_service_errors(form, e)
        else:
            messages.success(request, "文件已归档。")
            return redirect("archive:archive_list", workroom.pk)
    return render(request, "archives/archive/upload.html", {"workroom": workroom, "form": form})


@login_required
def archive_entry_file(request, pk):
    entry = get_archive_entry_for_user(request.user, pk)
    if entry.file is None:
        raise Http404("该档案没有文件。")
    return preview_response(request, entry.file)


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
    return redirect("archive:archive_list", entry.workroom_id)
