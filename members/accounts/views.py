"""Password pages: change (and the first-password rule), reset by e-mail,
the office's one-time code and its use."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from members.access import can_issue_password_code, get_teacher_for_user
from members.accounts.forms import EmailPasswordResetForm, PasswordCodeForm
from members.accounts.services import (
    MUST_CHANGE_KEY,
    format_code,
    password_changed,
    password_code_issue,
    password_code_redeem,
)


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码; for an account that must change its first password, the only page it can open."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "must_change": self.request.session.get(MUST_CHANGE_KEY)}

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user, request=self.request)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """找回密码: a link to the e-mail address of the account (or of its
    teacher profile), built on SITE_URL. At most PASSWORD_RESET_REQUESTS
    requests per address an hour, so the form cannot be used to flood inboxes."""

    form_class = EmailPasswordResetForm

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME,
                                    "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
        return super().form_valid(form)

    def post(self, request, *args, **kwargs):
        if is_ratelimited(request, group="password-reset", key="ip",
                          rate=f"{settings.PASSWORD_RESET_REQUESTS}/h", increment=True):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, "本地址近一小时申请找回密码的次数过多，请稍后再试，或请德育处为您生成设置密码码。")
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user, request=self.request)
        return response


@never_cache
def password_code_use(request, code=""):
    """用设置密码码设置密码 (no login): the code from the office, a new
    password twice. At most PASSWORD_CODE_TRIES attempts per address an hour."""
    form = PasswordCodeForm(request.POST or None, initial={"code": format_code(code) if code else ""})
    if request.method == "POST":
        limited = is_ratelimited(request, group="password-code", key="ip",
                                 rate=f"{settings.PASSWORD_CODE_TRIES}/h", increment=True)
        if limited:
            form.is_valid()
            form.add_error(None, "本地址近一小时输入设置密码码的次数过多，请一小时后再试。")
        elif form.is_valid():
            try:
                password_code_redeem(code=form.cleaned_data["code"], password=form.cleaned_data["new_password1"])
            except ValidationError as error:  # used meanwhile, e.g. a double submit
                form.add_error("code", error)
            else:
                messages.success(request, "密码已设置，请用工号和新密码登录。")
                return redirect("login")
    return render(request, "registration/password_code_use.html", {"form": form})


@never_cache
@login_required
def teacher_password_code(request, pk):
    """生成一次性设置密码码 for a teacher (the office): the code is shown on
    the answer to the POST only, never again."""
    teacher = get_teacher_for_user(request.user, pk)
    if not can_issue_password_code(request.user, teacher):
        raise PermissionDenied("只有德育处和管理员可以为教师生成设置密码码。")
    context = {"teacher": teacher, "valid_hours": settings.PASSWORD_CODE_HOURS}
    if request.method == "POST":
        row, code = password_code_issue(teacher=teacher, by=request.user)
        context.update(
            code=format_code(code), row=row,
            link=settings.SITE_URL + reverse("password_code_use_link", args=[code]),
        )
    return render(request, "members/teacher_password_code.html", context)
