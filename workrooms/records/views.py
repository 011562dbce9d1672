"""Pages for members' records (DOMAIN.md §7) and the growth handbook (§5).

Thin views: parse the form or FilterSet, fetch the object through
``workrooms.records.access``, call one service from ``workrooms.records.services``,
render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.calendar import school_today, semester_of
from core.files import preview_response
from core.forms import require_valid
from core.lists import paginate
from core.workflow import TransitionRefused, history
from members.models import Teacher
from members.roles import roles_of
from members.selectors import user_display
from workrooms.models import RuleSet
from workrooms.outreach.showcase import PUBLISH_DENIED, can_mark_public
from workrooms.outreach.showcase_views import publish_toggle
from workrooms.records import services
from workrooms.records.access import (
    can_add_stage_document,
    can_edit_record,
    can_log_records,
    can_manage_project,
    can_review_record,
    can_verify_achievement,
    get_achievement_for_user,
    get_handbook_teacher_for_user,
    get_project_for_user,
    get_reading_for_user,
    get_writing_for_user,
    workrooms_for_records,
)
from workrooms.records.filters import (
    AchievementFilter,
    ProjectFilter,
    ReadingFilter,
    WritingFilter,
)
from workrooms.records.forms import (
    AchievementForm,
    CloseStageForm,
    ProjectForm,
    ReadingForm,
    ReviewForm,
    StageDocumentForm,
    WritingForm,
    put_service_errors,
)
from workrooms.records.models import (
    Achievement,
    ResearchProject,
    ReviewStatus,
    StageDocument,
)
from workrooms.records.rules import (
    REQUIRED_DOCUMENTS,
    STAGES,
    DocumentKind,
    ResearchStatus,
    missing_documents,
)
from workrooms.records.selectors import (
    achievements_for,
    growth_handbook,
    projects_for,
    reading_logs_for,
    writings_for,
)
from workrooms.records.workflow import ACHIEVEMENT, RECORD_REVIEW, RESEARCH_PROJECT

FORM = "members/records/form.html"


def _require(allowed: bool, message: str = "您无权执行此操作。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_workroom(user) -> None:
    _require(workrooms_for_records(user).exists(), "您尚未加入工作室，不能登记课题。")


def _require_teacher(user) -> None:
    _require(can_log_records(user), "只有教师本人可以登记记录。")


def _submit(form, write):
    """Call ``write(**form.cleaned_data)``; on refusal put the reasons on the
    form (which keeps what was typed) and return None."""
    if not form.is_valid():
        return None
    try:
        return write(**form.cleaned_data)
    except ValidationError as e:
        put_service_errors(form, e)
    except TransitionRefused as e:
        form.add_error(None, str(e))
    return None


def _history(obj, machine) -> list[dict]:
    """Transitions of ``obj`` with their labels and the actors' names (two queries)."""
    labels = {t.action: t.label for t in machine.transitions}
    changes = list(history(obj))
    names = dict(Teacher.objects.filter(user_id__in={c.actor_id for c in changes}).values_list("user_id", "name"))
    return [{"at": c.created_at, "actor": names.get(c.actor_id) or (user_display(c.actor) if c.actor else ""), "label": labels.get(c.action, c.action),
             "comment": c.comment} for c in changes]


def _new_record_initial() -> dict:
    today = school_today()
    return {"semester": semester_of(today).label}


def _list(request, filterset_class, queryset, template, tab):
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    return render(request, template, {
        "filter": filterset, "page_obj": paginate(request, filterset.qs), "tab": tab,
        "can_log": can_log_records(request.user),
        "can_log_project": workrooms_for_records(request.user).exists(),
    })


def _public_panel(user, record, *, eligible: bool, hint: str) -> dict:
    """The 工作室主页 panel of a record page: whether the record is public and,
    for those who may change it, whether it can be (or why not)."""
    can_mark = record.workroom_id is not None and can_mark_public(user, record.workroom)
    return {"public": {"can_mark": can_mark, "is_public": record.is_public,
                       "eligible": eligible, "hint": hint}}


def _review(request, service_call, success):
    form = ReviewForm(request.POST)
    try:
        require_valid(form)
        service_call(action=request.POST.get("action", ""), comment=form.cleaned_data.get("comment", ""))
    except TransitionRefused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, success)


# --- reading ------------------------------------------------------------


@login_required
def reading_list(request):
    return _list(request, ReadingFilter, reading_logs_for(request.user), "members/records/reading_list.html", "reading")


