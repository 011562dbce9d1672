"""``{{ value|richtext }}``: stored rich text, sanitized again as it is shown."""

from django import template

from core.sanitize import render_html

register = template.Library()


@register.filter
def richtext(value):
    return render_html(value)
