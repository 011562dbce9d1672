"""The login policy (README「登录保护」).

* Per account and address: 5 wrong passwords for one username from one
  address lock that username *from that address* for an hour (django-axes,
  ``AXES_LOCKOUT_PARAMETERS``). Someone else's mistakes elsewhere never lock
  a teacher out.
* Per account, across addresses: at most ``LOGIN_FAILURES_PER_USERNAME``
  wrong passwords an hour for one username, counted over every address
  (django-ratelimit). Past that, the username is refused for the rest of the
  hour except from addresses it signed in from successfully in the last
  ``LOGIN_KNOWN_ADDRESS_DAYS`` days, so guessing from many addresses gets a
  handful of tries while the teacher at school or at home still gets in.
  Attempts that axes already refused are not counted, so one address cannot
  use up the account's allowance.

Addresses come from ``core.client.client_ip`` like everywhere else. Single
sign-on logins (members.accounts.sso) pass through the same records: a
successful one is an access of the account, a refused identity a failure
filed under its staff number."""

from datetime import timedelta

from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.utils import timezone
from django_ratelimit.core import get_usage

from core.client import client_ip

GROUP = "login-username"
LIMITED_MESSAGE = "该账号近一小时登录失败次数过多，已暂停从新的地址登录，请稍后再试或联系管理员。"


def _username_key(username: str):
    return lambda group, request: username.strip().lower()


def _usage(request, username: str, *, increment: bool) -> dict | None:
    return get_usage(
        request, group=GROUP, key=_username_key(username), rate=f"{settings.LOGIN_FAILURES_PER_USERNAME}/h",
        increment=increment,
    )


def _known_address(username: str, ip: str) -> bool:
    """The account signed in from ``ip`` recently (axes' access log)."""
    since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=since).exists()


def username_limited(request, username: str) -> bool:
    """True when ``username`` has used up its failures this hour and
    ``request`` comes from an address it has not signed in from."""
    usage = _usage(request, username, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return False
    return not _known_address(username, client_ip(request))


class UsernameLimitBackend(BaseBackend):
    """Listed after axes' backend and before ModelBackend: refuses a
    username past its hourly failures (see the module docstring); otherwise
    lets ModelBackend check the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        if username_limited(request, username):
            request.login_username_limited = True
            raise PermissionDenied
        # Reached only when axes let the attempt through: a real guess.
        request.login_attempt_username = username
        return None


@receiver(user_login_failed, dispatch_uid="config.login.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    """Count a wrong password against the username, across addresses."""
    username = getattr(request, "login_attempt_username", None)
    if not username or getattr(request, "login_username_limited", False):
        return
    _usage(request, username, increment=True)


class LoginForm(AuthenticationForm):
    """The login form, telling a user refused by the per-account limit why."""

    def get_invalid_login_error(self):
        if getattr(self.request, "login_username_limited", False):
            return ValidationError(LIMITED_MESSAGE, code="username_limited")
        if getattr(self.request, "sso_refused", None):  # the directory knew the person, the roster did not
            return ValidationError(self.request.sso_refused, code="sso_refused")
        return super().get_invalid_login_error()


def attempt_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the username typed, else the staff number of
    a single sign-on identity (set on the request when it was refused)."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    if getattr(request, "sso_username", None):
        return request.sso_username
    if credentials:
        return None
    return getattr(request, "POST", {}).get("username")


class LoginView(auth_views.LoginView):
    """登录: the password form and, when OpenID Connect is on, 「统一身份认证登录」."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.OIDC_ENABLED}
