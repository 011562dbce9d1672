from django import template

from members.selectors import user_display

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's name as people know it (select_related ``teacher`` first);
    login names appear only on the account page."""
    return user_display(user) if user else ""
