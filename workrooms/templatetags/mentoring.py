"""``{% mentoring_panel teacher %}``: 导师制 on a person's page (as mentor
and as trainee, with the number of guidance records); three queries."""

from django import template

from workrooms.mentoring.services import mentoring_for_teacher

register = template.Library()


@register.inclusion_tag("outreach/_mentoring_panel.html")
def mentoring_panel(teacher):
    return mentoring_for_teacher(teacher.pk)
