"""校历 pages (DOMAIN.md §11): every signed-in teacher reads their school's
calendar; the office and administrators edit it; school leaders read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core import calendar
from members.models import School, SchoolCalendar
from members.roles import roles_of
from members.schoolyear.forms import SchoolCalendarForm
from members.schoolyear.services import calendar_rows, calendar_save, default_row

FIRST_YEAR, LAST_YEAR = 2000, 2100


def schools_for(user):
    """The schools whose calendars ``user`` may read: all for the office and
    leaders, their own for a teacher."""
    r = roles_of(user)
    if r.sees_everything:
        return School.objects.order_by("pk")
    if r.teacher is None:
        return School.objects.none()
    return School.objects.filter(pk=r.teacher.school_id)


def _school(user, pk):
    return get_object_or_404(schools_for(user), pk=pk)


@login_required
def calendar_list(request):
    schools = list(schools_for(request.user))
    if not schools:
        raise Http404("没有可查看的校历。")
    try:
        chosen = int(request.GET.get("school") or schools[0].pk)
    except ValueError:
        chosen = schools[0].pk
    school = next((s for s in schools if s.pk == chosen), schools[0])
    today = calendar.school_today()
    return render(request, "members/calendar_list.html", {
        "schools": schools, "school": school, "today": today,
        "current_year": calendar.school_year_start(today, school.pk),
        "rows": [(row, row.as_calendar()) for row in calendar_rows(school, around=today)],
        "can_edit": roles_of(request.user).is_office,
    })


@login_required
def calendar_edit(request, school_pk, year):
    school = _school(request.user, school_pk)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("学年超出范围。")
    if not roles_of(request.user).is_office:
        raise PermissionDenied("校历由德育处或管理员维护。")
    row = SchoolCalendar.objects.filter(school=school, start_year=year).first() or default_row(school=school, start_year=year)
    form = SchoolCalendarForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            calendar_save(row=form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已保存{school.name}{calendar.year_label(year)}校历。")
            return redirect(f"{reverse('members:calendar_list')}?school={school.pk}")
    return render(request, "members/calendar_form.html", {
        "form": form, "school": school, "label": calendar.year_label(year), "saved": row.pk is not None,
    })

