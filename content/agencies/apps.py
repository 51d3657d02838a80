from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "content.agencies"
    label = "agencies"
    verbose_name = "Agencies"
