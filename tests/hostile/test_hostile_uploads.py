"""The hostile and ordinary corpora, every file through the real ingestion service.

Each hostile file must have its expected outcome: refused with its error and nothing
left behind (no row, no stored object, no temporary file), or accepted with its
active content removed and recorded, or with its name made safe. Each ordinary PDF
must be stored byte for byte and yield its text. The last test prints the figures
and fails if any hostile file was accepted unchanged or any ordinary PDF rejected.
"""

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest

from content.documents.models import Document
from search.ingestion import IngestionError, ingest_document
from search.ingestion.pdf_safety import inspect_pdf
from tests.factories import FilingFactory
from tests.hostile.corpus import (
    HOSTILE,
    ORDINARY,
    TEXT,
    Cleaned,
    HostileFile,
    OrdinaryPdf,
    Refused,
)

REFUSED = "refused"
CLEANED = "accepted after removing active content"
RENAMED = "accepted with the name made safe"
UNCHANGED = "accepted unchanged"
STORED_AS_UPLOADED = "accepted byte for byte"
ALTERED = "accepted altered"
REJECTED = "rejected"

# One of each kind of outcome, also run through S3 storage.
S3_SAMPLE_LABELS = {
    "/OpenAction JavaScript",
    "file attachment annotation",
    "PDF with a ZIP appended",
    "Flate stream inflating to 600 MB",
    "name 'invoice\\u202efdp.exe'",
}


@dataclass
class Figures:
    """What happened to each file in this test process, by label."""

    hostile: dict[str, str] = field(default_factory=dict)
    ordinary: dict[str, str] = field(default_factory=dict)


FIGURES = Figures()


@pytest.fixture
def filing(db):
    return FilingFactory()


