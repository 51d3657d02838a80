from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    """The agency portal: where agency staff prepare and file what the ordinance requires."""

    name = "submissions"
    verbose_name = "Agency submissions"
