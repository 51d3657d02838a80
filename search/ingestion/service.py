"""The one way a file enters the portal: ingest_document.

The agency portal, the staff admin and the demo data all call it. A file is
streamed to a private temporary directory (never held whole in memory), hashed
and measured on the way, judged by its bytes, checked (and for PDFs, cleaned of
active content), then stored under a UUID key with its Document row. Either
both the stored object and the row exist afterwards or neither does. A caller
that ingests inside a larger transaction of its own and then rolls it back must
delete document.file.name itself (storage is not transactional; the demo loader
does this).
"""

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from content.documents.models import Document, document_storage_key
from content.filings.models import Filing
from search.extraction import extract_document_text
from search.ingestion.errors import EmptyFile, FileTooLarge
from search.ingestion.filenames import display_name
from search.ingestion.pdf_safety import inspect_pdf
from search.ingestion.sniffing import PDF, sniff_media_type

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Received:
    path: Path
    size: int
    sha256: str


def ingest_document(
    filing: Filing, source: UploadedFile | BinaryIO, original_name: str, by=None
) -> Document:
    """Store the file read from source as a Document of filing, or raise an IngestionError
    saying why it was refused. source is read from its current position to its end."""
    with tempfile.TemporaryDirectory(
        prefix="portal-ingest-", dir=settings.FILE_UPLOAD_TEMP_DIR
    ) as workspace:
        upload = receive(source, Path(workspace) / "upload")
        media_type = sniff_media_type(upload.path, original_name)
        stored, page_count, removed = upload, None, []
        if media_type == PDF:
            inspection = inspect_pdf(upload.path, Path(workspace))
            page_count, removed = inspection.page_count, inspection.removed
            if inspection.cleaned is not None:
                stored = measure(inspection.cleaned)
        document = Document(
            filing=filing,
            original_name=display_name(original_name, media_type),
            media_type=media_type,
            size_bytes=stored.size,
            sha256=stored.sha256,
            page_count=page_count,
            removed_content=removed,
            uploaded_sha256=upload.sha256 if stored is not upload else "",
            uploaded_by=by,
        )
        save_with_row(document, stored.path)
    return document


def receive(source: UploadedFile | BinaryIO, destination: Path) -> Received:
    """Copy source to destination a chunk at a time, hashing and counting as it goes, and
    stop at the first byte past the size limit."""
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    declared = getattr(source, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise too_large(limit)
    digest = hashlib.sha256()
    size = 0
    chunks = (
        source.chunks(CHUNK_BYTES)
        if isinstance(source, UploadedFile)
        else iter(partial(source.read, CHUNK_BYTES), b"")
    )
    with destination.open("wb") as spooled:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            digest.update(chunk)
            spooled.write(chunk)
    if size == 0:
        raise EmptyFile("The file is empty (0 bytes). Check that you picked the right file.")
    return Received(path=destination, size=size, sha256=digest.hexdigest())


def measure(path: Path) -> Received:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return Received(path=path, size=path.stat().st_size, sha256=digest.hexdigest())


def too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(
        f"The file is larger than {describe_size(limit)}, the limit for one document. Split it "
        "into smaller files, or make it smaller (for a scan, a lower resolution such as 300 dpi "
        "usually does it), and upload again."
    )


def describe_size(size: int) -> str:
    for unit, name in ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB")):
        if size >= unit:
            return f"{round(size / unit, 1):g} {name}"
    return f"{size:,} bytes"


def save_with_row(document: Document, path: Path) -> None:
    """Upload the file, then write the row; if the row cannot be written, delete the upload.
    Text extraction is queued only once the row is committed, so the worker finds it."""
    # The key is the document's UUID, so a write that fails part-way (a full disk, a
    # dropped connection to the bucket) leaves a partial object under a known name.
    intended_name = document_storage_key(document, "")
    try:
        with path.open("rb") as handle:
            document.file.save("", File(handle), save=False)
    except BaseException:
        remove_partial_object(document.file.storage, intended_name)
        raise
    try:
        with transaction.atomic():
            document.save()
            transaction.on_commit(partial(extract_document_text.enqueue, document.pk))
    except BaseException:
        remove_stored_file(document)
        raise


def remove_partial_object(storage, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except Exception:
        logger.exception("Could not delete the partly written %s", name)


def remove_stored_file(document: Document) -> None:
    # The failure that got us here is the one to report; a failed clean-up is only logged.
    try:
        document.file.delete(save=False)
    except Exception:
        logger.exception("Could not delete %s after its Document row failed", document.file.name)
