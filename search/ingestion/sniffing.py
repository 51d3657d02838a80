"""What a file is, judged from its bytes alone.

The name and the declared Content-Type are the uploader's claims; a file called
policy.pdf may be an HTML page, and a browser or spreadsheet program will treat it
as what its bytes say. So the portal decides from the bytes: a PDF starts with
%PDF- at offset 0, a CSV is UTF-8 text in delimited rows, an XLSX workbook is a
ZIP holding [Content_Types].xml and xl/workbook.xml. Anything else is refused
with the kind of file it really is named.
"""

import codecs
import csv
import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from search.ingestion.errors import (
    DamagedFile,
    DisguisedFile,
    EncryptedFile,
    TooComplex,
    UnsupportedType,
)

PDF = "application/pdf"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
# PDF readers look for the header anywhere in the first 1024 bytes, which is what
# lets a file be an HTML page to a browser and a PDF to Acrobat at the same time; readers
# that repair files (pdf.js, MuPDF) take one from further in. So a header anywhere in a
# file that is not a PDF makes it a polyglot.
PDF_HEADER = b"%PDF-"
CSV_SAMPLE_ROWS = 50
CSV_CONSISTENT_SHARE = 0.9
CSV_DELIMITERS = ",;\t|"

# Zip-bomb limits for workbooks. A real 200 MB workbook unpacks to a few GB at most
# and holds a few thousand parts; XML compresses around 10:1, rarely past 100:1.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED_BYTES = 4 * 1024**3
ZIP_MAX_RATIO = 200
ZIP_RATIO_CHECKED_FROM_BYTES = 1024 * 1024

ACCEPTED = "The portal accepts PDF documents, CSV files and Excel (.xlsx) workbooks"

# Unambiguous binary signatures. "MZ" (Windows programs) is checked only once the
# bytes have proved not to be text, since a CSV may well start with those letters.
BINARY_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old-format (97-2003) or password-protected Microsoft Office file",
    ),
    (b"\x7fELF", "a Linux program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"%!PS", "a PostScript file"),
]
TEXT_ENCODING_MARKS = [
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
]
MARKUP = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|script|svg|iframe|object|embed|meta|\?xml)\b",
    re.IGNORECASE,
)
MARKUP_FILE_KINDS = {"HTML": "an HTML file", "SVG": "an SVG image", "XML": "an XML file"}
ZIP_KINDS = [
    ("word/document.xml", "a Word document (.docx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt, .ods or .odp)"),
    ("META-INF/MANIFEST.MF", "a Java archive (.jar)"),
]
PLAIN_TEXT = "a plain text file (its lines are not split into columns)"
CLAIMED_KINDS = {".pdf": "a PDF", ".csv": "a CSV file", ".xlsx": "an Excel (.xlsx) workbook"}