def decoded(data: bytes) -> bytes:
    """The PDF rewritten with every stream decoded, so a byte search sees everything."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        buffer = io.BytesIO()
        pdf.save(
            buffer,
            qdf=True,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
        return buffer.getvalue()


def upload_hostile(item: HostileFile, filing, storage, spool, scratch: Path) -> None:
    """Ingest item, record its outcome, then check it is the outcome expected."""
    keys_before, rows_before = storage.object_keys(), Document.objects.count()
    try:
        document = ingest_document(filing, io.BytesIO(item.data), item.upload_name)
    except IngestionError as error:
        FIGURES.hostile[item.label] = REFUSED
        refusal = error
    else:
        stored = storage.read(document.file.name)
        if document.removed_content:
            FIGURES.hostile[item.label] = CLEANED
        elif document.original_name != item.upload_name:
            FIGURES.hostile[item.label] = RENAMED
        else:
            FIGURES.hostile[item.label] = UNCHANGED
        refusal = None
    assert list(spool.iterdir()) == []

    expected = item.expected
    if isinstance(expected, Refused):
        assert refusal is not None, f"accepted: {document.removed_content}"
        assert type(refusal) is expected.error, f"{type(refusal).__name__}: {refusal}"
        assert re.search(expected.message, str(refusal)), str(refusal)
        assert storage.object_keys() == keys_before
        assert Document.objects.count() == rows_before
        return
    assert refusal is None, f"{type(refusal).__name__}: {refusal}"
    assert storage.object_keys() == keys_before | {document.file.name}
    assert document.original_name == expected.shown
    if isinstance(expected, Cleaned):
        assert_cleaned(item, expected, document, stored, scratch)
    else:
        assert stored == item.data
        assert document.removed_content == []


def assert_cleaned(item: HostileFile, expected: Cleaned, document, stored: bytes, scratch: Path):
    assert any(re.search(expected.removed, note) for note in document.removed_content), (
        document.removed_content
    )
    assert document.uploaded_sha256 == hashlib.sha256(item.data).hexdigest()
    assert document.sha256 == hashlib.sha256(stored).hexdigest() != document.uploaded_sha256
    readable_upload = item.data + decoded(item.data)
    readable_stored = decoded(stored)
    for trace in expected.traces:
        assert trace in readable_upload, f"the corpus file lacks {trace!r}"
        assert trace not in readable_stored, f"{trace!r} survived"
    assert TEXT.encode() in readable_stored, "the document itself must stay"
    cleaned_copy = scratch / "stored.pdf"
    cleaned_copy.write_bytes(stored)
    assert inspect_pdf(cleaned_copy, scratch).removed == [], "the stored copy is not clean"


def upload_ordinary(item: OrdinaryPdf, filing, storage, capture_on_commit) -> None:
    """Ingest item with text extraction run, record the outcome and check it."""
    try:
        with capture_on_commit(execute=True):
            document = ingest_document(filing, io.BytesIO(item.data), "report.pdf")
    except IngestionError as error:
        FIGURES.ordinary[item.label] = REJECTED
        pytest.fail(f"{item.label} was rejected: {type(error).__name__}: {error}")
    stored = storage.read(document.file.name)
    unchanged = stored == item.data and document.removed_content == []
    FIGURES.ordinary[item.label] = STORED_AS_UPLOADED if unchanged else ALTERED
    assert unchanged, f"removed: {document.removed_content}"
    document.refresh_from_db()
    assert document.processing == Document.Processing.EXTRACTED
    first_page = " ".join(document.pages.get(number=1).text.split())
    assert item.text.lower() in first_page.lower(), first_page


@pytest.mark.parametrize("item", HOSTILE, ids=[item.label for item in HOSTILE])
def test_hostile_file(item, filing, local_storage, spool, tmp_path):
    upload_hostile(item, filing, local_storage, spool, tmp_path)


@pytest.mark.parametrize("item", ORDINARY, ids=[item.label for item in ORDINARY])
def test_ordinary_pdf(item, filing, local_storage, django_capture_on_commit_callbacks):
    upload_ordinary(item, filing, local_storage, django_capture_on_commit_callbacks)


SAMPLE = [item for item in HOSTILE if item.label in S3_SAMPLE_LABELS]


@pytest.mark.parametrize("storage", ["s3"], indirect=True)
@pytest.mark.parametrize("item", SAMPLE, ids=[item.label for item in SAMPLE])
def test_hostile_sample_on_s3(item, filing, storage, spool, tmp_path):
    upload_hostile(item, filing, storage, spool, tmp_path)


@pytest.mark.parametrize("storage", ["s3"], indirect=True)
def test_an_ordinary_pdf_on_s3(filing, storage, django_capture_on_commit_callbacks):
    upload_ordinary(ORDINARY[0], filing, storage, django_capture_on_commit_callbacks)


def test_the_corpora_are_large_enough_and_labelled_uniquely():
    assert len(HOSTILE) >= 60
    assert len(ORDINARY) >= 30
    labels = [item.label for item in [*HOSTILE, *ORDINARY]]
    assert len(set(labels)) == len(labels)
    assert {item.label for item in HOSTILE} >= S3_SAMPLE_LABELS


def test_figures(
    filing, local_storage, spool, tmp_path, django_capture_on_commit_callbacks, show_figure
):
    """Prints the figures. Files this process has not ingested yet (the run selected only
    this test, or xdist sent the others elsewhere) are ingested here first."""
    for item in HOSTILE:
        if item.label not in FIGURES.hostile:
            upload_hostile(item, filing, local_storage, spool, tmp_path)
    for item in ORDINARY:
        if item.label not in FIGURES.ordinary:
            upload_ordinary(item, filing, local_storage, django_capture_on_commit_callbacks)

    hostile = [FIGURES.hostile[item.label] for item in HOSTILE]
    ordinary = [FIGURES.ordinary[item.label] for item in ORDINARY]
    show_figure(
        f"hostile files: {len(hostile)}, {UNCHANGED}: {hostile.count(UNCHANGED)}, "
        f"{REFUSED}: {hostile.count(REFUSED)}, {CLEANED}: {hostile.count(CLEANED)}, "
        f"{RENAMED}: {hostile.count(RENAMED)}; ordinary PDFs: {len(ordinary)}, "
        f"{REJECTED}: {ordinary.count(REJECTED)}, {ALTERED}: {ordinary.count(ALTERED)}, "
        f"{STORED_AS_UPLOADED}: {ordinary.count(STORED_AS_UPLOADED)}"
    )
    assert hostile.count(UNCHANGED) == 0
    assert ordinary.count(REJECTED) == ordinary.count(ALTERED) == 0
