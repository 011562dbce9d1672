from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db.models import Q

from core.notify import email_address
from members.accounts.services import password_code_find, password_code_problem


class EmailPasswordResetForm(PasswordResetForm):
    """找回密码: the address may be the account's or the teacher profile's.
    Accounts without a usable password (made by the roster import) may set
    their first one this way too."""

    email = forms.EmailField(label="电子邮箱", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        User = get_user_model()
        return User.objects.select_related("teacher").filter(
            Q(email__iexact=email) | Q(teacher__email__iexact=email), is_active=True
        ).distinct()

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        super().send_mail(subject_template_name, email_template_name, context, from_email,
                          email_address(context["user"]) or to_email, html_email_template_name)


class PasswordCodeForm(SetPasswordForm):
    """用设置密码码设置新密码: the office's one-time code and the new password twice."""

    code = forms.CharField(label="设置密码码", max_length=40, help_text="德育处交给您的 12 位码，如 ABCD-EFGH-JKMN，字母不区分大小写。",
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))
    field_order = ["code", "new_password1", "new_password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(None, *args, **kwargs)
        self.code_row = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.code_row = password_code_find(code)
        problem = password_code_problem(self.code_row)
        if problem:
            raise forms.ValidationError(problem, code="bad_code")
        self.user = self.code_row.user  # the password validators compare with this account
        return code

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        if self.user is not None:  # the validators compare the password with this account
            self.validate_password_for_user(self.user, "new_password2")
        return forms.Form.clean(self)

    def save(self, commit=True):
        raise NotImplementedError("use password_code_redeem")
