from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The review queue: oversight staff check, decide on and publish what agencies filed."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = "Review"
