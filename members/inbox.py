"""Home-page sections for teachers, members and hosts (join requests etc.)."""

from .record_selectors import record_inbox_sections


def sections(user):
    return [*record_inbox_sections(user)]
