from django.apps import AppConfig


class WorkroomsConfig(AppConfig):
    name = "workrooms"
    verbose_name = "工作室"

    def ready(self):
        # Imported once the models are loaded: they register the workroom
        # lists' exports and the reminders of the daily run.
        from workrooms import exports, notifications  # noqa: F401
        from workrooms.activities import notifications as activity_notifications  # noqa: F401
