from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from members import inbox as members_inbox
from workrooms import inbox as workrooms_inbox


@login_required
def home(request):
    """Each role's home page: what waits for them."""
    sections = [*workrooms_inbox.sections(request.user), *members_inbox.sections(request.user)]
    return render(request, "home.html", {"sections": sections})
