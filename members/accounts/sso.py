"""Single sign-on (统一身份认证): OpenID Connect through mozilla-django-oidc
and LDAP/Active Directory through django-auth-ldap, each off unless its
setting (``OIDC_ENABLED``, ``LDAP_ENABLED``) is on.

Either way the identity's staff number (工号: the claim ``OIDC_STAFF_NO_CLAIM``,
the attribute ``LDAP_STAFF_NO_ATTR``) names the teacher whose account signs
in. A staff number no teacher has is refused with a message saying so, or,
with ``SSO_CREATE_UNKNOWN``, becomes a new teacher of ``SSO_NEW_TEACHER_SCHOOL``.
Logins go through ``django.contrib.auth`` like password logins, so the
login policy's records (django-axes) see them too."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django_auth_ldap.backend import LDAPBackend as BaseLDAPBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from members.models import School, Teacher

log = logging.getLogger(__name__)

FAILED_MESSAGE = "统一身份认证登录未成功，请重试，或使用账号密码登录。"


class Refused(Exception):
    """An identity that may not sign in here; the message says why, in Chinese."""


def _unknown_message(staff_no: str) -> str:
    return (f"统一身份认证已确认您的身份（工号 {staff_no}），但本系统的教师名册中没有这个工号，"
            "无法登录。请联系德育处核对工号或将您导入教师名册。")


def sso_user(*, staff_no: str, name: str = "", email: str = ""):
    """The account of the teacher with ``staff_no``; a new teacher when the
    settings allow it. Raises ``Refused`` otherwise."""
    staff_no = (staff_no or "").strip()
    if not staff_no:
        raise Refused("统一身份认证没有提供您的工号，无法确定您是哪位教师。请联系管理员检查统一身份认证的设置。")
    teacher = Teacher.objects.select_related("user").filter(staff_no=staff_no).first()
    if teacher is not None:
        if not teacher.user.is_active:
            raise Refused(f"工号 {staff_no} 的账号已停用，请联系管理员。")
        return teacher.user
    if not settings.SSO_CREATE_UNKNOWN:
        raise Refused(_unknown_message(staff_no))
    return _create_teacher(staff_no=staff_no, name=(name or "").strip(), email=(email or "").strip())


def _create_teacher(*, staff_no: str, name: str, email: str):
    school = School.objects.filter(name=settings.SSO_NEW_TEACHER_SCHOOL).first()
    if school is None:
        log.error("SSO_NEW_TEACHER_SCHOOL %r is not a school", settings.SSO_NEW_TEACHER_SCHOOL)
        raise Refused(_unknown_message(staff_no))
    if not name:
        raise Refused(f"统一身份认证没有提供工号 {staff_no} 的姓名，无法建立教师档案，请联系管理员。")
    User = get_user_model()
    if User.objects.filter(username=staff_no).exists():
        raise Refused(f"用户名“{staff_no}”已被其他账号使用，无法为您自动建立账号，请联系管理员。")
    try:
        with transaction.atomic():
            user = User(username=staff_no, email=email)
            user.set_unusable_password()  # signs in through single sign-on
            user.full_clean(exclude=["password"])
            user.save()
            teacher = Teacher(user=user, name=name[:50], staff_no=staff_no, school=school, email=email)
            teacher.full_clean(exclude=["user"])
            teacher.save()
    except IntegrityError:  # the same person signing in twice at once
        teacher = Teacher.objects.select_related("user").filter(staff_no=staff_no).first()
        if teacher is None:
            raise
    except Exception as exc:  # e.g. an e-mail address the profile cannot hold
        log.warning("could not create a teacher for %s: %s", staff_no, exc)
        raise Refused(f"无法为工号 {staff_no} 自动建立教师档案，请联系管理员。") from exc
    return teacher.user


def sso_login_user(request, *, staff_no: str, name: str = "", email: str = ""):
    """``sso_user`` for a backend: a refusal is kept on the request (the
    login page shows it; the login records file it under the staff number)."""
    try:
        return sso_user(staff_no=staff_no, name=name, email=email)
    except Refused as refused:
        request.sso_refused = str(refused)
        request.sso_username = (staff_no or "").strip() or None
        return None


SSO_BACKENDS = ("members.accounts.sso.OIDCBackend", "members.accounts.sso.LDAPBackend")


# --- OpenID Connect ----------------------------------------------------------


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name)
    return "" if value is None else str(value)


class OIDCBackend(OIDCAuthenticationBackend):
    """The OpenID Connect code flow (tokens checked by mozilla-django-oidc);
    the teacher comes from the staff-number claim of the ID token or the
    userinfo answer."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        return sso_login_user(
            self.request, staff_no=_claim(claims, settings.OIDC_STAFF_NO_CLAIM),
            name=_claim(claims, settings.OIDC_NAME_CLAIM), email=_claim(claims, settings.OIDC_EMAIL_CLAIM),
        )


class _OIDCEnabled:
    def __init__(self, *args, **kwargs):
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("未启用统一身份认证。")
        return super().dispatch(request, *args, **kwargs)


class OIDCLoginView(_OIDCEnabled, OIDCAuthenticationRequestView):
    """「统一身份认证登录」: sends the browser to the provider."""


class OIDCCallbackView(_OIDCEnabled, OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a refusal is explained on the login page."""

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "sso_refused", FAILED_MESSAGE))
        return HttpResponseRedirect(reverse("login"))


# --- LDAP / Active Directory --------------------------------------------------


def _attr(ldap_user, name: str) -> str:
    values = (ldap_user.attrs or {}).get(name) or []
    return str(values[0]) if values else ""


class LDAPBackend(BaseLDAPBackend):
    """The login form's username and password checked against the
    directory; the entry's staff-number attribute names the teacher. When
    the directory says no, the local password is still tried."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LDAP_ENABLED or request is None:
            return None
        self._request = request
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username, ldap_user):
        user = sso_login_user(
            self._request, staff_no=_attr(ldap_user, settings.LDAP_STAFF_NO_ATTR),
            name=_attr(ldap_user, settings.LDAP_NAME_ATTR), email=_attr(ldap_user, settings.LDAP_EMAIL_ATTR),
        )
        if user is None:
            raise ldap_user.AuthenticationFailed(self._request.sso_refused)
        return user, False