def sniff_media_type(path: Path, claimed_name: str) -> str:
    """The accepted media type the file's bytes show, or an UnsupportedType naming what it is."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(PDF_HEADER):
        return PDF
    header_at = head.find(PDF_HEADER)
    if header_at > 0:
        raise pdf_inside(head[:header_at], header_at)
    if head.startswith(b"PK\x03\x04"):
        return check_workbook(path, claimed_name)
    for signature, kind in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise unsupported(kind, claimed_name)
    for mark, encoding in TEXT_ENCODING_MARKS:
        if head.startswith(mark):
            raise UnsupportedType(
                f"This is a text file in {encoding}. The portal takes CSV files in UTF-8: "
                'save it from your spreadsheet program as "CSV UTF-8" and upload that.'
            )
    text = decode_head(head, complete=len(head) < HEAD_BYTES)
    if text is None:
        raise unsupported(binary_kind(head), claimed_name)
    kind = text_kind(text, head)
    if kind is not None:
        raise unsupported(kind, claimed_name)
    if not looks_like_delimited_rows(text, complete=len(head) < HEAD_BYTES):
        raise unsupported(PLAIN_TEXT, claimed_name)
    check_csv_throughout(path)
    return CSV


def pdf_inside(before: bytes, header_at: int) -> DisguisedFile:
    kind = markup_kind(before) or f"{header_at:,} bytes of other data"
    return DisguisedFile(
        f"This file is not a plain PDF: its PDF header (%PDF-) comes after {kind}, so some "
        "programs read it as a PDF and others as something else. Open the document, save or "
        "print it as a new PDF, and upload that."
    )


def unsupported(kind: str, claimed_name: str) -> UnsupportedType:
    claimed = CLAIMED_KINDS.get(PurePosixPath(claimed_name.replace("\\", "/")).suffix.lower())
    opening = f"This is {kind}, not {claimed}." if claimed else f"This is {kind}."
    return UnsupportedType(
        f"{opening} {ACCEPTED}: open the file, save or export it in one of those formats, "
        "and upload that."
    )


def markup_kind(data: bytes) -> str | None:
    """The markup a browser would act on in the bytes: SVG (which wins over its XML
    declaration), HTML (a script tag counts), XML, or None."""
    tags = {tag.lower() for tag in MARKUP.findall(data)}
    if b"svg" in tags:
        return "SVG"
    if tags - {b"?xml"}:
        return "HTML"
    return "XML" if tags else None


def decode_head(head: bytes, complete: bool) -> str | None:
    """The head as text if it is UTF-8 without NULs, else None. A head cut from a longer
    file may end part-way through a character; only the complete characters count."""
    if b"\x00" in head:
        return None
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        if looks_like_legacy_text(head):
            raise UnsupportedType(
                "This looks like a text or CSV file, but it is not in UTF-8 (probably "
                'Windows-1252 or Latin-1). Save it from your spreadsheet program as "CSV '
                'UTF-8" and upload that.'
            ) from None
        return None


def looks_like_legacy_text(head: bytes) -> bool:
    """Text in a single-byte encoding: hardly any control characters besides line breaks."""
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\r\n\f")
    return controls <= len(head) // 1000


def binary_kind(head: bytes) -> str:
    if head.startswith(b"MZ"):
        return "a Windows program"
    return "a binary file of a kind the portal does not recognise"


def text_kind(text: str, head: bytes) -> str | None:
    """The kind of a text file that is not data: markup, JSON and the like; None if it
    could be a CSV."""
    start = text.lstrip()[:1]
    if start == "<":
        return MARKUP_FILE_KINDS.get(markup_kind(head), "an HTML or XML file")
    if start in ("{", "["):
        return "a JSON file"
    return None


def looks_like_delimited_rows(text: str, complete: bool) -> bool:
    """Whether the first rows split into the same number (two or more) of columns on one
    delimiter; a file that is only partly read loses its last, possibly cut, row."""
    if not complete:
        text = text[: text.rfind("\n") + 1]
    for delimiter in CSV_DELIMITERS:
        try:
            rows = [
                row
                for row, _ in zip(
                    csv.reader(io.StringIO(text), delimiter=delimiter),
                    range(CSV_SAMPLE_ROWS),
                    strict=False,
                )
                if row
            ]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        consistent = sum(1 for row in rows if len(row) == len(rows[0]))
        if consistent >= CSV_CONSISTENT_SHARE * len(rows):
            return True
    return False


def check_csv_throughout(path: Path) -> None:
    """A CSV must be UTF-8 without NULs to its last byte, not only in the part sniffed, and
    hold no PDF further in."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    offset = 0
    # The end of the previous chunk, so a header split between two chunks is found too.
    overlap = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            header_at = (overlap + chunk).find(PDF_HEADER)
            if header_at >= 0:
                raise pdf_inside(b"", offset - len(overlap) + header_at)
            overlap = chunk[-(len(PDF_HEADER) - 1) :]
            if b"\x00" in chunk:
                raise UnsupportedType(
                    f"This CSV contains a NUL byte at byte {offset + chunk.index(0):,}, so it "
                    'is not a text file. Save it from your spreadsheet program as "CSV UTF-8" '
                    "and upload that."
                )
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise UnsupportedType(
                    f"This CSV is not valid UTF-8 text at byte {offset + error.start:,}. Save "
                    'it from your spreadsheet program as "CSV UTF-8" and upload that.'
                ) from None
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise UnsupportedType(
            "This CSV ends part-way through a character, so it was probably cut off. Upload "
            "the complete file."
        ) from None


def check_workbook(path: Path, claimed_name: str) -> str:
    """XLSX when the ZIP is a workbook within the zip-bomb limits; otherwise the refusal."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as error:
        raise DamagedFile(
            f"This file starts like a ZIP-based file (such as .xlsx) but cannot be opened as "
            f"one ({error}); it may be damaged or cut off. Save it again and upload the new file."
        ) from None
    if len(entries) > ZIP_MAX_ENTRIES:
        raise TooComplex(
            f"This archive holds {len(entries):,} parts, more than the {ZIP_MAX_ENTRIES:,} the "
            "portal accepts in one workbook. Split the workbook or save it as CSV files."
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > ZIP_MAX_UNCOMPRESSED_BYTES:
        raise TooComplex(
            f"This workbook would unpack to {unpacked / 1024**3:,.1f} GB, more than the "
            f"{ZIP_MAX_UNCOMPRESSED_BYTES // 1024**3} GB the portal accepts; files like this "
            "are usually zip bombs. Save the data as a smaller workbook or as CSV files."
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size >= ZIP_RATIO_CHECKED_FROM_BYTES and ratio > ZIP_MAX_RATIO:
            raise TooComplex(
                f"The part {entry.filename!r} of this file is compressed {ratio:,.0f} to 1, far "
                "more than real workbooks are; files like this are usually zip bombs. Save the "
                "data again from your spreadsheet program and upload the new file."
            )
        if entry.flag_bits & 0x1:
            raise EncryptedFile(
                "This workbook is encrypted. Remove the password (in Excel: File > Info > "
                "Protect Workbook > Encrypt with Password, then clear it) and upload it again."
            )
    names = {entry.filename for entry in entries}
    if {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        if "xl/vbaProject.bin" in names:
            raise UnsupportedType(
                "This workbook contains macros (VBA code), which the portal does not accept. "
                "Save it as an Excel Workbook (.xlsx, without macros) and upload that."
            )
        return XLSX
    kind = next((kind for part, kind in ZIP_KINDS if part in names), "a ZIP archive")
    raise unsupported(kind, claimed_name)
