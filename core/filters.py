"""One base for every list's FilterSet: the site's Bootstrap classes on the
filter form's widgets and one search over ``search_fields``.

Each list keeps its FilterSet beside its page; the page, its spreadsheet
download and any job that rebuilds the download all filter through that one
class (``core.xlsx``), so a download holds what the page shows."""

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS


def style_filter_form(form, *, size: str = ""):
    """Give a filter form's visible widgets the site's Bootstrap classes
    (``size="sm"`` for the compact filter rows); classes a widget already
    declares are kept."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        base = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", f"{base} {base}-{size}" if size else base)
    return form


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter offered as 全部/是/否 (django-filter's own select says
    未知/是/否, which reads as if 未知 were a value to filter by)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]))
        super().__init__(*args, **kwargs)


class StyledFilterSet(django_filters.FilterSet):
    """Declare ``q = CharFilter(method="search")`` and ``search_fields`` for
    a case-insensitive search over those fields (any of them matching)."""

    search_fields: tuple[str, ...] = ()
    widget_size: str = ""
    # Yes/no model fields listed in Meta.fields get the 全部/是/否 select too.
    FILTER_DEFAULTS = {**FILTER_FOR_DBFIELD_DEFAULTS, models.BooleanField: {"filter_class": YesNoFilter}}

    @property
    def form(self):
        return style_filter_form(super().form, size=self.widget_size)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        cond = Q()
        for field in self.search_fields:
            cond |= Q(**{f"{field}__icontains": value})
        return queryset.filter(cond)

