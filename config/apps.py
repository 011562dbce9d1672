from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SchoolAdminConfig(AdminConfig):
    default_site = "config.admin.SchoolAdminSite"


class ProjectConfig(AppConfig):
    """The project itself, the top layer: it composes the apps (URLs, the
    home page, the admin site) and holds the commands that need all of them
    (the demo school, the benchmark data)."""

    name = "config"
    verbose_name = "项目"

    def ready(self):
        # Connects the login failure counter (a signal receiver).
        from config import login  # noqa: F401, PLC0415 - models are ready only now
