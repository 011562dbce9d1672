from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from members.accounts.services import MUST_CHANGE_KEY

# What an account that must change its first password may still open.
ALLOWED = {"password_change", "password_change_done", "logout", "jsi18n"}


class MustChangePasswordMiddleware:
    """Sends every request of a session marked at login (``MUST_CHANGE_KEY``)
    to 修改密码 until the password is changed. Reads only the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(MUST_CHANGE_KEY) and request.user.is_authenticated:
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in ALLOWED:
                return redirect("password_change")
        return self.get_response(request)
