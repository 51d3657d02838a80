"""Text extraction in the task worker: each page's text layer, OCR for scanned pages."""

import io
import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

import search.extraction
from content.documents.models import Document, DocumentPage
from content.documents.storing import store_document
from search.extraction import extract_document_text
from tests.conftest import make_pdf
from tests.factories import FilingFactory

INSTALL_OCR = "apt-get install -y --no-install-recommends ocrmypdf tesseract-ocr tesseract-ocr-eng"
MEMORY_LIMIT_BYTES = 300 * 1024 * 1024


@pytest.fixture
def filing(agency_a):
    return FilingFactory(agency=agency_a)


def require_ocrmypdf():
    """CI installs OCR, so its absence is a broken environment to fix, never a reason to skip."""
    assert shutil.which("ocrmypdf") is not None, f"ocrmypdf is not installed; run: {INSTALL_OCR}"


@pytest.fixture
def without_ocr(monkeypatch):
    monkeypatch.setattr(search.extraction, "find_ocrmypdf", lambda: None)


def stand_in_for_ocrmypdf(directory: Path, script: str) -> str:
    executable = directory / "ocrmypdf"
    executable.write_text(f"#!/bin/sh\n{script}\n")
    executable.chmod(0o755)
    return str(executable)


def picture_of(words: str) -> Image.Image:
    """The words as pixels, like a scanner makes them: nothing for pypdfium2 to read."""
    image = Image.new("L", (1700, 200), color=255)
    ImageDraw.Draw(image).text((60, 50), words, fill=0, font=ImageFont.load_default(size=72))
    return image


