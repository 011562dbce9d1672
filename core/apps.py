from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础"

    def ready(self):
        # Log records carry their request or task (core.logs); models are ready only now.
        from core import logs  # noqa: PLC0415

        logs.install()
