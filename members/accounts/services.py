"""Passwords: the first-password rule and the office's one-time codes
(README「统一身份认证与密码」).

* An account the roster import created has ``Teacher.must_change_password``:
  after signing in with a password (not through single sign-on) it may do
  nothing but change it. The flag is read once at login and kept in the
  session, so other requests cost no query.
* The office hands a teacher without e-mail a code (``password_code_issue``):
  shown once, kept only as a digest, valid ``PASSWORD_CODE_HOURS`` hours,
  used once (``password_code_redeem``); a new code voids the earlier ones."""

import hashlib
import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from members.accounts.sso import SSO_BACKENDS
from members.models import PasswordCode, Teacher

MUST_CHANGE_KEY = "must_change_password"
# Letters and digits that cannot be mistaken for each other when read aloud
# or copied from paper (no 0/O, 1/I/L); 12 of them are about 60 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def must_change_password(user) -> bool:
    return Teacher.objects.filter(user=user, must_change_password=True).exists()


@receiver(user_logged_in, dispatch_uid="members.accounts.first_password")
def remember_first_password(sender, request, user, **kwargs):
    """A password login of an account that must change its first password
    marks the session (MustChangePasswordMiddleware then holds it)."""
    if request is None or not hasattr(request, "session"):
        return
    if getattr(user, "backend", "") in SSO_BACKENDS:
        return
    if must_change_password(user):
        request.session[MUST_CHANGE_KEY] = True


def password_changed(*, user, request=None) -> None:
    """After the account's owner chose a new password: the first-password
    rule is met, and lockouts of the username are lifted."""
    Teacher.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
    if request is not None and hasattr(request, "session"):
        request.session.pop(MUST_CHANGE_KEY, None)
    axes_reset(username=user.get_username())


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def password_code_issue(*, teacher: Teacher, by) -> tuple[PasswordCode, str]:
    """A new one-time code for ``teacher``'s account, voiding unused earlier
    ones. Returns the row and the code (the only time it exists in clear)."""
    now = timezone.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with transaction.atomic():
        PasswordCode.objects.filter(user=teacher.user, used_at=None, revoked_at=None).update(revoked_at=now)
        row = PasswordCode.objects.create(
            user=teacher.user, digest=_digest(code), created_by=by, created_at=now,
            expires_at=now + timedelta(hours=settings.PASSWORD_CODE_HOURS),
        )
    return row, code


def password_code_problem(row: PasswordCode | None) -> str | None:
    """Why a code cannot be used (Chinese), or None."""
    if row is None:
        return "设置密码码不正确，请核对德育处给您的码（字母不区分大小写）。"
    if row.used_at is not None:
        return "该设置密码码已经用过，不能再次使用。如需重新设置密码，请联系德育处重新生成。"
    if row.revoked_at is not None:
        return "该设置密码码已作废（德育处已为您生成了新的码），请使用最新的码。"
    if row.expires_at <= timezone.now():
        return "该设置密码码已过期，请联系德育处重新生成。"
    if not row.user.is_active:
        return "该账号已停用，请联系管理员。"
    return None


def password_code_find(code: str) -> PasswordCode | None:
    return PasswordCode.objects.select_related("user").filter(digest=_digest(code)).first()


def password_code_redeem(*, code: str, password: str, request=None):
    """Set the account's password with a one-time code; the code is used
    up. Raises ``ValidationError`` (and changes nothing) when the code is
    wrong, used, void or expired. The password was validated by the form."""
    with transaction.atomic():
        row = PasswordCode.objects.select_for_update().select_related("user").filter(digest=_digest(code)).first()
        problem = password_code_problem(row)
        if problem:
            raise ValidationError(problem, code="bad_code")
        user = row.user
        user.set_password(password)
        user.save(update_fields=["password"])
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
    password_changed(user=user)
    return user
