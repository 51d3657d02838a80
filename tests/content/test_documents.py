import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError
from reportlab.pdfgen import canvas

from content.documents.models import Document, DocumentPage
from content.documents.storing import store_document
from search.extraction import extract_document_text
from search.ingestion.errors import IngestionError
from tests.conftest import make_pdf
from tests.factories import FilingFactory


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return {entry.name for entry in root.iterdir()} if root.exists() else set()


@pytest.fixture
def filing(agency_a):
    return FilingFactory(agency=agency_a)


@pytest.mark.django_db
def test_a_stored_pdf_records_its_hash_size_type_and_pages(filing):
    pdf = make_pdf(["one", "two", "three"])
    document = store_document(filing, "Use Policy.pdf", pdf)
    document.refresh_from_db()
    assert document.media_type == "application/pdf"
    assert document.size_bytes == len(pdf)
    assert len(document.sha256) == 64
    assert document.page_count == 3
    assert document.original_name == "Use Policy.pdf"
    assert "Use Policy" not in document.file.name  # storage keys never carry the upload's name
    with document.file.open("rb") as handle:
        assert handle.read() == pdf


@pytest.mark.django_db
def test_bytes_that_are_not_a_pdf_are_refused_whatever_the_name(filing):
    before = stored_files()
    with pytest.raises(IngestionError, match="This is an HTML file, not a PDF"):
        store_document(filing, "policy.pdf", b"<html><script>alert(1)</script></html>")
    assert not Document.objects.exists()
    assert stored_files() == before


@pytest.mark.django_db
def test_a_damaged_pdf_is_refused_with_the_reason(filing):
    with pytest.raises(IngestionError, match="damaged"):
        store_document(filing, "broken.pdf", b"%PDF-1.7\n" + os.urandom(200))
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_when_the_row_cannot_be_written_the_file_is_removed_too(filing, monkeypatch):
    before = stored_files()

    def fail(*args, **kwargs):
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(Document, "save", fail)
    with pytest.raises(IntegrityError):
        store_document(filing, "policy.pdf", make_pdf(["text"]))
    assert stored_files() == before


@pytest.mark.django_db
def test_extraction_stores_each_pages_text_and_can_run_again(filing):
    document = store_document(filing, "policy.pdf", make_pdf(["Retention is 30 days", "Audits"]))
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    pages = list(DocumentPage.objects.filter(document=document).values_list("number", "text"))
    assert pages == [(1, "Retention is 30 days"), (2, "Audits")]


@pytest.mark.django_db
def test_a_page_without_a_text_layer_is_marked_needs_ocr(filing, monkeypatch):
    monkeypatch.setattr("search.extraction.find_ocrmypdf", lambda: None)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 720, "Page with text")
    pdf.showPage()
    pdf.rect(72, 72, 200, 200, fill=1)  # a scanned page: marks but no text
    pdf.showPage()
    pdf.save()
    document = store_document(filing, "scan.pdf", buffer.getvalue())
    assert extract_document_text.call(document.pk) == Document.Processing.NEEDS_OCR
    document.refresh_from_db()
    assert document.processing == Document.Processing.NEEDS_OCR
    assert document.pages.get(number=2).text == ""


@pytest.mark.django_db
def test_a_file_missing_from_storage_marks_the_document_failed_with_the_error(filing):
    document = store_document(filing, "policy.pdf", make_pdf(["text"]))
    document.file.storage.delete(document.file.name)
    assert extract_document_text.call(document.pk) == Document.Processing.FAILED
    document.refresh_from_db()
    assert "No such file" in document.processing_error
