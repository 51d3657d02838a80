from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """Every public list as CSV and JSON, contracts as OCDS, the inventory in the Atlas layout."""

    name = "opendata"
    default_auto_field = "django.db.models.BigAutoField"
