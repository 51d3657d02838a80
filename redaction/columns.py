"""The "Public version" column of the staff admin's document listing: links to redaction."""

from django.urls import reverse
from wagtail.admin.ui.tables import TitleColumn

from content.documents.models import Document


def public_version(document: Document) -> str:
    if document.redaction_of_id is not None:
        return f"Redacted copy of “{document.redaction_of}”"
    if hasattr(document, "redacted_version"):
        return "Replaced by a redacted version"
    return "As uploaded (redact…)"


def redaction_page_url(document: Document) -> str:
    original_pk = document.redaction_of_id or document.pk
    return reverse("redaction:replace", args=[original_pk])


public_version_column = TitleColumn(
    "public_version",
    label="Public version",
    accessor=public_version,
    get_url=redaction_page_url,
)
