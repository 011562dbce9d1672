from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "教师"

    def ready(self):
        # Imported once the models are loaded: registers the teacher directory's export.
        from members import exports  # noqa: F401
