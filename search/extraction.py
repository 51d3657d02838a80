"""Text extraction, page by page, in the task worker.

The stored file is copied to a temporary file and read one page at a time with
pypdfium2. Pages with no text layer (scans) go through ocrmypdf when it is
installed; without it the document is marked needs_ocr and those pages are
stored empty. Every outcome, and the reason for a failure, is recorded on the
Document for the staff admin.
"""

import ctypes
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from django.db import connection, transaction
from django.tasks import task

from content.documents.models import Document, DocumentPage, describe_page_numbers
from content.filings.visibility import public_filings
from search.indexing import record_filing_change

# Page rows are written this many at a time, so memory holds one batch of text
# whatever the length of the document.
PAGE_BATCH_SIZE = 500
PAGES = DocumentPage._meta.db_table
# ocrmypdf gets a fixed allowance for starting up and writing its output, plus
# one per page it must recognise; a run that takes longer is stuck, not slow.
OCR_BASE_SECONDS = 120
OCR_SECONDS_PER_PAGE = 60
OCR_LANGUAGE = "eng"
# The end of ocrmypdf's error output names the cause; the rest is progress noise.
OCR_ERROR_LINES = 5
# Room for a page's text in one reading: a UTF-16 unit or two for each character PDFium
# holds, and some to spare for the line breaks it adds. A page that needs more is read again.
TEXT_UNITS_PER_CHARACTER = 2
TEXT_SPARE_UNITS = 256


class ExtractionFailed(Exception):
    """Extraction cannot finish; the message is what staff see as the processing error."""


def find_ocrmypdf() -> str | None:
    """The ocrmypdf executable's path, or None when OCR is not installed."""
    return shutil.which("ocrmypdf")


@task
def extract_document_text(document_id: int) -> str:
    """Store the document's text page by page, with OCR for scanned pages; safe to run again."""
    document = Document.objects.get(pk=document_id)
    record = Document.objects.filter(pk=document_id)
    if document.media_type != "application/pdf":
        # CSV and XLSX attachments are data to download, not pages to read.
        record.update(processing=Document.Processing.DATA_FILE, processing_error="")
        return Document.Processing.DATA_FILE
    try:
        return extract(document)
    except ExtractionFailed as failure:
        record.update(processing=Document.Processing.FAILED, processing_error=str(failure))
        return Document.Processing.FAILED
    except Exception as error:
        # The task backend keeps the traceback; the document must not stay "extracting".
        record.update(
            processing=Document.Processing.FAILED,
            processing_error=f"Unexpected error during text extraction: {error!r}",
        )
        raise


def extract(document: Document) -> str:
    """Store the pages and record the outcome in the same transaction, so a text PDF takes
    one commit; reading a text layer takes seconds even for a long document. OCR may
    take minutes: the document shows as being extracted meanwhile, and it runs between two
    transactions, never inside one."""
    with tempfile.TemporaryDirectory(prefix="extract-") as workdir:
        source = Path(workdir) / "source.pdf"
        copy_from_storage(document, source)
        with transaction.atomic():
            page_count, pages_without_text = store_text_layer(document, source)
            if not pages_without_text:
                return record_outcome(document, Document.Processing.EXTRACTED)
            ocrmypdf = find_ocrmypdf()
            if ocrmypdf is None:
                return record_outcome(document, Document.Processing.NEEDS_OCR)
            Document.objects.filter(pk=document.pk).update(
                processing=Document.Processing.EXTRACTING, processing_error=""
            )
        recognised = Path(workdir) / "ocr.pdf"
        run_ocrmypdf(ocrmypdf, source, recognised, pages_without_text)
        with transaction.atomic():
            store_ocr_text(document, recognised, page_count, pages_without_text)
            return record_outcome(document, Document.Processing.EXTRACTED)


def record_outcome(document: Document, outcome: str) -> str:
    Document.objects.filter(pk=document.pk).update(processing=outcome, processing_error="")
    # A published filing's index entry carries its pages' text.
    if public_filings().filter(pk=document.filing_id).exists():
        record_filing_change(document.filing_id)
    return outcome


def copy_from_storage(document: Document, destination: Path) -> None:
    """Copy in chunks: storage may be S3, and a document may be hundreds of megabytes."""
    name = document.file.name
    try:
        with document.file.open("rb") as stored, destination.open("wb") as copy:
            for chunk in stored.chunks():
                copy.write(chunk)
    except FileNotFoundError as error:
        raise ExtractionFailed(f"The file {name} is missing from storage ({error}).") from error
    except OSError as error:
        raise ExtractionFailed(
            f"The file {name} could not be copied from storage: {error}"
        ) from error


def store_text_layer(document: Document, source: Path) -> tuple[int, list[int]]:
    """Write every page's own text; return the page count and the pages that have none."""
    pages_without_text = []
    try:
        with pypdfium2.PdfDocument(source) as pdf:
            page_count = len(pdf)
            for batch in itertools.batched(
                page_texts(pdf, range(1, page_count + 1)), PAGE_BATCH_SIZE
            ):
                pages_without_text.extend(number for number, text in batch if not text)
                save_pages(document.pk, batch)
            DocumentPage.objects.filter(document=document, number__gt=page_count).delete()
            Document.objects.filter(pk=document.pk).update(page_count=page_count, ocr_pages=[])
    except pypdfium2.PdfiumError as error:
        raise ExtractionFailed(
            f"The file {document.file.name} is not a readable PDF: {error}"
        ) from error
    return page_count, pages_without_text


