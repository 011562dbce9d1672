from django import template

from members.templatetags.people import person

register = template.Library()
register.filter("person", person)
