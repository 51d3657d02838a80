"""Check the publication log end to end: the hash chain, the rows and every published file.

Each problem is a sentence naming the entry (and the document) it concerns, so whoever
runs the check knows exactly what was changed.
"""

import datetime
import hashlib
import json
from collections.abc import Callable

from django.core.files.storage import default_storage

from content.documents.models import Document
from content.filings.models import Filing, Status
from publication.models import GENESIS_HASH, PUBLIC_ACTIONS, PublicationLogEntry, sha256_text
from publication.services import canonical_json

CHUNK_BYTES = 1024 * 1024


def file_sha256(name: str) -> str:
    """SHA-256 of a stored file, read in chunks so large files never sit in memory."""
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _StoredDocuments:
    """Each document's row and stored file, looked at once however many entries list it."""

    def __init__(self):
        self._rows = {}
        self._file_hashes = {}

    def row(self, document_id: int) -> Document | None:
        if document_id not in self._rows:
            self._rows[document_id] = Document.objects.filter(pk=document_id).first()
        return self._rows[document_id]

    def file_hash(self, document: Document) -> str | None:
        """The stored file's SHA-256, or None if storage does not have it."""
        if document.pk not in self._file_hashes:
            try:
                self._file_hashes[document.pk] = file_sha256(document.file.name)
            except FileNotFoundError:
                self._file_hashes[document.pk] = None
        return self._file_hashes[document.pk]


def _row_disagreements(entry: PublicationLogEntry, hashed: dict) -> list[str]:
    """The row's columns that differ from the contents its hash covers."""
    recorded_at = hashed.get("recorded_at")
    try:
        recorded_matches = datetime.datetime.fromisoformat(recorded_at) == entry.recorded_at
    except (TypeError, ValueError):
        recorded_matches = False
    columns = {
        "sequence": hashed.get("sequence") == entry.sequence,
        "action": hashed.get("action") == entry.action,
        "recorded_at": recorded_matches,
        "actor_name": hashed.get("actor") == entry.actor_name,
        "reason": hashed.get("reason") == entry.reason,
        "filing": hashed["filing"].get("id") == entry.filing_id,
        "version": hashed.get("version") == (entry.version.number if entry.version else None)
        and (entry.version is None or entry.version.filing_id == entry.filing_id),
        "previous_hash": hashed.get("previous_hash") == entry.previous_hash,
    }
    return [name for name, matches in columns.items() if not matches]


def _document_problems(label: str, listed: dict, stored: _StoredDocuments) -> list[str]:
    described = f"{label}: document {listed.get('id')} ({listed.get('name')})"
    document = stored.row(listed.get("id"))
    if document is None:
        return [f"{described} no longer exists in the database"]
    expected = listed.get("sha256")
    problems = []
    if document.sha256 != expected:
        problems.append(
            f"{described} SHA-256 in the database is {document.sha256}, expected {expected}"
        )
    actual = stored.file_hash(document)
    if actual is None:
        problems.append(f"{described} is missing from storage")
    elif actual != expected:
        problems.append(f"{described} SHA-256 in storage is {actual}, expected {expected}")
    return problems


def _has_expected_shape(hashed) -> bool:
    """Whether parsed contents have the structure the checks below read."""
    return (
        isinstance(hashed, dict)
        and isinstance(hashed.get("filing"), dict)
        and isinstance(hashed.get("documents"), list)
        and all(isinstance(listed, dict) for listed in hashed["documents"])
    )


def _entry_problems(entry, previous, stored) -> list[str]:
    label = f"entry {entry.sequence}"
    problems = []
    expected_sequence = previous.sequence + 1 if previous else 1
    if entry.sequence != expected_sequence:
        problems.append(
            f"{label}: expected entry {expected_sequence} here; entries are missing or reordered"
        )
    if sha256_text(entry.canonical) != entry.entry_hash:
        problems.append(f"{label}: hash does not match its contents")
    expected_previous = previous.entry_hash if previous else GENESIS_HASH
    if entry.previous_hash != expected_previous:
        before = f"entry {previous.sequence}" if previous else "the start of the log"
        problems.append(f"{label}: previous_hash does not match {before}")
    try:
        hashed = json.loads(entry.canonical)
    except ValueError:
        return [*problems, f"{label}: its contents are not valid JSON"]
    if not _has_expected_shape(hashed):
        return [*problems, f"{label}: its contents are not in the form the portal writes"]
    disagreeing = _row_disagreements(entry, hashed)
    if disagreeing:
        problems.append(
            f"{label}: the row's {', '.join(disagreeing)} does not match its hashed contents"
        )
    if entry.version is not None:
        metadata_hash = sha256_text(canonical_json(entry.version.metadata))
        if metadata_hash != hashed.get("metadata_sha256"):
            problems.append(
                f"{label}: version {entry.version.number} of filing {entry.filing_id} has "
                f"metadata SHA-256 {metadata_hash}, expected {hashed.get('metadata_sha256')}"
            )
    for listed in hashed["documents"]:
        problems.extend(_document_problems(label, listed, stored))
    return problems


def _status_problems(last_actions: dict[int, str]) -> list[str]:
    """Filings whose status disagrees with what the log last did to them."""
    published = set(Filing.objects.filter(status=Status.PUBLISHED).values_list("pk", flat=True))
    public_in_log = {
        filing_id for filing_id, action in last_actions.items() if action in PUBLIC_ACTIONS
    }
    problems = [
        f"filing {filing_id} is published but the log does not show it published"
        for filing_id in sorted(published - public_in_log)
    ]
    problems.extend(
        f"filing {filing_id} is public in the log but not published on the site"
        for filing_id in sorted(public_in_log - published)
    )
    return problems


def verify_log(progress: Callable[[int], None] | None = None) -> list[str]:
    """Every problem found in the log, its versions and its files; empty when all is intact.

    `progress(checked)` is called after each entry with how many have been checked.
    """
    entries = PublicationLogEntry.objects.select_related("version").order_by("sequence")
    stored = _StoredDocuments()
    problems = []
    last_actions = {}
    previous = None
    for checked, entry in enumerate(entries.iterator(chunk_size=500), start=1):
        problems.extend(_entry_problems(entry, previous, stored))
        last_actions[entry.filing_id] = entry.action
        previous = entry
        if progress:
            progress(checked)
    problems.extend(_status_problems(last_actions))
    return problems
