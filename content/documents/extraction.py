"""Text extraction, page by page, in the task worker."""

import pypdfium2
from django.db import transaction
from django.tasks import task

from content.documents.models import Document, DocumentPage


def read_pdf_pages(data: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded().replace("\r\n", "\n").strip())
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()


@task
def extract_document_text(document_id: int) -> str:
    """Replace the document's page rows with freshly extracted text; safe to run again."""
    document = Document.objects.get(pk=document_id)
    Document.objects.filter(pk=document_id).update(processing=Document.Processing.EXTRACTING)
    try:
        with document.file.open("rb") as handle:
            pages = read_pdf_pages(handle.read())
    except (OSError, pypdfium2.PdfiumError) as error:
        Document.objects.filter(pk=document_id).update(
            processing=Document.Processing.FAILED, processing_error=str(error)
        )
        return Document.Processing.FAILED
    outcome = (
        Document.Processing.EXTRACTED
        if all(text for text in pages)
        else Document.Processing.NEEDS_OCR
    )
    with transaction.atomic():
        DocumentPage.objects.filter(document_id=document_id).delete()
        DocumentPage.objects.bulk_create(
            DocumentPage(document_id=document_id, number=number, text=text)
            for number, text in enumerate(pages, start=1)
        )
        Document.objects.filter(pk=document_id).update(
            processing=outcome, processing_error="", page_count=len(pages)
        )
    return outcome
