from django.apps import AppConfig


class WorkroomsConfig(AppConfig):
    name = "workrooms"
    verbose_name = "工作室"

    def ready(self):
        # Imported once the models are loaded: they register the workroom
        # lists' exports, the reminders of the daily run and the calendar feed.
        from workrooms import exports, notifications  # noqa: F401
        from workrooms.activities import feed  # noqa: F401
        from workrooms.activities import notifications as activity_notifications  # noqa: F401
