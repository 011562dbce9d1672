"""The workroom's public page (工作室主页): no login, only published content;
visitors leave messages that the host approves (DOMAIN.md §3). Also its
public photos, and the one way a signed-in page handles a 公开 / 取消公开
button (``publish_toggle``)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django_ratelimit.core import is_ratelimited

from core.client import client_ip
from core.files import file_response
from core.forms import add_service_errors
from workrooms.outreach import showcase
from workrooms.outreach.forms import VisitorMessageForm


def _too_many_messages(request) -> bool:
    """Count one message for the visitor's address this hour; True past
    SHOWCASE_MESSAGES_PER_HOUR."""
    return is_ratelimited(
        request, group="showcase-message", key="ip", rate=f"{settings.SHOWCASE_MESSAGES_PER_HOUR}/h", increment=True
    )


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
            if _too_many_messages(request):
                form.add_error(
                    None, f"留言过于频繁：同一网络每小时最多 {settings.SHOWCASE_MESSAGES_PER_HOUR} 条，请稍后再试。"
                )
                return render(request, "outreach/showcase.html", {"data": data, "form": form}, status=429)
            try:
                showcase.visitor_message_create(
                    workroom=workroom, ip=client_ip(request), **{k: form.cleaned_data[k] for k in ("name", "school", "body")}
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "留言已提交，主持人审核后将显示。")
                return redirect("showcase:page", pk)
    return render(request, "outreach/showcase.html", {"data": data, "form": form})


def public_photo(request, pk, photo_pk):
    """An activity photo shown on the public page: served only while the page
    is published and the photo is public (``showcase.public_photos``);
    anything else is 404, whoever asks. The private file URL is never used."""
    if showcase.published_workroom(pk) is None:
        raise Http404
    photo = get_object_or_404(showcase.public_photos(pk).select_related("file"), pk=photo_pk)
    return file_response(photo.file, inline=True)


def publish_toggle(request, *, label: str, write) -> None:
    """Apply a 在工作室主页公开 / 取消公开 button (POST ``is_public`` = "1"
    or "0") through ``write(is_public=...)`` and tell the user what happened;
    a refusal leaves the record as it was."""
    is_public = request.POST.get("is_public") == "1"
    try:
        write(is_public=is_public)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"「{label}」已在工作室主页公开。" if is_public else f"「{label}」已不在工作室主页显示。")
