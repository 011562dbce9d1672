"""Views of the members app: thin (access helper, form or FilterSet, one
service or selector, render or redirect)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.ical import feed_ics, feed_token, feed_token_regenerate, feed_user
from core.lists import paginate
from core.models import Notification
from core.notify import (
    email_address,
    email_preferences,
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
)
from core.registry import Hook
from members import selectors
from members.access import can_issue_password_code, can_see_contact, can_see_ethics, get_teacher_for_user
from members.filters import TeacherFilter
from members.forms import NotificationFilter, PreferencesForm

# --- two-way selection -----------------------------------------------------


# What higher layers add to a teacher's page: ``(user, teacher) -> context``
# (the assessment app adds honours, class titles and vetoes, DOMAIN.md §9).
teacher_page = Hook("teacher_page")


# --- agreement -------------------------------------------------------------


# --- withdrawal and removal ------------------------------------------------


# --- teacher directory -----------------------------------------------------


@login_required
def teacher_list(request):
    """教师名录, filtered by ``TeacherFilter``; downloads as it is shown."""
    filterset = TeacherFilter(request.GET, queryset=selectors.teachers_for_list(request.user))
    return render(
        request, "members/teacher_list.html", {"filter": filterset, "page_obj": paginate(request, filterset.qs)}
    )


@login_required
def teacher_detail(request, pk):
    teacher = get_teacher_for_user(request.user, pk)
    context = {
        "teacher": teacher,
        "show_contact": can_see_contact(request.user, teacher),
        "can_issue_password_code": can_issue_password_code(request.user, teacher),
        **selectors.teacher_profile(teacher, with_ethics=can_see_ethics(request.user)),
    }
    for extra in teacher_page(request.user, teacher):
        context.update(extra)
    return render(request, "members/teacher_detail.html", context)


@login_required
def notification_list(request):
    filterset = NotificationFilter(request.GET, queryset=Notification.objects.filter(user=request.user))
    return render(request, "outreach/notification_list.html", {"filter": filterset, "page_obj": paginate(request, filterset.qs)})


@login_required
@require_POST
def notification_read(request, pk):
    n = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(user=request.user, notification_id=n.pk)
    if request.POST.get("follow") and url_has_allowed_host_and_scheme(n.url, allowed_hosts=None):
        return redirect(n.url)
    return redirect("members:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("members:notifications")


@login_required
def notification_preferences(request):
    chosen = email_preferences(request.user)
    form = PreferencesForm(request.POST or None, initial={"email_kinds": [k for k, on in chosen.items() if on]})
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(user=request.user, email_kinds=form.cleaned_data["email_kinds"])
        messages.success(request, "通知偏好已保存。")
        return redirect("members:notification_preferences")
    return render(request, "outreach/notification_preferences.html", {
        "form": form, "email": email_address(request.user),
    })


# --- personal calendar feed ------------------------------------------------


@login_required
def calendar_feed_page(request):
    """我的日历订阅: the secret address of one's own feed, to copy into a
    phone's calendar, and a button that replaces it (the old one stops)."""
    if request.method == "POST":
        feed_token_regenerate(user=request.user)
        messages.success(request, "已生成新的订阅地址，旧地址已失效；请在手机日历中改用新地址。")
        return redirect("members:calendar_feed_page")
    url = request.build_absolute_uri(reverse("members:calendar_feed", args=[feed_token(request.user)]))
    return render(request, "members/calendar_feed.html", {"feed_url": url})


def calendar_feed(request, token):
    """The feed itself: no sign-in (calendar apps cannot), the token is the key."""
    user = feed_user(token)
    if user is None:
        raise Http404
    response = HttpResponse(feed_ics(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="workrooms.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
