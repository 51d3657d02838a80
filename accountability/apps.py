from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """The public compliance and inventory pages, and their staff side in the admin."""

    name = "accountability"
    default_auto_field = "django.db.models.BigAutoField"
