from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import render

from assessment import inbox as assessment_inbox
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
    """Each role's home page: what waits for them."""
    sections = [section for inbox in INBOXES for section in inbox.sections(request.user)]
    return render(request, "home.html", {"sections": sections})
