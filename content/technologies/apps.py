from django.apps import AppConfig


class TechnologiesConfig(AppConfig):
    name = "content.technologies"
    label = "technologies"
    verbose_name = "Technologies"