@login_required
def reading_create(request):
    _require_teacher(request.user)
    min_chars = RuleSet.objects.current().reflection_min_chars
    form = ReadingForm(request.POST or None, user=request.user, min_chars=min_chars,
                       initial={**_new_record_initial(), "read_on": school_today()})
    if request.method == "POST":
        log = _submit(form, lambda **data: services.reading_create(actor=request.user, **data))
        if log:
            messages.success(request, "读书记录已提交，等待主持人审阅。")
            return redirect("records:reading_detail", log.pk)
    return render(request, FORM, {"form": form, "title": "登记读书记录", "tab": "reading"})


@login_required
def reading_detail(request, pk):
    log = get_reading_for_user(request.user, pk)
    return render(request, "members/records/reading_detail.html", {
        "record": log, "tab": "reading", "can_edit": can_edit_record(request.user, log) and not log.is_locked,
        "transitions": RECORD_REVIEW.options(request.user, log, exclude=("resubmit",)),
        "review_form": ReviewForm(), "history": _history(log, RECORD_REVIEW),
    })


@login_required
def reading_edit(request, pk):
    log = get_reading_for_user(request.user, pk)
    _require(can_edit_record(request.user, log), "只有记录的登记人可以修改。")
    if log.is_locked and request.method != "POST":
        messages.error(request, services.READING_LOCKED)
        return redirect("records:reading_detail", log.pk)
    min_chars = RuleSet.objects.current().reflection_min_chars
    form = ReadingForm(request.POST or None, instance=log, user=request.user, min_chars=min_chars, editing=True)
    if request.method == "POST":
        if _submit(form, lambda **data: services.reading_update(actor=request.user, reading=log, **data)):
            messages.success(request, "读书记录已保存。")
            return redirect("records:reading_detail", log.pk)
    return render(request, FORM, {"form": form, "title": f"修改读书记录《{log.title}》", "tab": "reading"})


@login_required
@require_POST
def reading_review(request, pk):
    log = get_reading_for_user(request.user, pk)
    _require(can_review_record(request.user, log), "只有本工作室的主持人可以审阅。")
    _review(
        request, lambda **kw: services.record_review(actor=request.user, record=log, **kw), "审阅意见已保存。")
    return redirect("records:reading_detail", log.pk)


# --- writings -----------------------------------------------------------


@login_required
def writing_list(request):
    return _list(request, WritingFilter, writings_for(request.user), "members/records/writing_list.html", "writings")


@login_required
def writing_create(request):
    _require_teacher(request.user)
    form = WritingForm(request.POST or None, request.FILES or None, user=request.user,
                       initial={**_new_record_initial(), "written_on": school_today()})
    if request.method == "POST":
        writing = _submit(form, lambda **data: services.writing_create(actor=request.user, **data))
        if writing:
            messages.success(request, "写作已提交，等待主持人审阅。")
            return redirect("records:writing_detail", writing.pk)
    return render(request, FORM, {"form": form, "title": "登记教育写作", "tab": "writings", "multipart": True})


@login_required
def writing_detail(request, pk):
    writing = get_writing_for_user(request.user, pk)
    return render(request, "members/records/writing_detail.html", {
        "record": writing, "tab": "writings",
        "can_edit": can_edit_record(request.user, writing) and not writing.is_locked,
        "transitions": RECORD_REVIEW.options(request.user, writing, exclude=("resubmit",)),
        "review_form": ReviewForm(), "history": _history(writing, RECORD_REVIEW),
        **_public_panel(request.user, writing, eligible=writing.status == ReviewStatus.ACCEPTED,
                        hint=services.WRITING_NOT_PUBLIC),
    })


@login_required
def writing_edit(request, pk):
    writing = get_writing_for_user(request.user, pk)
    _require(can_edit_record(request.user, writing), "只有记录的登记人可以修改。")
    if writing.is_locked and request.method != "POST":
        messages.error(request, services.WRITING_LOCKED)
        return redirect("records:writing_detail", writing.pk)
    form = WritingForm(request.POST or None, request.FILES or None, instance=writing, user=request.user, editing=True)
    if request.method == "POST":
        if _submit(form, lambda **data: services.writing_update(actor=request.user, writing=writing, **data)):
            messages.success(request, "写作已保存。")
            return redirect("records:writing_detail", writing.pk)
    return render(request, FORM, {"form": form, "title": f"修改「{writing.title}」", "tab": "writings", "multipart": True})


