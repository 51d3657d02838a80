"""ingest_document: every file enters the portal through it, on local storage and on S3.

A refused file leaves no row, no stored object and no temporary file, and its
error says what the uploader can do. PDFs with active content are stored
cleaned, with what was removed recorded on the Document.
"""

import hashlib
import io
import os
import re
import tracemalloc
import zipfile

import pikepdf
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from pikepdf import Array, Dictionary, Name, String

from content.documents.models import Document
from portal.public_cache.invalidation import bump_revision
from search.ingestion import errors, ingest_document, pdf_safety, service
from search.ingestion.filenames import display_name
from search.ingestion.sniffing import CSV, PDF, XLSX
from tests.conftest import make_pdf
from tests.factories import FilingFactory
from tests.pdf_updates import with_update

MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def spooled(spool):
    """Every test here checks that no temporary file is left in the spool."""
    return spool


@pytest.fixture
def filing(db):
    return FilingFactory()


def ingest(filing, data: bytes, name: str = "policy.pdf") -> Document:
    return ingest_document(filing, io.BytesIO(data), name)


def pdf_bytes(pdf: pikepdf.Pdf, **save_options) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **save_options)
    return buffer.getvalue()


def edited_pdf(edit, pages=("Surveillance use policy", "Retention")) -> bytes:
    with pikepdf.open(io.BytesIO(make_pdf(list(pages)))) as pdf:
        edit(pdf)
        return pdf_bytes(pdf)


def uncompressed(data: bytes) -> bytes:
    """The PDF rewritten with every stream decoded, so a byte search sees everything. (qpdf
    escapes brackets in strings, so the traces searched for have none.)"""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf_bytes(
            pdf,
            qdf=True,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


WORKBOOK_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats'
    b'.org/spreadsheetml/2006/main"><sheets><sheet name="Spend" sheetId="1"/></sheets>'
    b"</workbook>",
}


# --- Files that are accepted ---------------------------------------------------------


@pytest.mark.parametrize("storage", ["local", "s3"], indirect=True)
def test_a_good_pdf_is_stored_with_its_hash_size_type_and_pages(storage, filing, spool):
    pdf = make_pdf(["Automated license plate readers", "Retention: 30 days", "Audits"])
    upload = SimpleUploadedFile("ALPR Use Policy.pdf", pdf, content_type="text/html")
    document = ingest_document(filing, upload, upload.name)

    document.refresh_from_db()
    assert document.media_type == PDF  # from the bytes; the declared text/html is ignored
    assert document.original_name == "ALPR Use Policy.pdf"
    assert document.size_bytes == len(pdf)
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.page_count == 3
    assert document.removed_content == []
    assert document.uploaded_sha256 == ""
    assert document.processing == Document.Processing.PENDING
    assert document.file.name.startswith("documents/")
    assert document.file.name.endswith(".pdf")
    assert str(document.uuid) in document.file.name
    assert storage.object_keys() == {document.file.name}
    assert hashlib.sha256(storage.read(document.file.name)).hexdigest() == document.sha256
    assert list(spool.iterdir()) == []


