from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "content.documents"
    label = "documents"
    verbose_name = "Documents"
