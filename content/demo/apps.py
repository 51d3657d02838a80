from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "content.demo"
    label = "demo"
    verbose_name = "Demo data"