def test_text_extraction_is_queued_once_the_row_is_committed(
    local_storage, filing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = ingest(filing, make_pdf(["Retention is 30 days"]))
    # Besides the public page cache's count of changes, one callback: the extraction task.
    assert len([callback for callback in callbacks if callback is not bump_revision]) == 1
    document.refresh_from_db()  # the test settings run tasks immediately
    assert document.processing == Document.Processing.EXTRACTED
    assert document.pages.get(number=1).text == "Retention is 30 days"


@pytest.mark.parametrize("storage", ["local", "s3"], indirect=True)
def test_a_csv_is_accepted(storage, filing):
    data = "\ufeffvendor,amount,date\nAcme ALPR,125000.00,2025-01-15\nFlock,9000,2025-02-01\n"
    document = ingest(filing, data.encode(), "spend.txt")
    assert document.media_type == CSV
    assert document.original_name == "spend_txt.csv"
    assert document.page_count is None
    assert storage.object_keys() == {document.file.name}
    assert document.file.name.endswith(".csv")


def test_an_xlsx_workbook_is_accepted(local_storage, filing):
    data = zip_bytes(WORKBOOK_PARTS)
    document = ingest(filing, data, "Spend FY25.xlsx")
    assert document.media_type == XLSX
    assert document.original_name == "Spend FY25.xlsx"
    assert document.file.name.endswith(".xlsx")
    assert local_storage.read(document.file.name) == data


def test_ingesting_a_50_mb_pdf_never_holds_it_in_memory(local_storage, filing, tmp_path):
    path = tmp_path / "scan.pdf"
    with pikepdf.open(io.BytesIO(make_pdf(["Scanned annual report"]))) as pdf:
        page = pdf.pages[0]
        for number in range(50):
            # Random bytes do not compress: the file really is 50 MB.
            image = pdf.make_stream(
                os.urandom(MiB),
                Type=Name.XObject,
                Subtype=Name.Image,
                Width=1024,
                Height=1024,
                ColorSpace=Name.DeviceGray,
                BitsPerComponent=8,
            )
            page.add_resource(image, Name.XObject, Name(f"/Scan{number}"))
        pdf.save(path, compress_streams=False)
    assert path.stat().st_size > 50 * MiB

    tracemalloc.start()
    try:
        with path.open("rb") as upload:
            document = ingest_document(filing, upload, "scan.pdf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB, f"peak Python allocation was {peak / MiB:.1f} MiB"
    assert document.size_bytes == path.stat().st_size


# --- Files that are refused --------------------------------------------------------


def truncated_pdf() -> bytes:
    data = make_pdf(["one", "two", "three"])
    return data[: len(data) // 2]


def encrypted_pdf(user_password: str) -> bytes:
    with pikepdf.open(io.BytesIO(make_pdf(["Confidential"]))) as pdf:
        return pdf_bytes(pdf, encryption=pikepdf.Encryption(owner="agency", user=user_password))


def zero_page_pdf() -> bytes:
    with pikepdf.new() as pdf:
        return pdf_bytes(pdf)


def pdf_with_zip_inside() -> bytes:
    """A PDF that is also a ZIP: the archive sits in an uncompressed stream, and ZIP readers
    find its directory from the end of the file."""

    with pikepdf.open(io.BytesIO(make_pdf(["Looks like a policy"]))) as pdf:
        pdf.Root.Payload = pdf.make_stream(zip_bytes({"payload.js": b"alert(1)"}))
        return pdf_bytes(pdf, compress_streams=False)


def pdf_with_huge_declared_image() -> bytes:
    def add_image(pdf):
        image = pdf.make_stream(
            b"\x00" * 16,
            Type=Name.XObject,
            Subtype=Name.Image,
            Width=100_000,
            Height=100_000,
            ColorSpace=Name.DeviceRGB,
            BitsPerComponent=8,
        )
        pdf.pages[0].add_resource(image, Name.XObject, Name.Bomb)

    return edited_pdf(add_image)


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})


def macro_workbook() -> bytes:
    return zip_bytes({**WORKBOOK_PARTS, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def zip_bomb_workbook() -> bytes:
    """A workbook whose one sheet unpacks from a few KB to 64 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in WORKBOOK_PARTS.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(64):
                sheet.write(bytes(MiB))
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)

REFUSED = {
    "empty file": (b"", "policy.pdf", errors.EmptyFile, r"empty \(0 bytes\)"),
    "HTML named .pdf": (
        HTML,
        "policy.pdf",
        errors.UnsupportedType,
        "This is an HTML file, not a PDF",
    ),
    "SVG named .pdf": (
        SVG,
        "policy.pdf",
        errors.UnsupportedType,
        "This is an SVG image, not a PDF",
    ),
    "PNG named .pdf": (
        b"\x89PNG\r\n\x1a\n" + bytes(64),
        "policy.pdf",
        errors.UnsupportedType,
        "This is a PNG image, not a PDF",
    ),
    "Windows program": (
        b"MZ\x90\x00" + bytes(64),
        "report.pdf.exe",
        errors.UnsupportedType,
        "This is a Windows program",
    ),
    "plain text": (
        b"Just some notes\nwith no columns at all\n",
        "notes.csv",
        errors.UnsupportedType,
        r"This is a plain text file \(its lines are not split into columns\), not a CSV file",
    ),
    "Windows-1252 CSV": (
        "name,city\nJos\u00e9,San Jos\u00e9\n".encode("cp1252"),
        "people.csv",
        errors.UnsupportedType,
        "not in UTF-8",
    ),
    "Word document named .xlsx": (
        docx_bytes(),
        "budget.xlsx",
        errors.UnsupportedType,
        r"This is a Word document \(\.docx\), not an Excel \(\.xlsx\) workbook",
    ),
    "macro-enabled workbook": (macro_workbook(), "budget.xlsx", errors.UnsupportedType, "macros"),
    "zip bomb named .xlsx": (zip_bomb_workbook(), "budget.xlsx", errors.TooComplex, "zip bomb"),
    "PDF after HTML": (
        HTML + make_pdf(["hidden"]),
        "policy.pdf",
        errors.DisguisedFile,
        r"its PDF header \(%PDF-\) comes after HTML",
    ),
    "PDF header at an offset": (
        b"\r\n\r\nJUNK" + make_pdf(["shifted"]),
        "policy.pdf",
        errors.DisguisedFile,
        "comes after 8 bytes of other data",
    ),
    "HTML appended to a PDF": (
        make_pdf(["page"]) + HTML,
        "policy.pdf",
        errors.DisguisedFile,
        r"HTML appended after its end \(%%EOF\)",
    ),
    "ZIP appended to a PDF": (
        make_pdf(["page"]) + zip_bytes({"evil.js": b"alert(1)"}),
        "policy.pdf",
        errors.DisguisedFile,
        "bytes of other data after its end",
    ),
    "ZIP inside a PDF": (
        pdf_with_zip_inside(),
        "policy.pdf",
        errors.DisguisedFile,
        "also contains a ZIP archive",
    ),
    "password-protected PDF": (
        encrypted_pdf(user_password="secret"),
        "policy.pdf",
        errors.EncryptedFile,
        "password-protected",
    ),
    "PDF with security restrictions": (
        encrypted_pdf(user_password=""),
        "policy.pdf",
        errors.EncryptedFile,
        "security restrictions",
    ),
    "truncated PDF": (truncated_pdf(), "policy.pdf", errors.DamagedFile, "cut off"),
    "zero-page PDF": (zero_page_pdf(), "policy.pdf", errors.NoPages, "has no pages"),
    "image declaring 30 GB": (
        pdf_with_huge_declared_image(),
        "policy.pdf",
        errors.TooComplex,
        "decompression bomb",
    ),
}


@pytest.mark.parametrize("storage", ["local", "s3"], indirect=True)
@pytest.mark.parametrize(("data", "name", "error", "message"), REFUSED.values(), ids=REFUSED)
def test_a_refused_file_leaves_no_row_no_object_and_no_temporary_file(
    storage, filing, spool, data, name, error, message
):
    with pytest.raises(error, match=message):
        ingest(filing, data, name)
    assert not Document.objects.exists()
    assert storage.object_keys() == set()
    assert list(spool.iterdir()) == []


def test_an_oversized_upload_is_refused_after_one_chunk_past_the_limit(
    local_storage, filing, settings
):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1000

    class EndlessPdf(io.RawIOBase):
        """A stream that never ends, counting what was read from it."""

        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = bytes(len(buffer))
            self.served += len(buffer)
            return len(buffer)

    source = io.BufferedReader(EndlessPdf())
    with pytest.raises(errors.FileTooLarge, match="larger than 1,000 bytes, the limit"):
        ingest_document(filing, source, "policy.pdf")
    assert source.raw.served <= 1000 + 2 * service.CHUNK_BYTES
    assert not Document.objects.exists()
    assert local_storage.object_keys() == set()


def test_an_upload_declaring_more_than_the_limit_is_refused_before_reading(
    local_storage, filing, settings
):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 200 * MiB
    upload = SimpleUploadedFile("big.pdf", make_pdf(["x"]))
    upload.size = 300 * MiB
    with pytest.raises(errors.FileTooLarge, match="The file is larger than 200 MB, the limit"):
        ingest_document(filing, upload, upload.name)


def test_a_stream_that_inflates_past_the_limit_is_refused(local_storage, filing, monkeypatch):
    monkeypatch.setattr(pdf_safety, "MAX_DECODED_STREAM_BYTES", MiB)

    def add_zeros(pdf):
        pdf.Root.Padding = pdf.make_stream(bytes(4 * MiB))  # saved Flate-compressed, ~4 KB

    with pytest.raises(errors.TooComplex, match="decompression bomb"):
        ingest(filing, edited_pdf(add_zeros))
    assert local_storage.object_keys() == set()


def test_a_pdf_with_too_many_pages_is_refused(local_storage, filing, monkeypatch):
    monkeypatch.setattr(pdf_safety, "MAX_PAGES", 2)
    with pytest.raises(errors.TooComplex, match="3 pages, more than the 2"):
        ingest(filing, make_pdf(["one", "two", "three"]))


@pytest.mark.parametrize("storage", ["local", "s3"], indirect=True)
def test_when_the_row_cannot_be_written_the_stored_object_is_deleted(
    storage, filing, monkeypatch, spool
):
    saved_keys = []

    def fail(document, *args, **kwargs):
        saved_keys.append(document.file.name)
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(Document, "save", fail)
    with pytest.raises(IntegrityError):
        ingest(filing, make_pdf(["text"]))
    assert saved_keys, "the file was uploaded before the row was written"
    assert storage.object_keys() == set()
    assert list(spool.iterdir()) == []


def test_a_write_that_fails_part_way_leaves_no_partial_object(
    local_storage, filing, spool, monkeypatch
):
    def write_half_then_fail(storage, name, content, *args, **kwargs):
        # What a full disk does: some bytes land under the key, then the write fails.
        (local_storage.root / name).parent.mkdir(parents=True, exist_ok=True)
        (local_storage.root / name).write_bytes(content.read(100))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", write_half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        ingest(filing, make_pdf(["text"]))
    assert local_storage.object_keys() == set()
    assert not Document.objects.exists()
    assert list(spool.iterdir()) == []


# --- Active content ----------------------------------------------------------------


def open_action_script(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('opened-script')"))


def named_script(pdf):
    script = pdf.make_indirect(
        Dictionary(S=Name.JavaScript, JS=String("app.alert('named-script')"))
    )
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), script])))


def embedded_file(pdf):
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ secret payload")


def launch_link(pdf):
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([72, 72, 200, 90]),
        A=Dictionary(S=Name.Launch, F=String("calc.exe")),
    )
    pdf.pages[1].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
    pdf.pages[1].obj.Annots[0].P = pdf.pages[1].obj


def page_open_script(pdf):
    pdf.pages[0].obj.AA = Dictionary(
        O=Dictionary(S=Name.JavaScript, JS=String("app.beep(0); // page-open-script"))
    )


def xfa_form(pdf):
    template = pdf.make_stream(b"<xdp:xdp><template>xfa-form-template</template></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=template)
    pdf.Root.NeedsRendering = True


ACTIVE = {
    "OpenAction JavaScript": (
        open_action_script,
        ["JavaScript action in /OpenAction of the document"],
        [b"opened-script"],
    ),
    "named JavaScript": (
        named_script,
        ["document-level JavaScript (1 script(s)) in /Names /JavaScript"],
        [b"named-script"],
    ),
    "embedded file": (
        embedded_file,
        ["embedded file “payload.exe” in /Names /EmbeddedFiles"],
        [b"MZ secret payload", b"payload.exe"],
    ),
    "Launch link annotation": (
        launch_link,
        ["Launch action (opens a file or runs a program) in /A of a Link annotation on page 2"],
        [b"calc.exe"],
    ),
    "page-open script": (
        page_open_script,
        ["JavaScript action in /AA /O of page 1"],
        [b"page-open-script"],
    ),
    "XFA form": (
        xfa_form,
        ["XFA form in /AcroForm /XFA (the standard form fields remain)"],
        [b"xfa-form-template", b"/NeedsRendering"],
    ),
}


@pytest.mark.parametrize("storage", ["local", "s3"], indirect=True)
@pytest.mark.parametrize(("add", "recorded", "traces"), ACTIVE.values(), ids=ACTIVE)
def test_active_content_is_removed_and_recorded(storage, filing, add, recorded, traces):
    upload = edited_pdf(add)
    assert all(trace in uncompressed(upload) for trace in traces)

    document = ingest(filing, upload)

    document.refresh_from_db()
    assert document.removed_content == recorded
    assert document.uploaded_sha256 == hashlib.sha256(upload).hexdigest()
    stored = storage.read(document.file.name)
    assert document.sha256 == hashlib.sha256(stored).hexdigest() != document.uploaded_sha256
    assert document.size_bytes == len(stored)
    assert document.page_count == 2
    readable = uncompressed(stored)
    for trace in (*traces, b"/JavaScript", b"/Launch", b"/EmbeddedFile"):
        assert trace not in readable
    assert b"Surveillance use policy" in readable  # the document itself is untouched


def test_ordinary_links_and_a_clean_file_are_kept_byte_for_byte(local_storage, filing):
    def web_link(pdf):
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([72, 72, 200, 90]),
            A=Dictionary(S=Name.URI, URI=String("https://example.org/policy")),
        )
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])

    upload = edited_pdf(web_link)
    document = ingest(filing, upload)
    assert document.removed_content == []
    assert local_storage.read(document.file.name) == upload


def test_a_script_chained_behind_a_harmless_action_is_removed(local_storage, filing):
    def chained(pdf):
        pdf.Root.OpenAction = Dictionary(
            S=Name.GoTo,
            D=Array([pdf.pages[0].obj, Name.Fit]),
            Next=Dictionary(S=Name.JavaScript, JS=String("app.alert('chained')")),
        )

    document = ingest(filing, edited_pdf(chained))
    assert document.removed_content == ["JavaScript action in /OpenAction of the document"]
    assert b"chained" not in uncompressed(local_storage.read(document.file.name))


def test_an_unreferenced_script_is_dropped_by_rewriting_the_file(local_storage, filing):
    upload = with_update(make_pdf(["text"]), {8: b"<< /S /JavaScript /JS (hidden-script) >>"})
    document = ingest(filing, upload)
    assert document.removed_content == [
        "1 object(s) with active content that nothing in the document refers to (dropped when "
        "the PDF was rewritten)"
    ]
    assert b"hidden-script" not in uncompressed(local_storage.read(document.file.name))


def test_a_script_that_qpdf_does_not_read_but_another_reader_might_is_dropped(
    local_storage, filing
):
    """qpdf ignores an object numbered far past the others; a reader that resolved it would
    run the script when the document opens."""
    data = make_pdf(["text"])
    catalog = int(re.search(rb"/Root\s+(\d+)", data).group(1))
    pages = re.search(rb"/Pages\s+(\d+\s+\d+\s+R)", data).group(1)
    upload = with_update(
        data,
        {
            catalog: b"<< /Type /Catalog /Pages %s /OpenAction 999 0 R >>" % pages,
            999: b"<< /S /JavaScript /JS (differential-script) >>",
        },
    )
    document = ingest(filing, upload)
    assert document.removed_content == [
        "active content in parts of the file the document does not use, such as earlier "
        "revisions (dropped when the PDF was rewritten)"
    ]
    stored = local_storage.read(document.file.name)
    assert b"differential-script" not in stored
    assert b"999 0 R" not in uncompressed(stored)


# --- File names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "media_type", "shown"),
    [
        ("Use Policy.pdf", PDF, "Use Policy.pdf"),
        ("../../etc/passwd", PDF, "passwd.pdf"),
        ("..\\..\\Windows\\win.ini", PDF, "win_ini.pdf"),
        ("C:\\Users\\clerk\\Desktop\\report.pdf", PDF, "report.pdf"),
        ("policy\x00.pdf", PDF, "policy.pdf"),
        ("line\nbreak\t.pdf", PDF, "linebreak.pdf"),
        ("invoice\u202efdp.exe", PDF, "invoicefdp_exe.pdf"),
        ("zero\u200bwidth.pdf", PDF, "zerowidth.pdf"),
        ("CON.pdf", PDF, "CON_.pdf"),
        ("nul", CSV, "nul_.csv"),
        ("lpt9.PDF", PDF, "lpt9_.pdf"),
        ("report.pdf.exe", PDF, "report_pdf_exe.pdf"),
        ("policy.exe.pdf", PDF, "policy_exe.pdf"),
        ("budget.xls", XLSX, "budget_xls.xlsx"),
        ("POLICY.PDF", PDF, "POLICY.pdf"),
        ("  ..hidden. . ", PDF, "hidden.pdf"),
        ("a<b>c:d|e?f*.pdf", PDF, "a_b_c_d_e_f_.pdf"),
        ("cafe\u0301 report.pdf", PDF, "caf\u00e9 report.pdf"),
        ("", PDF, "document.pdf"),
        ("../", PDF, "document.pdf"),
        ("\u202e\u200b.pdf", PDF, "document.pdf"),
        ("...", CSV, "document.csv"),
    ],
)
def test_file_names_are_made_safe_to_show_and_download(uploaded, media_type, shown):
    assert display_name(uploaded, media_type) == shown


def test_a_1000_character_name_is_cut_to_150_keeping_the_extension():
    shown = display_name("a" * 1000 + ".pdf", PDF)
    assert len(shown) == 150
    assert shown == "a" * 146 + ".pdf"


def test_the_shown_name_is_stored_on_the_document(local_storage, filing):
    document = ingest(filing, make_pdf(["x"]), "../secret/\u202eCON.pdf.exe")
    assert Document.objects.get().original_name == document.original_name == "CON_pdf_exe.pdf"
