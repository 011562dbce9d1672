"""``{{ stored_file|preview_kind }}``: how a page may show a stored file."""

from django import template

from core import files

register = template.Library()


@register.filter
def preview_kind(stored) -> str:
    return files.preview_kind(stored.content_type) if stored else ""
