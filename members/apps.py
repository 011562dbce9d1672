from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "教师"

    def ready(self):
        # Imported once the models are loaded: registers the teacher directory's
        # export, and installs the school calendars as the calendar's source.
        from core import calendar
        from members import exports  # noqa: F401
        from members.accounts import services  # noqa: F401  (the first-password rule at login)
        from members.schoolyear.services import calendars

        calendar.use_source(calendars)
