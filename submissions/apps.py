from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    """The agency portal: where agency staff prepare and file what the ordinance requires."""

    name = "submissions"
    verbose_name = "Agency submissions"

    def ready(self):
        # Importing connects the receivers that email agencies about status changes.
        from submissions import notifications  # noqa: F401
