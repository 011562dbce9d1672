from django.apps import AppConfig


class WorkroomsConfig(AppConfig):
    name = "workrooms"
    verbose_name = "工作室"
