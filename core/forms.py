"""One way to show a service's refusal on the form that asked for it."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: errors keyed by a field
    the form has go to that field, everything else above the form. The form
    keeps what the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
