"""学年切换 page (DOMAIN.md §11): the office reviews the changes a new school
year brings and starts it; leaders may look (read only); others have no access."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from assessment.models import Rollover
from assessment.rollover.forms import RolloverForm
from assessment.rollover.services import proposed_changes, rollover_start
from core import calendar
from members.models import School
from members.roles import roles_of


def _school_and_year(request):
    schools = list(School.objects.order_by("pk"))
    if not schools:
        raise Http404("尚未设置学校。")
    params = request.POST if request.method == "POST" else request.GET
    try:
        school = next((s for s in schools if s.pk == int(params.get("school") or schools[0].pk)), None)
        year = int(params.get("year") or calendar.school_year_start(calendar.school_today() + timedelta(days=31), schools[0].pk))
    except ValueError:
        raise Http404("参数不正确。") from None
    if school is None or not 2000 <= year <= 2100:
        raise Http404("参数不正确。")
    return schools, school, year


@login_required
def rollover(request):
    r = roles_of(request.user)
    if not r.sees_everything:
        raise Http404
    if request.method == "POST" and not r.is_office:
        raise PermissionDenied("学年切换由德育处或管理员进行，您只能查看。")
    schools, school, year = _school_and_year(request)
    done = Rollover.objects.filter(school=school, start_year=year).select_related("done_by").first()
    changes = proposed_changes(school)
    form = RolloverForm(request.POST or None, changes=changes)
    if request.method == "POST" and done is None and form.is_valid():
        try:
            result = rollover_start(
                school=school, start_year=year, accepted=form.accepted(),
                carry_settings=form.cleaned_data["carry_settings"], open_periods=form.cleaned_data["open_periods"],
                actor=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"已开始{school.name}{calendar.year_label(year)}：班主任变动 {len(result.changes)} 人，"
                f"新开考核周期 {result.periods_opened} 个{'，学校设置已沿用为新版本' if result.ruleset else ''}。",
            )
            return redirect(f"{reverse('assessment:rollover')}?school={school.pk}&year={year}")
    return render(request, "assessment/rollover.html", {
        "schools": schools, "school": school, "year": year, "label": calendar.year_label(year),
        "calendar": calendar.year_calendar(year, school.pk), "form": form, "done": done,
        "can_start": r.is_office and done is None,
        "history": Rollover.objects.filter(school=school).select_related("done_by")[:10],
    })
