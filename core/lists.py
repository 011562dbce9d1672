"""One way to paginate every list page."""

from django.core.paginator import Paginator

PER_PAGE = 20


def paginate(request, queryset, *, per_page: int = PER_PAGE):
    """Return the requested page (out-of-range numbers give the last page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
