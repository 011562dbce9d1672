"""Pages of 导师制 (DOMAIN.md §5): mentor pairs, guidance records and semester comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.lists import paginate
from workrooms.mentoring import services as mentoring
from workrooms.mentoring.forms import (
    GuidanceRecordForm,
    MentorCommentForm,
    MentorPairFilter,
    MentorPairForm,
)
from workrooms.mentoring.models import MentorPair
from workrooms.outreach.views import get_insider_workroom


@login_required
def workroom_mentoring(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    qs = mentoring.workroom_pairs(mentoring.pairs_visible_to(request.user, MentorPair.objects.filter(workroom=workroom)))
    filterset = MentorPairFilter(request.GET, queryset=qs)
    return render(request, "outreach/mentoring_list.html", {
        "workroom": workroom, "filter": filterset, "page_obj": paginate(request, filterset.qs),
        "can_manage": mentoring.can_manage_pairs(request.user, workroom),
    })


@login_required
def mentor_pair_new(request, pk):
    workroom = get_insider_workroom(request.user, pk)
    if not mentoring.can_manage_pairs(request.user, workroom):
        raise PermissionDenied
    form = MentorPairForm(
        request.POST or None, mentors=mentoring.mentor_candidates(workroom), trainees=mentoring.trainee_candidates(workroom)
    )
    if request.method == "POST" and form.is_valid():
        try:
            pair = mentoring.mentor_pair_create(workroom=workroom, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已结对：{pair.mentor.name}（导师）与{pair.trainee.name}（学员）。")
            return redirect("mentoring:workroom_mentoring", workroom.pk)
    return render(request, "outreach/mentor_pair_form.html", {"form": form, "workroom": workroom})


@login_required
def mentor_pair(request, pk):
    pair = mentoring.get_pair_for_user(request.user, pk)
    return render(request, "outreach/mentor_pair.html", {
        "pair": pair, "guidance": pair.guidance_records.all(), "comments": pair.comments.all(),
        "is_mentor": mentoring.is_mentor(request.user, pair),
        "can_manage": mentoring.can_manage_pairs(request.user, pair.workroom),
        "guidance_form": GuidanceRecordForm(), "comment_form": MentorCommentForm(),
    })


@login_required
def guidance_new(request, pk):
    pair = mentoring.get_pair_for_user(request.user, pk)
    if not mentoring.is_mentor(request.user, pair):
        raise PermissionDenied
    form = GuidanceRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mentoring.guidance_record_create(pair=pair, actor=request.user, **form.cleaned_data)
        messages.success(request, "指导记录已保存。")
        return redirect("mentoring:mentor_pair", pair.pk)
    return render(request, "outreach/simple_form.html", {"form": form, "title": "填写指导记录", "back": pair})


@login_required
def mentor_comment(request, pk):
    pair = mentoring.get_pair_for_user(request.user, pk)
    if not mentoring.is_mentor(request.user, pair):
        raise PermissionDenied
    form = MentorCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mentoring.mentor_comment_save(pair=pair, actor=request.user, **form.cleaned_data)
        messages.success(request, "学期评语已保存。")
        return redirect("mentoring:mentor_pair", pair.pk)
    return render(request, "outreach/simple_form.html", {"form": form, "title": "填写学期评语", "back": pair})


@login_required
@require_POST
def mentor_pair_end(request, pk):
    pair = mentoring.get_pair_for_user(request.user, pk)
    try:
        mentoring.mentor_pair_end(pair=pair, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "结对已结束。")
    return redirect("mentoring:mentor_pair", pair.pk)


@login_required
def my_mentoring(request):
    """导师制 on one's own page: pairs as mentor and as trainee."""
    teacher = getattr(request.user, "teacher", None)
    data = mentoring.mentoring_for_teacher(teacher.pk) if teacher else {"as_mentor": [], "as_trainee": []}
    return render(request, "outreach/my_mentoring.html", data)
