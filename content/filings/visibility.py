"""What the public may see: the one place the public site and search ask."""

from content.documents.models import Document
from content.filings.models import Filing, Status


def public_filings():
    return Filing.objects.filter(status=Status.PUBLISHED)


def public_documents():
    return Document.objects.filter(filing__status=Status.PUBLISHED)
