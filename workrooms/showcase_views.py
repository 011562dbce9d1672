"""The workroom's public page (工作室主页): no login, only published content;
visitors leave messages that the host approves (DOMAIN.md §3)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from config.forms import add_service_errors

from . import showcase
from .outreach_forms import VisitorMessageForm


def _client_ip(request) -> str:
    """The visitor's address. Behind ``TRUSTED_PROXY_HOPS`` reverse proxies it
    is the entry those proxies appended to X-Forwarded-For (never one the
    client wrote itself)."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def public_page(request, pk):
    """工作室主页: open to everyone; only published, public content."""
    data = showcase.showcase_data(pk)
    if data is None:
        raise Http404
    form = VisitorMessageForm(request.POST or None)
    if request.method == "POST":
        if not data["accept_messages"]:
            raise Http404
        if form.is_valid():
            if form.is_bot():
                # Pretend success so bots learn nothing; keep nothing.
                messages.success(request, "留言已提交，主持人审核后将显示。")
                return redirect("showcase:page", pk)
            workroom = showcase.published_workroom(pk)
            try:
                showcase.visitor_message_create(
                    workroom=workroom, ip=_client_ip(request), **{k: form.cleaned_data[k] for k in ("name", "school", "body")}
                )
            except showcase.RateLimited as exc:
                form.add_error(None, str(exc))
                return render(request, "outreach/showcase.html", {"data": data, "form": form}, status=429)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "留言已提交，主持人审核后将显示。")
                return redirect("showcase:page", pk)
    return render(request, "outreach/showcase.html", {"data": data, "form": form})