@login_required
@require_POST
def writing_review(request, pk):
    writing = get_writing_for_user(request.user, pk)
    _require(can_review_record(request.user, writing), "只有本工作室的主持人可以审阅。")
    _review(
        request, lambda **kw: services.record_review(actor=request.user, record=writing, **kw), "审阅意见已保存。")
    return redirect("records:writing_detail", writing.pk)


@login_required
@require_POST
def writing_publish(request, pk):
    writing = get_writing_for_user(request.user, pk)
    _require(writing.workroom_id is not None and can_mark_public(request.user, writing.workroom), PUBLISH_DENIED)
    publish_toggle(request, label=writing.title, write=lambda **kw: services.writing_set_public(
        actor=request.user, writing=writing, **kw))
    return redirect("records:writing_detail", writing.pk)


@login_required
def writing_file(request, pk):
    writing = get_writing_for_user(request.user, pk)
    if writing.file is None:
        raise Http404("该写作没有上传文件。")
    return preview_response(request, writing.file)


# --- research projects --------------------------------------------------


@login_required
def project_list(request):
    return _list(request, ProjectFilter, projects_for(request.user), "members/records/project_list.html", "research")


@login_required
def project_create(request):
    _require_workroom(request.user)
    teacher = roles_of(request.user).teacher
    form = ProjectForm(request.POST or None, user=request.user,
                       initial={"leader": teacher, "started_on": school_today()})
    if request.method == "POST":
        project = _submit(form, lambda **data: services.project_create(actor=request.user, **data))
        if project:
            messages.success(request, "课题已登记，当前阶段：立项。")
            return redirect("records:project_detail", project.pk)
    return render(request, FORM, {"form": form, "title": "登记课题", "tab": "research"})


def _project_page(request, project, *, document_form=None, status=200):
    stages = list(project.stages.prefetch_related("documents__file", "documents__uploaded_by"))
    rows = []
    for stage in stages:
        documents = list(stage.documents.all())
        rows.append({
            "stage": stage,
            "documents": documents,
            "required": [DocumentKind(k).label for k in REQUIRED_DOCUMENTS[stage.stage]],
            "missing": missing_documents(stage.stage, [d.kind for d in documents]),
            "current": stage.stage == project.status,
        })
    open_ = project.status != ResearchStatus.COMPLETED
    close = RESEARCH_PROJECT.options(request.user, project)
    return render(request, "members/records/project_detail.html", {
        "project": project, "tab": "research", "rows": rows, "participants": project.participants.all(),
        "can_manage": can_manage_project(request.user, project) and open_,
        "can_upload": open_ and can_add_stage_document(request.user, project),
        "document_form": document_form or StageDocumentForm(), "close_form": CloseStageForm(),
        "close_transition": close[0] if close else None, "history": _history(project, RESEARCH_PROJECT),
        "stage_count": len(STAGES),
    }, status=status)


@login_required
def project_detail(request, pk):
    return _project_page(request, get_project_for_user(request.user, pk))


@login_required
def project_edit(request, pk):
    project = get_project_for_user(request.user, pk)
    _require(can_manage_project(request.user, project), "只有课题负责人、主持人或德育处可以修改课题。")
    form = ProjectForm(request.POST or None, instance=project, user=request.user, workroom=project.workroom,
                       initial={"participants": list(project.participants.all())})
    if request.method == "POST":
        if _submit(form, lambda **data: services.project_update(actor=request.user, project=project, **data)):
            messages.success(request, "课题已保存。")
            return redirect("records:project_detail", project.pk)
    return render(request, FORM, {"form": form, "title": f"修改课题《{project.title}》", "tab": "research"})


@login_required
@require_POST
def stage_document_add(request, pk):
    project = get_project_for_user(request.user, pk)
    _require(can_add_stage_document(request.user, project), "只有课题负责人、参与人或主持人可以上传课题材料。")
    form = StageDocumentForm(request.POST, request.FILES)
    if _submit(form, lambda **data: services.stage_document_add(actor=request.user, project=project, **data)):
        messages.success(request, "材料已上传。")
        return redirect("records:project_detail", project.pk)
    return _project_page(request, project, document_form=form, status=400)


