"""Store bytes the portal already holds (demo data, generated reports) as a Document.

They go through the same ingestion as any upload: sniffed, checked and cleaned.
"""

import io

from content.documents.models import Document
from content.filings.models import Filing
from search.ingestion.service import ingest_document


def store_document(filing: Filing, original_name: str, data: bytes, by=None) -> Document:
    """Save the bytes and their Document row; if either fails, neither remains."""
    return ingest_document(filing, io.BytesIO(data), original_name, by=by)