def run_ocrmypdf(executable: str, source: Path, output: Path, page_numbers: list[int]) -> None:
    """Write a copy of the PDF whose listed pages carry recognised text.

    --force-ocr rather than --skip-text: these pages have no text pypdfium2 can
    read, yet some carry a useless text layer (whitespace, glyphs without a
    Unicode mapping) that --skip-text would leave alone. Rasterising them costs
    nothing here because the output is read for its text and then deleted; for
    the same reason it is a plain PDF, not optimised, not PDF/A.
    """
    pages = describe_page_numbers(page_numbers)
    timeout = OCR_BASE_SECONDS + OCR_SECONDS_PER_PAGE * len(page_numbers)
    command = [
        executable,
        "--force-ocr",
        "--pages",
        ",".join(str(number) for number in page_numbers),
        "--language",
        OCR_LANGUAGE,
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--jobs",
        "1",
        "--quiet",
        str(source),
        str(output),
    ]
    # A session of its own, so a timeout stops tesseract and Ghostscript as well as ocrmypdf.
    with subprocess.Popen(  # noqa: S603 - a list of arguments, no shell, no user input
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ExtractionFailed(
                f"OCR with ocrmypdf timed out after {timeout} seconds (pages {pages})."
            ) from None
    if process.returncode != 0:
        messages = stderr.decode(errors="replace").strip().splitlines()[-OCR_ERROR_LINES:]
        raise ExtractionFailed(
            f"OCR with ocrmypdf failed with exit status {process.returncode} (pages {pages}): "
            + (" ".join(messages) or "no error output")
        )


def store_ocr_text(
    document: Document, recognised: Path, page_count: int, page_numbers: list[int]
) -> None:
    """Replace the scanned pages' empty rows with their recognised text."""
    try:
        with pypdfium2.PdfDocument(recognised) as pdf:
            if len(pdf) != page_count:
                raise ExtractionFailed(
                    f"OCR with ocrmypdf returned {len(pdf)} pages for a {page_count}-page PDF."
                )
            for batch in itertools.batched(page_texts(pdf, page_numbers), PAGE_BATCH_SIZE):
                save_pages(document.pk, batch)
            Document.objects.filter(pk=document.pk).update(ocr_pages=page_numbers)
    except pypdfium2.PdfiumError as error:
        raise ExtractionFailed(f"The PDF written by ocrmypdf cannot be read: {error}") from error


def page_texts(pdf: pypdfium2.PdfDocument, numbers: Iterable[int]) -> Iterator[tuple[int, str]]:
    """Each listed page's text inside its page box, one page loaded at a time and closed
    before the next.

    PDFium's functions are called directly: pypdfium2's page and text page objects each
    register a finalizer and a parent link, which adds a tenth to the time a page takes.
    """
    page_box = pdfium_c.FS_RECTF()
    for number in numbers:
        page = pdfium_c.FPDF_LoadPage(pdf, number - 1)
        if not page:
            raise pypdfium2.PdfiumError(f"Failed to load page {number}.")
        try:
            textpage = pdfium_c.FPDFText_LoadPage(page)
            if not textpage:
                raise pypdfium2.PdfiumError(f"Failed to load the text of page {number}.")
            try:
                if not pdfium_c.FPDF_GetPageBoundingBox(page, page_box):
                    raise pypdfium2.PdfiumError(f"Failed to get the box of page {number}.")
                text = text_inside(textpage, page_box)
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
        finally:
            pdfium_c.FPDF_ClosePage(page)
        # PostgreSQL text cannot hold NUL, which fonts with broken Unicode maps produce.
        yield number, text.replace("\r\n", "\n").replace("\x00", "").strip()


def text_inside(textpage: pdfium_c.FPDF_TEXTPAGE, box: pdfium_c.FS_RECTF) -> str:
    """The text within box only: text placed outside the page box is hidden from readers
    (redactions pushed off the page, hidden text) and must not be published.

    PDFium copies at most the buffer's length and says how much it copied, so one call
    with room to spare reads a page; a buffer it fills may be cut short, and is read again
    twice as large.
    """
    capacity = TEXT_UNITS_PER_CHARACTER * pdfium_c.FPDFText_CountChars(textpage) + TEXT_SPARE_UNITS
    while True:
        buffer = (ctypes.c_ushort * capacity)()
        copied = pdfium_c.FPDFText_GetBoundedText(
            textpage, box.left, box.top, box.right, box.bottom, buffer, capacity
        )
        if copied < capacity:
            return ctypes.string_at(buffer, copied * ctypes.sizeof(ctypes.c_ushort)).decode(
                "utf-16-le", errors="ignore"
            )
        capacity *= 2


def save_pages(document_id: int, pages: Sequence[tuple[int, str]]) -> None:
    """Insert or overwrite page rows by number, so a second run leaves the same rows.

    One statement of plain rows: the ORM's bulk_create took five times as long to build
    model instances and compile them as the database took to write the rows.
    """
    rows = ", ".join(["(%s, %s, %s)"] * len(pages))
    # Only placeholders and the table's constant name go into the statement.
    upsert = (
        f"INSERT INTO {PAGES} (document_id, number, text) VALUES {rows} "  # noqa: S608
        "ON CONFLICT (document_id, number) DO UPDATE SET text = excluded.text"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            upsert, [value for number, text in pages for value in (document_id, number, text)]
        )
