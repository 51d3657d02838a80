from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "content.filings"
    label = "filings"
    verbose_name = "Filings"
