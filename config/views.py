from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.shortcuts import render

from assessment import inbox as assessment_inbox
from config.dashboard import can_see_school_dashboard, school_dashboard
from members.roles import roles_of
from workrooms import inbox as workrooms_inbox
from workrooms.selection import inbox as members_inbox

# Each app says what waits for a user; the home page shows them in this order.
INBOXES = (workrooms_inbox, members_inbox, assessment_inbox)


def bad_request(request, exception):
    """400: a request with a parameter the site cannot use. ``BadRequest``
    raised by a view carries its reason in Chinese; other causes (Django's
    own suspicious requests) get the general message."""
    message = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"message": message}, status=400)


@login_required
def home(request):
    """Each role's home page: what waits for them; a school leader's also
    shows the school's figures (全校概览)."""
    sections = [section for inbox in INBOXES for section in inbox.sections(request.user)]
    context = {"sections": sections, "can_see_dashboard": can_see_school_dashboard(request.user)}
    if roles_of(request.user).is_leader:
        context["dashboard"] = school_dashboard()
    return render(request, "home.html", context)


@login_required
def dashboard(request):
    """全校概览: the leader's figures, for the office too."""
    if not can_see_school_dashboard(request.user):
        raise PermissionDenied
    return render(request, "dashboard.html", {"dashboard": school_dashboard()})
