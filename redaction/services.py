"""Replacing a document with a redacted version for the public, and undoing it.

The redacted version is a Document of its own, ingested like any upload (sniffed,
cleaned, hashed, its text extracted from its own file), with redaction_of pointing
at the original. content.filings.visibility then offers the public the redacted
version and never the original. Each change is logged on the filing and, when the
filing is public, reindexed in the same transaction.
"""

from functools import partial
from typing import BinaryIO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from wagtail.log_actions import log

from content.documents.models import MEDIA_TYPE_EXTENSIONS, Document
from content.filings.visibility import public_filings
from publication.models import PublicationLogEntry
from publication.services import amend
from search.indexing import record_filing_change
from search.ingestion.service import ingest_document, remove_stored_file

ADDED = "redaction.add"
REMOVED = "redaction.remove"

# How a media type is named in a refusal; the extension is what people recognise.
TYPE_NAMES = {
    media_type: extension[1:].upper() for media_type, extension in MEDIA_TYPE_EXTENSIONS.items()
}


class RedactionRefused(Exception):
    """Nothing was changed; the message says why, for the staff member who asked."""


def type_name(media_type: str) -> str:
    return TYPE_NAMES.get(media_type, media_type)


def add_redaction(
    original: Document, source: UploadedFile | BinaryIO, original_name: str, note: str, by
) -> Document:
    """Store source as the redacted version the public gets instead of original.

    Raises RedactionRefused, or the IngestionError saying why the file was refused;
    either way no Document row and no stored file remain.
    """
    note = note.strip()
    if not note:
        raise RedactionRefused("Say what was redacted, so the record explains the change.")
    redacted = None
    try:
        with transaction.atomic():
            # Locked so two staff members cannot both add a redacted version of one document.
            original = Document.objects.select_for_update().get(pk=original.pk)
            refuse_unless_redactable(original)
            redacted = ingest_document(original.filing, source, original_name, by=by)
            if redacted.media_type != original.media_type:
                raise RedactionRefused(
                    f"The redacted version must be a {type_name(original.media_type)} file like "
                    f"the original; this file is {type_name(redacted.media_type)}."
                )
            redacted.redaction_of = original
            redacted.redaction_note = note
            redacted.save(update_fields=["redaction_of", "redaction_note"])
            log(
                original.filing,
                ADDED,
                user=by,
                data=describe(original, redacted),
            )
            if public_filings().filter(pk=original.filing_id).exists():
                # The public now gets other bytes: that is an amendment of the published
                # record, and its log entry lists the redacted file's hash. The note stays
                # private (it may say what was removed); the reason says only what happened.
                amend(
                    original.filing,
                    by,
                    {},
                    reason=f"A redacted version of {original.original_name} replaces it.",
                )
            reindex_if_public(original.filing_id)
    except BaseException:
        # Storage is not transactional: the rolled-back row's file must go by hand.
        if redacted is not None:
            remove_stored_file(redacted)
        raise
    return redacted


def refuse_unless_redactable(original: Document) -> None:
    if original.redaction_of_id is not None:
        raise RedactionRefused(
            "This document is itself a redacted version; redact its original instead."
        )
    if Document.objects.filter(redaction_of=original).exists():
        raise RedactionRefused(
            "This document already has a redacted version. Remove that one first, then "
            "upload the new one."
        )


@transaction.atomic
def remove_redaction(original: Document, by) -> Document:
    """Delete original's redacted version, so the public gets the original again.

    Returns the deleted redacted version (its row is gone; its fields remain readable)."""
    redacted = Document.objects.select_for_update().filter(redaction_of=original).first()
    if redacted is None:
        raise RedactionRefused("This document has no redacted version to remove.")
    if on_the_published_record(redacted):
        raise RedactionRefused(
            "This redacted version was published, so the publication log lists its hash and "
            "it must stay as it is. To show the public something else, amend the filing."
        )
    log(original.filing, REMOVED, user=by, data=describe(original, redacted))
    redacted.delete()
    reindex_if_public(original.filing_id)
    return redacted


def on_the_published_record(document: Document) -> bool:
    """Whether an entry of the publication log lists this file (then it is kept for good)."""
    return any(
        listed["id"] == document.pk
        for entry in PublicationLogEntry.objects.filter(filing_id=document.filing_id)
        for listed in entry.contents["documents"]
    )


def describe(original: Document, redacted: Document) -> dict:
    """What the filing's history keeps about one redaction."""
    return {
        "original_id": original.pk,
        "original_name": original.original_name,
        "redacted_id": redacted.pk,
        "redacted_name": redacted.original_name,
        "redacted_sha256": redacted.sha256,
        "note": redacted.redaction_note,
    }


def reindex_if_public(filing_id: int) -> None:
    if public_filings().filter(pk=filing_id).exists():
        record_filing_change(filing_id)


def delete_redacted_file(sender, instance: Document, **kwargs) -> None:
    """post_delete of a Document: a redacted version's stored file goes once the deletion
    commits, whether staff removed it or it went with its original."""
    if instance.redaction_of_id is None:
        return
    storage, name = instance.file.storage, instance.file.name
    # robust: the row is gone for good by then; a failed file delete is logged, not raised.
    transaction.on_commit(partial(storage.delete, name), robust=True)
