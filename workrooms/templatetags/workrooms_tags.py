from django import template

from workrooms.selectors import user_display

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's name as people know it (select_related ``teacher`` first)."""
    return user_display(user) if user else ""
