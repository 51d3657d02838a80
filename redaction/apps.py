from django.apps import AppConfig
from django.db.models.signals import post_delete


class RedactionConfig(AppConfig):
    name = "redaction"
    verbose_name = "Redaction"

    def ready(self):
        from content.documents.models import Document
        from redaction.services import delete_redacted_file

        post_delete.connect(
            delete_redacted_file, sender=Document, dispatch_uid="delete_redacted_file"
        )
