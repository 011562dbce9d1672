"""Pages of the 公示 board (DOMAIN.md §12): every published list a user is
concerned by, and one page per list of member grades or an evaluation."""

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessment import access
from assessment.filters import CompactFilterSet
from assessment.forms import AnswerForm, ObjectionForm, ReasonForm
from assessment.models import Period, PublicationObjection
from assessment.notices import services
from assessment.notices.kinds import KINDS, parse_topic
from core.history import states_at
from core.lists import paginate
from core.models import Publication
from core.publicity import final_refusal, objection_refusal, publications_of
from members.roles import roles_of

STATUS_CHOICES = [("open", "公示中"), ("final", "已定稿"), ("reopened", "已重新开放更正")]


class NoticeFilter(CompactFilterSet):
    q = django_filters.CharFilter(label="标题", field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label="状态", choices=STATUS_CHOICES, empty_label="全部状态", method="by_status")

    class Meta:
        model = Publication
        fields = ["q", "status"]

    def by_status(self, queryset, name, value):
        if value == "reopened":
            return queryset.filter(reopened_at__isnull=False)
        if value == "final":
            return queryset.filter(reopened_at__isnull=True, finalized_at__isnull=False)
        return queryset.filter(reopened_at__isnull=True, finalized_at__isnull=True)


def _url_of(publication: Publication) -> str:
    if not publication.topic:
        return reverse("assessment:period_detail", args=[publication.object_id])
    return reverse("assessment:notice_detail", args=[publication.pk])


@login_required
def notice_list(request):
    """公示栏: the lists the user is concerned by, newest first."""
    qs = access.publications_visible_to(request.user, Publication.objects.select_related("content_type", "published_by__teacher"))
    filterset = NoticeFilter(request.GET, queryset=qs.order_by("-published_at", "-pk"))
    page = paginate(request, filterset.qs)
    periods = {p.pk: p for p in Period.objects.filter(
        pk__in=[p.object_id for p in page if not p.topic]
    )}
    rows = [(p, _url_of(p), p.title or str(periods.get(p.object_id, ""))) for p in page]
    return render(request, "assessment/notice_list.html", {"filter": filterset, "page_obj": page, "rows": rows})


def _changes(kind, subject, params, publications, names) -> list:
    """Per re-publication, each person whose score or outcome changed, read
    from the records' history as it stood when each round was published."""
    if len(publications) < 2:
        return []
    records, key = kind.history(subject, params)
    snapshots = states_at(records, [p.published_at for p in publications], key=key)
    out = []
    for k in range(1, len(publications)):
        before, after = snapshots[k - 1], snapshots[k]
        rows = []
        for person in set(before) | set(after):
            b, a = before.get(person), after.get(person)
            if b and a and (b.total, b.grade) == (a.total, a.grade):
                continue
            rows.append((names.get(person, "（已删除）"), b.total if b else None, a.total if a else None,
                         b.grade if b else "—", a.grade if a else "—"))
        out.append((publications[k - 1], publications[k], sorted(rows)))
    return out


@login_required
def notice_detail(request, pk):
    publication = access.get_notice_for_user(request.user, pk)
    kind, params = parse_topic(publication.topic)
    subject = publication.subject
    r = roles_of(request.user)
    publications = publications_of(subject, publication.topic)
    latest = publications[-1]
    shown = r.sees_everything or latest.stands
    rows = kind.rows(subject, params) if shown else []
    objections = access.objections_visible_to(
        request.user, PublicationObjection.objects.filter(publication__in=[p.pk for p in publications])
        .select_related("raised_by__teacher", "answered_by__teacher", "publication")
    )
    open_count = services.open_objection_count(latest)
    may_manage = access.can_manage_assessment(request.user)
    context = {
        "publication": publication, "latest": latest, "publications": publications, "kind": kind,
        "rows": rows, "shown": shown, "objections": objections, "may_manage": may_manage,
        "may_object": access.can_object_to_notice(request.user, kind.workroom_id(subject)),
        "objection_refusal": objection_refusal(latest),
        "final_refusal": final_refusal(latest, open_objections=open_count) if latest.stands else "",
        "reopen_refusal": services.reopen_refusal(latest, request.user) if may_manage else "",
        "changes": _changes(kind, subject, params, publications, {row.key: row.name for row in rows}) if shown else [],
        "back_url": kind.back_url(subject, params),
        "objection_form": ObjectionForm(), "reason_form": ReasonForm(),
    }
    return render(request, "assessment/notice_detail.html", context)


