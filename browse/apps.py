from django.apps import AppConfig


class BrowseConfig(AppConfig):
    """The public browsing pages: agencies, technologies, vendors and published filings."""

    name = "browse"
    default_auto_field = "django.db.models.BigAutoField"
