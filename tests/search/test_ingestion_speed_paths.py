"""The shortcuts that make ingestion and extraction fast keep what they must: a clean PDF is
stored as uploaded, active content is still removed, only the text inside the page box is
read, every page is read whole, a published filing's index follows its extracted text, and
staff see where extraction stands."""

import hashlib
import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from reportlab.pdfgen import canvas

import search.extraction
from content.documents.models import Document, DocumentPage
from content.documents.storing import store_document
from search.backends.registry import get_database_backend
from search.extraction import extract_document_text
from search.query import parse_query
from search.results import SearchRequest
from tests.conftest import make_pdf
from tests.factories import FilingFactory
from tests.search.publishing import published_filing


@pytest.fixture
def filing(agency_a):
    return FilingFactory(agency=agency_a)


def stored_bytes(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def page_rows(document: Document) -> list[tuple[int, str]]:
    return list(DocumentPage.objects.filter(document=document).values_list("number", "text"))


def uncompressed_pdf(lines: list[str]) -> bytes:
    """One page whose content stream is stored as written, so its text is in the file's bytes."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1, pageCompression=0)
    for number, line in enumerate(lines):
        pdf.drawString(72, 720 - 14 * number, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def with_opening_script(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('opened')"))
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()


@pytest.mark.django_db
def test_a_clean_pdf_is_stored_byte_for_byte_under_the_hash_of_the_upload(filing):
    upload = make_pdf(["Surveillance use policy", "Retention"])
    document = store_document(filing, "policy.pdf", upload)
    document.refresh_from_db()
    assert stored_bytes(document) == upload
    assert document.sha256 == hashlib.sha256(upload).hexdigest()
    assert document.uploaded_sha256 == ""
    assert document.removed_content == []
    assert document.page_count == 2


@pytest.mark.django_db
def test_a_page_that_only_prints_the_names_of_actions_is_stored_as_uploaded(filing):
    upload = uncompressed_pdf(["Forms must not use /JavaScript /Launch or /EmbeddedFiles ."])
    assert b"/JavaScript " in upload
    document = store_document(filing, "policy.pdf", upload)
    assert document.removed_content == []
    assert stored_bytes(document) == upload


@pytest.mark.django_db
def test_the_same_page_with_a_script_that_runs_on_opening_is_cleaned(filing):
    upload = with_opening_script(
        uncompressed_pdf(["Forms must not use /JavaScript /Launch or /EmbeddedFiles ."])
    )
    document = store_document(filing, "policy.pdf", upload)
    assert document.removed_content == ["JavaScript action in /OpenAction of the document"]
    assert document.uploaded_sha256 == hashlib.sha256(upload).hexdigest()
    stored = stored_bytes(document)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert b"app.alert" not in stored


def page_with_text_off_the_page_and_outside_its_crop_box() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792), invariant=1)
    pdf.drawString(72, 400, "Retention is thirty days")
    pdf.drawString(72, -200, "below the page 123-45-6789")
    pdf.drawString(700, 400, "right of the page")
    pdf.drawString(72, 760, "cropped away")
    pdf.showPage()
    pdf.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as cropped:
        cropped.pages[0].obj.CropBox = Array([0, 0, 612, 700])
        result = io.BytesIO()
        cropped.save(result)
        return result.getvalue()


@pytest.mark.django_db
def test_text_outside_the_page_box_is_never_extracted(filing):
    document = store_document(
        filing, "redacted.pdf", page_with_text_off_the_page_and_outside_its_crop_box()
    )
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    assert page_rows(document) == [(1, "Retention is thirty days")]


@pytest.mark.django_db
def test_a_page_with_more_text_than_the_first_buffer_holds_is_read_whole(filing, monkeypatch):
    monkeypatch.setattr(search.extraction, "TEXT_UNITS_PER_CHARACTER", 0)
    monkeypatch.setattr(search.extraction, "TEXT_SPARE_UNITS", 1)
    lines = [f"Line {number} of the retention schedule" for number in range(1, 41)]
    document = store_document(filing, "schedule.pdf", uncompressed_pdf(lines))
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    assert page_rows(document) == [(1, "\n".join(lines))]


@pytest.mark.django_db
def test_a_document_extracted_after_publication_is_found_by_its_text(agency_a):
    filing = published_filing(agency_a, "ALPR use policy", ["Purpose of the policy"])
    document = store_document(filing, "annex.pdf", make_pdf(["Audits by the inspector"]))
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    results = get_database_backend().search(SearchRequest(query=parse_query("inspector")))
    assert [hit.title for hit in results.hits] == ["ALPR use policy"]


@pytest.mark.django_db
def test_a_successful_run_after_a_failure_clears_the_error_staff_saw(filing):
    document = store_document(filing, "policy.pdf", make_pdf(["Retention"]))
    Document.objects.filter(pk=document.pk).update(
        processing=Document.Processing.FAILED, processing_error="The file was missing."
    )
    assert extract_document_text.call(document.pk) == Document.Processing.EXTRACTED
    document.refresh_from_db()
    assert document.processing == Document.Processing.EXTRACTED
    assert document.processing_error == ""


@pytest.mark.django_db
def test_while_ocr_runs_the_document_shows_as_being_extracted(filing, monkeypatch):
    seen_during_ocr = []

    def ocr_that_fails(executable, source, output, page_numbers):
        seen_during_ocr.append(Document.objects.get(pk=document.pk).processing)
        raise search.extraction.ExtractionFailed("OCR with ocrmypdf failed.")

    monkeypatch.setattr(search.extraction, "find_ocrmypdf", lambda: "ocrmypdf")
    monkeypatch.setattr(search.extraction, "run_ocrmypdf", ocr_that_fails)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 720, "Introduction")
    pdf.showPage()
    pdf.rect(72, 72, 200, 200, fill=1)  # a scanned page: marks but no text
    pdf.showPage()
    pdf.save()
    document = store_document(filing, "scan.pdf", buffer.getvalue())
    assert extract_document_text.call(document.pk) == Document.Processing.FAILED
    assert seen_during_ocr == [Document.Processing.EXTRACTING]
    assert page_rows(document) == [(1, "Introduction"), (2, "")]