def _done(request, call, success: str):
    try:
        call()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)


@login_required
@require_POST
def notice_publish(request):
    """The office publishes a list of member grades or an evaluation result."""
    if not access.can_manage_assessment(request.user):
        raise Http404 if not roles_of(request.user).sees_everything else PermissionDenied("只有德育处可以发布公示。")
    try:
        kind = KINDS[request.POST.get("kind", "")]
        subject_id = int(request.POST.get("subject", ""))
        params = tuple(int(request.POST[name]) for name in {"members": ("year", "semester"), "annual": ("year",)}.get(kind.code, ()))
    except (KeyError, ValueError):
        raise Http404 from None
    subject = get_object_or_404(kind.subject_model, pk=subject_id)
    result = {}

    def publish():
        result["publication"] = services.notice_publish(kind=kind, subject=subject, params=params, actor=request.user)

    _done(request, publish, "已发布公示。")
    if "publication" in result:
        return redirect("assessment:notice_detail", pk=result["publication"].pk)
    return redirect(kind.back_url(subject, params))


@login_required
@require_POST
def notice_objection_create(request, pk):
    publication = access.get_notice_for_user(request.user, pk)
    kind, _ = parse_topic(publication.topic)
    if not access.can_object_to_notice(request.user, kind.workroom_id(publication.subject)):
        raise PermissionDenied("只有本工作室的成员和主持人可以对该公示提出异议。")
    form = ObjectionForm(request.POST)
    if form.is_valid():
        _done(request, lambda: services.notice_objection_raise(
            publication=publication, text=form.cleaned_data["text"], actor=request.user
        ), "异议已提交，德育处将予以答复。")
    else:
        messages.error(request, "请填写异议内容。")
    return redirect("assessment:notice_detail", pk=pk)


@login_required
@require_POST
def notice_objection_answer(request, pk):
    qs = PublicationObjection.objects.filter(
        publication__in=access.publications_visible_to(request.user, Publication.objects.all())
    )
    if not roles_of(request.user).sees_everything:
        qs = access.objections_visible_to(request.user, qs)
    objection = get_object_or_404(qs, pk=pk)
    if not access.can_manage_assessment(request.user):
        raise PermissionDenied("只有德育处可以答复异议。")
    form = AnswerForm(request.POST)
    if form.is_valid():
        _done(request, lambda: services.notice_objection_answer(
            objection=objection, answer=form.cleaned_data["answer"], upheld=form.cleaned_data["upheld"], actor=request.user
        ), "已答复。")
    else:
        messages.error(request, "请填写答复内容。")
    return redirect("assessment:notice_detail", pk=objection.publication_id)


ACTIONS = {
    "finalize": ("已定稿。", lambda p, user, form: services.notice_finalize(publication=p, actor=user)),
    "reopen": ("已重新开放，更正后请重新公示。", lambda p, user, form: services.notice_reopen(
        publication=p, actor=user, reason=form.cleaned_data.get("comment", ""))),
    "republish": ("已重新公示。", lambda p, user, form: services.notice_republish(publication=p, actor=user)),
}


@login_required
@require_POST
def notice_action(request, pk, action):
    publication = access.get_notice_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    if not access.can_manage_assessment(request.user):
        raise PermissionDenied("只有德育处可以执行此操作。")
    success, call = ACTIONS[action]
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("assessment:notice_detail", pk=pk)
    result = {}

    def run():
        result["publication"] = call(publication, request.user, form)

    _done(request, run, success)
    target = result.get("publication") or publication
    return redirect("assessment:notice_detail", pk=target.pk)
