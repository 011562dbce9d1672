"""One way to show a service's refusal on the form that asked for it, and
one way to refuse an action whose comment is invalid."""

from django.core.exceptions import ValidationError

from core.workflow import TransitionRefused

# The longest comment or reason an action (review, decision, transition) takes.
COMMENT_MAX_LENGTH = 2000


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: errors keyed by a field
    the form has go to that field, everything else above the form. The form
    keeps what the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def require_valid(form) -> None:
    """Refuse an action whose small form (a comment, a reason) is invalid,
    e.g. a comment over its length: raises ``TransitionRefused`` with the
    reasons in Chinese, before anything changes."""
    if form.is_valid():
        return
    reasons = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        reasons += [f"{label}：{e}" if label else e for e in errors]
    raise TransitionRefused("未执行：" + "；".join(reasons))


def name_empty_choices(form, **labels: str) -> None:
    """Say what to choose in the empty option of ``form``'s selects
    (``teacher="请选择教师"``) instead of Django's ``---------``."""
    for name, label in labels.items():
        field = form.fields.get(name)
        if field is None:
            continue
        if hasattr(field, "empty_label"):  # a model choice field
            if field.empty_label is not None:
                field.empty_label = label
        else:
            field.choices = [("", label), *((v, text) for v, text in field.choices if v != "")]
