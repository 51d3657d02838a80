"""What the public may see: the one place the public site and search ask."""

from content.documents.models import Document
from content.filings.models import Filing, Status


def public_filings():
    return Filing.objects.filter(status=Status.PUBLISHED)


def public_documents():
    """Documents of published filings, except originals that staff replaced with a redacted
    version: the redacted version is public in their place, the original never is."""
    return Document.objects.filter(filing__status=Status.PUBLISHED, redacted_version__isnull=True)


def public_documents_of(filing: Filing):
    """The documents the public gets for one filing (none unless it is public), each original
    replaced by its redacted version when it has one."""
    return public_documents().filter(filing=filing)
