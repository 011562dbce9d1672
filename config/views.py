from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessment import inbox as assessment_inbox
from workrooms import inbox as workrooms_inbox
from workrooms.selection import inbox as members_inbox

# Each app says what waits for a user; the home page shows them in this order.
INBOXES = (workrooms_inbox, members_inbox, assessment_inbox)


@login_required
def home(request):
    """Each role's home page: what waits for them."""
    sections = [section for inbox in INBOXES for section in inbox.sections(request.user)]
    return render(request, "home.html", {"sections": sections})
