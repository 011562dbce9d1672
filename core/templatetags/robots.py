"""Saved robot credentials as pages show them again: only their last characters."""

from django import template

from core.robots import masked, masked_url

register = template.Library()
register.filter("masked", masked)
register.filter("masked_url", masked_url)