def pdf_of(pages: list[str | Image.Image]) -> bytes:
    """One page per item: a string as a line of text, an image as a scanned page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for page in pages:
        if isinstance(page, str):
            pdf.drawString(72, 720, page)
        else:
            pdf.drawImage(ImageReader(page), 36, 600, width=540, height=64)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def page_rows(document: Document) -> list[tuple[int, str]]:
    return list(DocumentPage.objects.filter(document=document).values_list("number", "text"))


def rows_with_ids(document: Document) -> list[tuple[int, int, str]]:
    return list(DocumentPage.objects.filter(document=document).values_list("pk", "number", "text"))


@pytest.mark.django_db
def test_each_pages_text_is_stored_in_page_order(filing):
    pages = ["Purpose of the policy", "Data retention is thirty days", "Audits by the inspector"]
    document = store_document(filing, "policy.pdf", make_pdf(pages))
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    assert page_rows(document) == list(enumerate(pages, start=1))
    document.refresh_from_db()
    assert document.processing == Document.Processing.EXTRACTED
    assert document.processing_error == ""
    assert document.page_count == 3
    assert document.ocr_pages == []


@pytest.mark.django_db
def test_a_scanned_page_is_read_by_ocr_and_recorded_as_ocrd(filing):
    require_ocrmypdf()
    pdf = pdf_of(["Introduction", picture_of("RETENTION POLICY"), "Signatures"])
    document = store_document(filing, "scan.pdf", pdf)
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    rows = page_rows(document)
    assert [number for number, _ in rows] == [1, 2, 3]
    assert rows[0] == (1, "Introduction")
    assert "RETENTION POLICY" in rows[1][1]
    assert rows[2] == (3, "Signatures")
    document.refresh_from_db()
    assert document.processing == Document.Processing.EXTRACTED
    assert document.ocr_pages == [2]


@pytest.mark.django_db
def test_without_ocr_a_scanned_page_is_stored_empty_and_marked_needs_ocr(filing, without_ocr):
    pdf = pdf_of(["Introduction", picture_of("RETENTION POLICY")])
    document = store_document(filing, "scan.pdf", pdf)
    assert extract_document_text.call(document.pk) == Document.Processing.NEEDS_OCR
    assert page_rows(document) == [(1, "Introduction"), (2, "")]
    document.refresh_from_db()
    assert document.processing == Document.Processing.NEEDS_OCR
    assert document.ocr_pages == []


@pytest.mark.django_db
def test_running_twice_leaves_the_same_rows(filing):
    require_ocrmypdf()
    pdf = pdf_of(["Introduction", picture_of("RETENTION POLICY"), "Signatures"])
    document = store_document(filing, "scan.pdf", pdf)
    extract_document_text.call(document.pk)
    first = rows_with_ids(document)
    extract_document_text.call(document.pk)
    second = rows_with_ids(document)
    assert second == first
    assert len(second) == 3
    document.refresh_from_db()
    assert document.ocr_pages == [2]


@pytest.mark.django_db
def test_a_file_missing_from_storage_fails_naming_the_file(filing):
    document = store_document(filing, "policy.pdf", make_pdf(["text"]))
    document.file.storage.delete(document.file.name)
    assert extract_document_text.call(document.pk) == Document.Processing.FAILED
    document.refresh_from_db()
    assert document.processing == Document.Processing.FAILED
    assert f"The file {document.file.name} is missing from storage" in document.processing_error


@pytest.mark.django_db
def test_a_damaged_pdf_fails_and_keeps_the_text_already_extracted(filing):
    document = store_document(filing, "policy.pdf", make_pdf(["Retention", "Audits"]))
    extract_document_text.call(document.pk)
    Path(document.file.path).write_bytes(b"%PDF-1.7\n" + os.urandom(200))
    assert extract_document_text.call(document.pk) == Document.Processing.FAILED
    document.refresh_from_db()
    assert f"The file {document.file.name} is not a readable PDF" in document.processing_error
    assert page_rows(document) == [(1, "Retention"), (2, "Audits")]


@pytest.mark.django_db
def test_an_ocr_failure_names_ocrmypdf_and_keeps_the_text_layer(filing, monkeypatch, tmp_path):
    failing = stand_in_for_ocrmypdf(tmp_path, "echo 'tesseract: language eng missing' >&2\nexit 3")
    monkeypatch.setattr(search.extraction, "find_ocrmypdf", lambda: failing)
    document = store_document(filing, "scan.pdf", pdf_of(["Introduction", picture_of("POLICY")]))
    assert extract_document_text.call(document.pk) == Document.Processing.FAILED
    document.refresh_from_db()
    assert document.processing_error == (
        "OCR with ocrmypdf failed with exit status 3 (pages 2): tesseract: language eng missing"
    )
    assert page_rows(document) == [(1, "Introduction"), (2, "")]
    assert document.ocr_pages == []


@pytest.mark.django_db
def test_ocr_that_runs_too_long_is_stopped_and_reported(filing, monkeypatch, tmp_path):
    # A stand-in that starts a child of its own: stopping only ocrmypdf itself would leave
    # the child holding the error pipe open, and the task waiting for it.
    stuck = stand_in_for_ocrmypdf(tmp_path, "sleep 60\necho finished")
    monkeypatch.setattr(search.extraction, "find_ocrmypdf", lambda: stuck)
    monkeypatch.setattr(search.extraction, "OCR_BASE_SECONDS", 1)
    monkeypatch.setattr(search.extraction, "OCR_SECONDS_PER_PAGE", 0)
    document = store_document(filing, "scan.pdf", pdf_of([picture_of("POLICY")]))
    started = time.monotonic()
    assert extract_document_text.call(document.pk) == Document.Processing.FAILED
    assert time.monotonic() - started < 10
    document.refresh_from_db()
    assert "OCR with ocrmypdf timed out after 1 seconds (pages 1)" in document.processing_error


class WholeReadRefused(io.FileIO):
    def read(self, size=-1):
        assert size is not None, "the stored file was read into memory whole"
        assert size >= 0, "the stored file was read into memory whole"
        return super().read(size)


@pytest.mark.django_db
def test_the_stored_file_is_copied_in_chunks(filing, monkeypatch):
    document = store_document(filing, "policy.pdf", make_pdf(["Retention"]))
    monkeypatch.setattr(
        FileSystemStorage,
        "_open",
        lambda storage, name, mode="rb": File(WholeReadRefused(storage.path(name))),
    )
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    assert page_rows(document) == [(1, "Retention")]


@pytest.mark.django_db
def test_a_2000_page_pdf_extracts_in_bounded_memory(filing):
    pages = [f"Page {number} of the annual surveillance report" for number in range(1, 2001)]
    document = store_document(filing, "annual-report.pdf", make_pdf(pages))
    tracemalloc.start()
    try:
        outcome = extract_document_text.call(document.pk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcome == Document.Processing.EXTRACTED
    assert DocumentPage.objects.filter(document=document).count() == 2000
    assert page_rows(document)[-1] == (2000, "Page 2000 of the annual surveillance report")
    assert peak < MEMORY_LIMIT_BYTES, f"peak {peak / 2**20:.0f} MB"


@pytest.mark.django_db
def test_staff_see_the_processing_outcome_in_the_admin(client, reviewer, filing):
    document = store_document(filing, "scan.pdf", make_pdf(["one", "two", "three", "four"]))
    Document.objects.filter(pk=document.pk).update(
        processing=Document.Processing.FAILED,
        processing_error="OCR with ocrmypdf timed out after 300 seconds (pages 4).",
        ocr_pages=[1, 2, 3],
    )
    client.force_login(reviewer)
    for url in (
        reverse("filing_documents:index"),
        reverse("filing_documents:inspect", args=[document.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Failed" in page
        assert "OCR with ocrmypdf timed out after 300 seconds (pages 4)." in page
        assert "OCR&#x27;d pages" in page
        assert "1-3" in page