@login_required
@require_POST
def project_close_stage(request, pk):
    project = get_project_for_user(request.user, pk)
    _require(can_manage_project(request.user, project), "只有课题负责人、主持人或德育处可以结束阶段。")
    form = CloseStageForm(request.POST)
    try:
        require_valid(form)
        services.project_close_stage(actor=request.user, project=project, comment=form.cleaned_data.get("comment", ""))
    except TransitionRefused as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已进入「{project.get_status_display()}」。")
    return redirect("records:project_detail", project.pk)


@login_required
def stage_document_file(request, pk):
    document = get_object_or_404(StageDocument.objects.select_related("stage", "file"), pk=pk)
    if not ResearchProject.objects.visible_to(request.user).filter(pk=document.stage.project_id).exists():
        raise Http404("没有找到该材料。")
    return preview_response(request, document.file)


# --- achievements -------------------------------------------------------


@login_required
def achievement_list(request):
    return _list(request, AchievementFilter, achievements_for(request.user),
                 "members/records/achievement_list.html", "achievements")


@login_required
def achievement_create(request):
    _require_teacher(request.user)
    form = AchievementForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        achievement = _submit(form, lambda **data: services.achievement_create(actor=request.user, **data))
        if achievement:
            messages.success(request, "成果已登记，等待德育处认定。")
            return redirect("records:achievement_detail", achievement.pk)
    return render(request, FORM, {"form": form, "title": "登记成果荣誉", "tab": "achievements", "multipart": True})


@login_required
def achievement_detail(request, pk):
    achievement = get_achievement_for_user(request.user, pk)
    return render(request, "members/records/achievement_detail.html", {
        "record": achievement, "tab": "achievements",
        "can_edit": can_edit_record(request.user, achievement) and not achievement.is_locked,
        "transitions": ACHIEVEMENT.options(request.user, achievement, exclude=("resubmit",)),
        "review_form": ReviewForm(), "history": _history(achievement, ACHIEVEMENT),
        **_public_panel(request.user, achievement, eligible=achievement.status == Achievement.Status.VERIFIED,
                        hint=services.ACHIEVEMENT_NOT_PUBLIC),
    })


@login_required
def achievement_edit(request, pk):
    achievement = get_achievement_for_user(request.user, pk)
    _require(can_edit_record(request.user, achievement), "只有记录的登记人可以修改。")
    if achievement.is_locked and request.method != "POST":
        messages.error(request, services.ACHIEVEMENT_LOCKED)
        return redirect("records:achievement_detail", achievement.pk)
    form = AchievementForm(request.POST or None, request.FILES or None, instance=achievement, user=request.user,
                           editing=True)
    if request.method == "POST":
        if _submit(form, lambda **data: services.achievement_update(actor=request.user, achievement=achievement, **data)):
            messages.success(request, "成果已保存。")
            return redirect("records:achievement_detail", achievement.pk)
    return render(request, FORM, {"form": form, "title": f"修改成果「{achievement.title}」", "tab": "achievements",
                                  "multipart": True})


@login_required
@require_POST
def achievement_verify(request, pk):
    achievement = get_achievement_for_user(request.user, pk)
    _require(can_verify_achievement(request.user, achievement), "只有德育处可以认定成果。")
    _review(
        request, lambda **kw: services.achievement_verify(actor=request.user, achievement=achievement, **kw), "认定结果已保存。")
    return redirect("records:achievement_detail", achievement.pk)


@login_required
@require_POST
def achievement_publish(request, pk):
    achievement = get_achievement_for_user(request.user, pk)
    _require(
        achievement.workroom_id is not None and can_mark_public(request.user, achievement.workroom), PUBLISH_DENIED
    )
    publish_toggle(request, label=achievement.title, write=lambda **kw: services.achievement_set_public(
        actor=request.user, achievement=achievement, **kw))
    return redirect("records:achievement_detail", achievement.pk)


@login_required
def achievement_evidence(request, pk):
    return preview_response(request, get_achievement_for_user(request.user, pk).evidence)


# --- growth handbook ----------------------------------------------------


@login_required
def handbook(request, pk=None):
    """成长手册: one member's records as a timeline (DOMAIN.md §5)."""
    if pk is None:
        teacher = roles_of(request.user).teacher
        if teacher is None:
            raise Http404("您没有教师档案。")
    else:
        teacher = get_handbook_teacher_for_user(request.user, pk)
    items = growth_handbook(teacher)
    return render(request, "members/records/handbook.html", {
        "teacher": teacher, "page_obj": paginate(request, items, per_page=50), "tab": "handbook",
        "is_self": teacher.user_id == request.user.pk,
    })
