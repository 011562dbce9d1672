"""One sanitizer for every piece of rich text users write (plans, summaries,
guidance records, comments, visitor messages).

HTML is cleaned with an allow-list (nh3) twice: before it is stored
(``RichTextField`` cleans on every save, whatever path the value came by) and
again when it is shown (the ``richtext`` template filter), so a script, an
event handler or a ``javascript:`` URL never reaches any page or PDF, even
from rows written before the allow-list was tightened."""

import html
import re

import nh3
from django import forms
from django.db import models
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "span",
        "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
        "table", "thead", "tbody", "tr", "th", "td", "a",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(value: str | None) -> str:
    """Rich text reduced to the allow-list; everything else is dropped."""
    if not value:
        return ""
    return nh3.clean(
        str(value),
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def clean_text(value: str | None) -> str:
    """Plain text: every tag removed (the template escapes what is left)."""
    if not value:
        return ""
    return html.unescape(nh3.clean(str(value), tags=set())).strip()


# A mainland mobile number (11 digits from 13–19) and a resident ID number
# (17 digits and a check digit or X), not part of a longer run of digits.
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")


def mask_personal_numbers(value: str) -> str:
    """Text meant for the public with mobile and ID numbers blotted out: a
    member's writing may quote a parent's phone or a student's ID number,
    and the public page must never show one (DOMAIN.md §1: visible only to
    the roles that own it)."""
    if not value:
        return value
    value = _ID_NUMBER.sub(lambda m: "*" * len(m.group()), value)
    return _MOBILE.sub(lambda m: "*" * len(m.group()), value)


def render_html(value: str | None) -> SafeString:
    return mark_safe(clean_html(value))  # noqa: S308 - cleaned by the allow-list just above


class RichTextFormField(forms.CharField):
    widget = forms.Textarea

    def clean(self, value):
        value = super().clean(value)
        cleaned = clean_html(value)
        if self.required and not clean_text(cleaned):
            raise forms.ValidationError("请填写内容。", code="required")
        return cleaned


class RichTextField(models.TextField):
    """A text column holding sanitized HTML: cleaned on every save."""

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})


# Help text of every rich-text field.
RICH_HELP = "可使用简单格式（段落、加粗、列表、链接）；脚本等不安全内容会被自动清除。"
