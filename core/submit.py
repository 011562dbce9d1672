"""Create forms are safe to submit twice (a double click, a reload that
posts again, the back button).

A form renders ``{% form_once %}``: a hidden one-time token. The first post
that carries a token claims it in the cache (an atomic add, so of two posts
arriving at once exactly one wins); a later post with the same token changes
nothing and is sent back with a message. A post that did not succeed (the form
is shown again with its errors, or the request failed) gives its token back,
so correcting and resubmitting works; the page shown again carries a new
token anyway."""

import uuid

from django import template
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "form_once"
ALREADY_SUBMITTED = "该表单已提交，请勿重复提交。"

register = template.Library()


@register.simple_tag
def form_once() -> str:
    """The hidden one-time token of a form (a template builtin)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)


def _key(token: str) -> str:
    return f"form-once:{token}"


def _back(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.path


class SubmitOnceMiddleware:
    """Claims the token of every post that carries one (after the CSRF check)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_form_once_key", None)
        if key and not 300 <= response.status_code < 400:
            cache.delete(key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        token = request.POST.get(FIELD, "")
        if not token:
            return None
        key = _key(token[:64])
        if not cache.add(key, 1, settings.FORM_ONCE_SECONDS):
            messages.warning(request, ALREADY_SUBMITTED)
            return redirect(_back(request))
        request._form_once_key = key
        return None

    def process_exception(self, request, exception):
        key = getattr(request, "_form_once_key", None)
        if key:
            cache.delete(key)
            request._form_once_key = None
