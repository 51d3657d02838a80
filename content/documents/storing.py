"""Put a file into storage as a Document, whole or not at all.

The agency portal will stream uploads through the ingestion service of the
search issue; this is the path for files the portal itself makes (demo data,
generated reports), which arrive as bytes.
"""

import hashlib

import pypdfium2
from django.core.files.base import ContentFile
from django.db import transaction

from content.documents.models import Document
from content.filings.models import Filing


class UnsupportedFile(ValueError):
    """The bytes are not a type the portal accepts."""


def sniff_media_type(data: bytes) -> str:
    """The media type the bytes themselves declare, whatever the file is called."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    raise UnsupportedFile("the file does not start with a PDF header (%PDF-)")


def count_pdf_pages(data: bytes) -> int:
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise UnsupportedFile(f"the PDF cannot be opened: {error}") from None
    try:
        return len(pdf)
    finally:
        pdf.close()


def store_document(filing: Filing, original_name: str, data: bytes, by=None) -> Document:
    """Save the bytes and their Document row; if either fails, neither remains."""
    media_type = sniff_media_type(data)
    page_count = count_pdf_pages(data)
    if page_count == 0:
        raise UnsupportedFile("the PDF has no pages")
    document = Document(
        filing=filing,
        original_name=original_name,
        media_type=media_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=page_count,
        uploaded_by=by,
    )
    document.file.save("", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        document.file.delete(save=False)
        raise
    return document
