"""The whole published record as one zip, written as it streams: metadata, files, the log.

Each file is read in chunks and every chunk is handed on as soon as zipfile has written it,
so memory stays bounded however large the record is.
"""

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from content.filings.visibility import public_documents
from opendata.atlas import ATLAS_HEADER, atlas_rows
from opendata.csv_stream import neutralise_formula
from opendata.datasets import DATASETS, AbsoluteUrl
from opendata.ocds import NoContractsPublished, release_package
from publication.models import PublicationLogEntry

READ_CHUNK = 64 * 1024


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are taken away after each write, never kept."""

    def __init__(self):
        self._pending = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self._pending.extend(data)
        return len(data)

    def take(self) -> bytes:
        taken = bytes(self._pending)
        self._pending.clear()
        return taken


def _csv_text(header, rows) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_formula(value) for value in row])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def _json_bytes(value) -> Iterator[bytes]:
    yield json.dumps(value, ensure_ascii=False, indent=2).encode()


def _log_entries(absolute_url: AbsoluteUrl) -> Iterator[bytes]:
    entries = PublicationLogEntry.objects.order_by("sequence").iterator(chunk_size=500)
    yield b'{"entries": ['
    for index, entry in enumerate(entries):
        record = {
            "sequence": entry.sequence,
            "action": entry.action,
            "recorded_at": entry.recorded_at.isoformat(),
            "filing_url": absolute_url(reverse("publication:filing", args=[entry.filing_id])),
            "canonical": entry.canonical,
            "previous_hash": entry.previous_hash,
            "entry_hash": entry.entry_hash,
        }
        yield (b", " if index else b"") + json.dumps(record, ensure_ascii=False).encode()
    yield b"]}\n"


def _stored_file(document) -> Iterator[bytes]:
    with document.file.open("rb") as stored:
        while chunk := stored.read(READ_CHUNK):
            yield chunk


def _readme(made_at) -> bytes:
    return f"""The published record of {settings.WAGTAIL_SITE_NAME}, as of {made_at.isoformat()}.

metadata/         every public list as CSV (columns documented on the site's /data/ page),
                  the contracts as an OCDS 1.1 release package (once a contract is
                  published) and the inventory in the layout of the EFF Atlas of Surveillance.
documents/<id>/   every published document, as stored; <id> is its id in documents.csv,
                  whose sha256 column is the SHA-256 of these bytes.
publication-log.json
                  every entry of the hash-chained publication log, oldest first; the site's
                  /publication-log/how-to-verify/ page explains how to check the chain.
SHA256SUMS        the SHA-256 of every other file here: check with `sha256sum -c SHA256SUMS`.

Spreadsheet cells that would start with = + - @, a tab or a carriage return have a leading
apostrophe ('), so that no spreadsheet runs them as formulas.
""".encode()


def _safe_name(document) -> str:
    """The agency's file name, made safe to unpack; "document" when nothing of it is safe."""
    try:
        return get_valid_filename(document.original_name)
    except SuspiciousFileOperation:
        return "document"


def _ocds_package(absolute_url: AbsoluteUrl) -> dict | None:
    """None until a contract is published: OCDS allows no empty package (the README says so)."""
    try:
        return release_package(absolute_url)
    except NoContractsPublished:
        return None


def archive_members(absolute_url: AbsoluteUrl) -> Iterator[tuple[str, Iterator[bytes]]]:
    """Every file of the archive but SHA256SUMS, as (name, its bytes in chunks)."""
    yield "README.txt", iter([_readme(timezone.now())])
    for dataset in DATASETS:
        yield f"metadata/{dataset.slug}.csv", _csv_text(dataset.header, dataset.rows(absolute_url))
    yield "metadata/inventory.atlas.csv", _csv_text(ATLAS_HEADER, atlas_rows(absolute_url))
    ocds_package = _ocds_package(absolute_url)
    if ocds_package is not None:
        yield "metadata/contracts.ocds.json", _json_bytes(ocds_package)
    yield "publication-log.json", _log_entries(absolute_url)
    for document in public_documents().order_by("filing_id", "pk").iterator(chunk_size=500):
        yield f"documents/{document.pk}/{_safe_name(document)}", _stored_file(document)


def stream_archive(absolute_url: AbsoluteUrl) -> Iterator[bytes]:
    pipe = _Pipe()
    sums = []
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in archive_members(absolute_url):
            digest = hashlib.sha256()
            # A member's size is known only once written; zip64 lets one pass 2 GiB.
            with archive.open(name, mode="w", force_zip64=True) as member:
                for chunk in chunks:
                    digest.update(chunk)
                    member.write(chunk)
                    yield pipe.take()
            sums.append(f"{digest.hexdigest()}  {name}\n")
            yield pipe.take()
        archive.writestr("SHA256SUMS", "".join(sums))
    yield pipe.take()
