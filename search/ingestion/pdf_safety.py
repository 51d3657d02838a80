"""Open an uploaded PDF safely: refuse what cannot be trusted, remove active content.

Refused: encrypted files (the portal could neither index nor clean them),
damaged or cut-off files, files without pages, polyglots (a ZIP inside, or
markup or other data after the final %%EOF), and files past the limits below,
which exist to stop decompression bombs and files built to exhaust a reader.

Removed, not refused: active content. Agencies export their reports from
office suites that add form scripts and attachments nobody meant to publish;
refusing would send them to find and fix settings they do not control, while the
content itself is not part of the record. So scripts, launch and submit actions,
links into other or embedded files, embedded files, rich media and XFA forms
are stripped with pikepdf, the document is rewritten (dropping objects nothing
refers to and any earlier revisions), the cleaned copy is checked again from
scratch, and what was removed is listed for the Document row. Ordinary links
(URI actions to web addresses) and standard form fields stay. The same rewrite
drops active content that only sits in unreferenced objects, earlier revisions
or objects qpdf does not read (which another reader might). A PDF with none of
this is stored byte for byte as uploaded.
"""

import mmap
import re
import struct
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2
from pikepdf import Array, Dictionary, Name, NameTree, Stream

from search.ingestion.errors import (
    ActiveContentRemains,
    DamagedFile,
    DisguisedFile,
    EncryptedFile,
    NoPages,
    TooComplex,
)
from search.ingestion.sniffing import markup_kind

# A thousand-page scanned report is large for a filing; ten times that is a sign
# of something other than a document.
MAX_PAGES = 10_000
# Real 200 MB PDFs hold tens of thousands of objects; millions only make every
# reader, the portal's included, slow and memory-hungry.
MAX_OBJECTS = 500_000
# Decoded size of any one stream (a page's content, a font, one image at its declared
# width x height x colour depth), and of all non-image streams together. A 600 dpi
# letter-size colour scan is 100 MB decoded; past these a file is a decompression bomb.
MAX_DECODED_STREAM_BYTES = 512 * 1024**2
MAX_TOTAL_DECODED_BYTES = 4 * 1024**3
INFLATE_STEP_BYTES = 1024 * 1024
SCAN_STEP_BYTES = 1024 * 1024
MAX_ACTION_CHAIN = 50
QPDF_NESTING_WARNING = "deeply nested"
ADDITIONAL_ACTIONS_KEY = str(Name.AA)

PDF_WHITESPACE = b"\x00\t\n\x0c\r "
# Every PDF ends "startxref <offset> %%EOF"; the offset leads readers to the cross-reference
# section. Without it each reader rebuilds the file's structure its own way.
FINAL_STARTXREF = re.compile(rb"startxref\s+\d+\s*$")
FINAL_SECTION_BYTES = 1024
TRAILING_SAMPLE_BYTES = 64 * 1024
PDF_BODY_SYNTAX = re.compile(rb"\d+\s+\d+\s+obj\b|\bendobj\b|\bstartxref\b|\bxref\b")
STREAM_BOUNDARY = re.compile(rb"(?<![A-Za-z])stream\r?\n|endstream")
# Names that always mean active content, and names with letters written as #xx escapes,
# which producers have no reason to write and which hide names from simple scans. A bare
# /RichMedia is not among them: it is the subtype that stays on an annotation once its
# /RichMediaContent is removed, and a cleaned file must pass as clean when uploaded again.
RAW_ACTIVE_NAMES = re.compile(
    rb"/(?:JavaScript|JS|Launch|SubmitForm|ImportData|GoToR|GoToE|RichMedia\w+|Rendition"
    rb"|EmbeddedFiles?|XFA)(?=[\s/<>\[\]()%{}])"
    rb"|/[A-Za-z]*#(?:4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa])"
)
ZIP_LOCAL_HEADER = b"PK\x03\x04"
ZIP_END_OF_DIRECTORY = b"PK\x05\x06"
ZIP_METHODS = frozenset([0, 8, 9, 12, 14, 93, 95, 98, 99])
ZIP_MAX_VERSION = 63
ZIP_MAX_NAME_BYTES = 1024

FLATE_FILTERS = frozenset([Name.FlateDecode, Name("/Fl")])
# Names that every kind of active content below involves, directly or through an action
# (/A, /AA, /OpenAction, /Next) or a file specification (/FS of a file attachment
# annotation, /AF of associated files) that may lead to it. qpdf writes names decoded,
# so /J#61vaScript is seen as /JavaScript.
ACTIVE_CONTENT_NAMES = re.compile(
    rb"/(?:JavaScript|JS|Launch|SubmitForm|ImportData|GoToR|GoToE|RichMedia\w*|Rendition"
    rb"|URI|EF|EmbeddedFiles?|XFA|NeedsRendering|AA|A|OpenAction|Next|Names|FS|AF)"
    rb"(?=[\s/<>\[\]()%{}]|$)"
)
ACTIVE_ACTIONS = {
    Name.JavaScript: "JavaScript action",
    Name.Launch: "Launch action (opens a file or runs a program)",
    Name.SubmitForm: "SubmitForm action (sends form data to an address)",
    Name.ImportData: "ImportData action (reads form data from a file)",
    Name.GoToR: "GoToR action (opens another PDF file)",
    Name.GoToE: "GoToE action (opens an embedded file)",
    Name.RichMediaExecute: "RichMediaExecute action (commands rich media)",
    Name.Rendition: "Rendition action (plays media and may run JavaScript)",
}
# URI actions stay as links, except to addresses that run code or reach local files.
ACTIVE_URI = re.compile(r"\s*(javascript|vbscript|data|file):", re.IGNORECASE)
RICH_MEDIA_KEYS = (Name.RichMediaContent, Name.RichMediaSettings)
COLOUR_COMPONENTS = {
    Name.DeviceGray: 1,
    Name.CalGray: 1,
    Name.Indexed: 1,
    Name.Separation: 1,
    Name("/G"): 1,
    Name("/I"): 1,
    Name.DeviceRGB: 3,
    Name.CalRGB: 3,
    Name.Lab: 3,
    Name("/RGB"): 3,
}
MOST_COLOUR_COMPONENTS = 4


@dataclass(frozen=True)
class InspectedPdf:
    page_count: int
    removed: list[str]
    cleaned: Path | None
    """The rewritten file to store instead of the upload, when something was removed."""


def inspect_pdf(path: Path, workspace: Path) -> InspectedPdf:
    """Check the PDF at path; if it held active content, write a cleaned copy in workspace."""
    raw_names_active_content = check_raw_bytes(path)
    cleaned = None
    with open_pdf(path) as pdf:
        check_structure_limits(pdf)
        check_decoded_sizes(pdf)
        check_parser_limits(pdf)
        removed = remove_active_content(pdf)
        if not removed:
            removed = unseen_active_content(pdf, raw_names_active_content)
        if removed:
            cleaned = workspace / "cleaned.pdf"
            pdf.save(cleaned)
    if cleaned is not None:
        with open_pdf(cleaned) as pdf:
            if count_active_objects(pdf):
                raise ActiveContentRemains(
                    "This PDF contains scripts or other active content that the portal could "
                    "not remove safely. Print it to a new PDF (File > Print > Save as PDF) and "
                    "upload that."
                )
    return InspectedPdf(page_count=count_pages(cleaned or path), removed=removed, cleaned=cleaned)


def unseen_active_content(pdf: pikepdf.Pdf, raw_names_active_content: bool) -> list[str]:
    """Active content that nothing in the document, as qpdf reads it, leads to: objects
    nothing refers to, earlier revisions, objects qpdf ignores but another reader might
    not. Rewriting the file keeps only what qpdf reads, so these are dropped too."""
    unreferenced = count_active_objects(pdf)
    if unreferenced:
        return [
            f"{unreferenced} object(s) with active content that nothing in the document "
            "refers to (dropped when the PDF was rewritten)"
        ]
    if raw_names_active_content:
        return [
            "active content in parts of the file the document does not use, such as earlier "
            "revisions (dropped when the PDF was rewritten)"
        ]
    return []


def check_raw_bytes(path: Path) -> bool:
    """Refuse a PDF that is cut off, has data after its end, or hides a ZIP archive; return
    whether the bytes outside stream data name any kind of active content."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        end = data.rfind(b"%%EOF")
        if end < 0:
            raise DamagedFile(
                "This PDF is damaged or incomplete: it has no end-of-file marker (%%EOF), so it "
                "was probably cut off while it was saved or uploaded. Upload the complete file "
                "again, or export the document to PDF once more."
            )
        check_trailing_data(data, end + len(b"%%EOF"))
        check_final_startxref(data, end)
        check_no_zip_records(data)
        return names_active_content_outside_streams(data)


def names_active_content_outside_streams(data: mmap.mmap) -> bool:
    """Whether the file's text (not its stream data, where any byte sequence can occur by
    chance) names a kind of active content, or hides a name's letters behind #xx escapes."""
    # Most files name none anywhere, which one search over the whole file shows; telling
    # streams apart costs far more and only matters when some name turns up.
    if RAW_ACTIVE_NAMES.search(data) is None:
        return False
    start = 0
    for boundary in STREAM_BOUNDARY.finditer(data):
        if boundary.group() == b"endstream":
            start = boundary.end()
        elif RAW_ACTIVE_NAMES.search(data, start, boundary.start()):
            return True
    return RAW_ACTIVE_NAMES.search(data, start) is not None


def check_trailing_data(data: mmap.mmap, start: int) -> None:
    """After the last %%EOF a PDF may only have line ends and padding."""
    for chunk_start in range(start, len(data), SCAN_STEP_BYTES):
        if data[chunk_start : chunk_start + SCAN_STEP_BYTES].strip(PDF_WHITESPACE):
            break
    else:
        return
    sample = data[start : start + TRAILING_SAMPLE_BYTES]
    kind = markup_kind(sample)
    if kind is not None:
        raise DisguisedFile(
            f"This PDF has {kind} appended after its end (%%EOF), so a browser could read it "
            "as a web page. Save or print the document to a new PDF and upload that."
        )
    if PDF_BODY_SYNTAX.search(sample):
        raise DamagedFile(
            "This PDF is incomplete: its last section stops part-way, so it was probably cut "
            "off while it was saved or uploaded. Upload the complete file again, or export the "
            "document to PDF once more."
        )
    raise DisguisedFile(
        f"This PDF has {len(data) - start:,} bytes of other data after its end (%%EOF), which "
        "is how files that are two kinds of file at once are made. Save or print the document "
        "to a new PDF and upload that."
    )


def check_final_startxref(data: mmap.mmap, end: int) -> None:
    if FINAL_STARTXREF.search(data[max(end - FINAL_SECTION_BYTES, 0) : end]) is None:
        raise DamagedFile(
            "This PDF is damaged: its last section, which tells readers where its parts are, is "
            "missing, so each program would guess at the document differently. Export the "
            "document to PDF again, or print it to a new PDF, and upload that."
        )


def check_no_zip_records(data: mmap.mmap) -> None:
    """A ZIP record inside a PDF makes it a ZIP too (and an .xlsx, .docx or .jar)."""
    for signature, plausible in (
        (ZIP_LOCAL_HEADER, is_zip_local_header),
        (ZIP_END_OF_DIRECTORY, is_zip_end_of_directory),
    ):
        offset = data.find(signature)
        while offset >= 0:
            if plausible(data, offset):
                raise DisguisedFile(
                    f"This PDF also contains a ZIP archive (at byte {offset:,}), so it can be "
                    "opened as two different kinds of file. Save or print the document to a new "
                    "PDF and upload that; if files are attached to the PDF, remove them first."
                )
            offset = data.find(signature, offset + 1)


def is_zip_local_header(data: mmap.mmap, offset: int) -> bool:
    """Whether the fields after a local-header signature are those of a real entry; compressed
    page data holds these four bytes by chance about once in 4 GB, the fields almost never."""
    if offset + 30 > len(data):
        return False
    version, _, method, _, _, _, _, _, name_length, _ = struct.unpack_from(
        "<HHHHHIIIHH", data, offset + 4
    )
    if version > ZIP_MAX_VERSION or method not in ZIP_METHODS:
        return False
    if not 1 <= name_length <= ZIP_MAX_NAME_BYTES or offset + 30 + name_length > len(data):
        return False
    name = data[offset + 30 : offset + 30 + name_length]
    return all(byte >= 0x20 for byte in name)


def is_zip_end_of_directory(data: mmap.mmap, offset: int) -> bool:
    if offset + 22 > len(data):
        return False
    disk, directory_disk, entries_here, entries, directory_size, _, comment_length = (
        struct.unpack_from("<HHHHIIH", data, offset + 4)
    )
    return (
        disk == directory_disk == 0
        and entries_here == entries
        and directory_size <= offset
        and offset + 22 + comment_length <= len(data)
    )


@contextmanager
def open_pdf(path: Path) -> Iterator[pikepdf.Pdf]:
    """The PDF opened with pikepdf, or the refusal that says why it cannot be."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise EncryptedFile(
            "This PDF is password-protected (encrypted), so the portal cannot read or publish "
            "it. Save a copy without the password (in Acrobat: File > Properties > Security > "
            "No Security) and upload that."
        ) from None
    except pikepdf.PdfError as error:
        raise damaged(path, error) from None
    with pdf:
        if pdf.is_encrypted:
            raise EncryptedFile(
                "This PDF is encrypted with security restrictions (for example on copying or "
                "printing), so the portal cannot index or check it. Save a copy without security "
                "(in Acrobat: File > Properties > Security > No Security) and upload that."
            )
        try:
            yield pdf
        except pikepdf.PdfError as error:
            raise damaged(path, error) from None


def damaged(path: Path, error: Exception) -> DamagedFile:
    # qpdf names the file it read ("path: ..." or "path (object 7 0): ..."); that is a
    # temporary path on the server, of no use to the uploader.
    reason = re.sub(rf"^{re.escape(str(path))} \((.*?)\): ", r"\1: ", str(error))
    reason = reason.removeprefix(f"{path}: ")
    return DamagedFile(
        f"This PDF is damaged and cannot be opened ({reason}). Export the document to PDF "
        "again, or print it to a new PDF, and upload that."
    )


def check_structure_limits(pdf: pikepdf.Pdf) -> None:
    pages = len(pdf.pages)
    if pages == 0:
        raise NoPages(
            "This PDF has no pages. Check that you picked the right file, or export the "
            "document to PDF again."
        )
    if pages > MAX_PAGES:
        raise TooComplex(
            f"This PDF has {pages:,} pages, more than the {MAX_PAGES:,} the portal accepts in "
            "one document. Split it into several PDFs and upload each."
        )
    # Some readers (pdf.js among them) size the document by the page tree's /Count rather
    # than by the pages in it, so a /Count of billions hangs them.
    page_tree = pdf.Root.get(Name.Pages)
    declared = page_tree.get(Name.Count) if isinstance(page_tree, Dictionary) else None
    if isinstance(declared, int) and declared > MAX_PAGES:
        raise TooComplex(
            f"This PDF's page tree claims {declared:,} pages, more than the {MAX_PAGES:,} the "
            "portal accepts in one document; files like this are made to overload readers. "
            "Print it to a new PDF, or split it, and upload that."
        )
    objects = len(pdf.objects)
    if objects > MAX_OBJECTS:
        raise TooComplex(
            f"This PDF is built from {objects:,} internal objects, more than the "
            f"{MAX_OBJECTS:,} the portal accepts; files like this are malformed or made to "
            "overload readers. Print it to a new PDF, or split it, and upload that."
        )


def check_decoded_sizes(pdf: pikepdf.Pdf) -> None:
    """Refuse decompression bombs without decompressing into memory: images by their
    declared size, Flate streams by inflating and counting, a step at a time."""
    total = 0
    for stream in pdf.objects:
        if not isinstance(stream, Stream):
            continue
        if stream.get(Name.Subtype) == Name.Image:
            decoded = declared_image_bytes(stream)
        elif first_filter(stream) in FLATE_FILTERS:
            decoded = inflated_size(stream.read_raw_bytes(), MAX_DECODED_STREAM_BYTES + 1)
            total += decoded
        else:
            continue
        if decoded > MAX_DECODED_STREAM_BYTES:
            raise TooComplex(
                f"Part of this PDF (object {stream.objgen[0]}) would expand to more than "
                f"{MAX_DECODED_STREAM_BYTES // 1024**2} MB when opened, so it is refused as a "
                "decompression bomb. If it is a very large scan, scan at a lower resolution "
                "(300 dpi is plenty) and upload that."
            )
        if total > MAX_TOTAL_DECODED_BYTES:
            raise TooComplex(
                f"This PDF's contents would expand to more than "
                f"{MAX_TOTAL_DECODED_BYTES // 1024**3} GB when opened, so it is refused as a "
                "decompression bomb. Print it to a new PDF, or split it, and upload that."
            )


def check_parser_limits(pdf: pikepdf.Pdf) -> None:
    """Refuse objects nested past qpdf's limit. qpdf only warns and reads them as null, so
    the file would be kept as uploaded, for readers without such a limit to recurse into.
    check_decoded_sizes has read every object by now, so the warnings are all in."""
    if any(QPDF_NESTING_WARNING in warning for warning in pdf.get_warnings()):
        raise TooComplex(
            "This PDF has parts nested inside each other thousands of levels deep; files like "
            "this are malformed or made to crash readers. Print it to a new PDF and upload that."
        )


def first_filter(stream: Stream) -> Name | None:
    filters = stream.get(Name.Filter)
    if isinstance(filters, Array):
        filters = filters[0] if len(filters) else None
    return filters if isinstance(filters, Name) else None


def inflated_size(raw: bytes, limit: int) -> int:
    """How many bytes raw inflates to, counting no further than limit. Damaged data counts
    as far as it inflates; readers show what they can of it."""
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while size <= limit:
            chunk = inflater.decompress(pending, INFLATE_STEP_BYTES)
            size += len(chunk)
            pending = inflater.unconsumed_tail
            if inflater.eof or (not pending and len(chunk) < INFLATE_STEP_BYTES):
                break
    except zlib.error:
        pass
    return size


def declared_image_bytes(image: Stream) -> int:
    """Width x height x colour components x bits per component, as the image declares them."""
    try:
        width = int(image.get(Name.Width, 0))
        height = int(image.get(Name.Height, 0))
        bits = 1 if image.get(Name.ImageMask) is True else int(image.get(Name.BitsPerComponent, 8))
    except (TypeError, ValueError):
        return 0
    return max(width, 0) * max(height, 0) * colour_components(image) * max(bits, 1) // 8


def colour_components(image: Stream) -> int:
    if image.get(Name.ImageMask) is True:
        return 1
    space = image.get(Name.ColorSpace)
    if isinstance(space, Array) and len(space):
        family = space[0]
        if family == Name.ICCBased and len(space) > 1 and isinstance(space[1], Stream):
            return int(space[1].get(Name.N, MOST_COLOUR_COMPONENTS))
        if family == Name.DeviceN and len(space) > 1 and isinstance(space[1], Array):
            return max(len(space[1]), 1)
        space = family
    return COLOUR_COMPONENTS.get(space, MOST_COLOUR_COMPONENTS)


def remove_active_content(pdf: pikepdf.Pdf) -> list[str]:
    """Strip active content from every object in the file, returning one description per
    thing removed ("JavaScript action in /OpenAction of the document")."""
    page_numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    removed_objects: set[tuple[int, int]] = set()
    notes = remove_document_level_content(pdf, removed_objects)
    for holder in objects_worth_examining(pdf):
        where = describe(holder, page_numbers) or "a dictionary"
        pending = [(holder, where)]
        while pending:
            container, where = pending.pop()
            if isinstance(container, Array):
                entries = [(index, container[index]) for index in reversed(range(len(container)))]
            else:
                notes += remove_rich_media(container, where)
                # items(), not get(key), and keys compared as text: pikepdf's get() and Name
                # comparison fail on keys that are not UTF-8 (/#80x), which a damaged or
                # hostile file may hold.
                entries = list(container.items())
            for key, value in entries:
                if key == ADDITIONAL_ACTIONS_KEY and isinstance(value, Dictionary):
                    notes += remove_additional_actions(container, value, where, removed_objects)
                    continue
                label = active_label(value)
                if label is None:
                    if is_direct_container(value):
                        pending.append((value, place_in(key, where)))
                    continue
                del container[key]
                if not (value.is_indirect and value.objgen in removed_objects):
                    notes.append(f"{label} in {place_in(key, where)}")
                if value.is_indirect:
                    removed_objects.add(value.objgen)
    return summarise(notes)


def objects_worth_examining(pdf: pikepdf.Pdf) -> Iterator[Dictionary | Stream | Array]:
    """The trailer and every object whose text (its direct contents, not stream data) names
    something active content is made of. qpdf writes the text in one call, so this skips
    the thousands of ordinary objects without walking them key by key from Python."""
    yield pdf.trailer
    for candidate in pdf.objects:
        if isinstance(candidate, Stream):
            text = candidate.stream_dict.unparse()
        elif isinstance(candidate, Dictionary | Array):
            text = candidate.unparse(resolved=True)
        else:
            continue
        if ACTIVE_CONTENT_NAMES.search(text):
            yield candidate


def is_direct_container(value: object) -> bool:
    return isinstance(value, Dictionary | Stream | Array) and not value.is_indirect


def place_in(key: str | int, where: str) -> str:
    return f"a list in {where}" if isinstance(key, int) else f"{key} of {where}"


def remove_document_level_content(
    pdf: pikepdf.Pdf, removed_objects: set[tuple[int, int]]
) -> list[str]:
    """Scripts that run when the document opens, attached files, and XFA forms."""
    notes = []
    names = pdf.Root.get(Name.Names)
    if isinstance(names, Dictionary):
        scripts = names.get(Name.JavaScript)
        if scripts is not None:
            count = len(NameTree(scripts)) if isinstance(scripts, Dictionary) else 0
            notes.append(f"document-level JavaScript ({count} script(s)) in /Names /JavaScript")
            del names[Name.JavaScript]
        attachments = names.get(Name.EmbeddedFiles)
        if attachments is not None:
            entries = (
                list(NameTree(attachments).items()) if isinstance(attachments, Dictionary) else []
            )
            for file_name, specification in entries:
                notes.append(f"embedded file “{file_name}” in /Names /EmbeddedFiles")
                if specification.is_indirect:
                    removed_objects.add(specification.objgen)
            if not entries:
                notes.append("embedded files in /Names /EmbeddedFiles")
            del names[Name.EmbeddedFiles]
    form = pdf.Root.get(Name.AcroForm)
    if isinstance(form, Dictionary) and Name.XFA in form:
        notes.append("XFA form in /AcroForm /XFA (the standard form fields remain)")
        del form[Name.XFA]
    if Name.NeedsRendering in pdf.Root:
        del pdf.Root[Name.NeedsRendering]
    return notes


def remove_additional_actions(
    holder: Dictionary,
    actions: Dictionary,
    where: str,
    removed_objects: set[tuple[int, int]],
) -> list[str]:
    """Active actions among the event actions (/AA) of a page, annotation, field or the
    document; the /AA entry goes when none is left."""
    notes = []
    for event, action in list(actions.items()):
        label = active_label(action)
        if label is None:
            continue
        del actions[event]
        notes.append(f"{label} in /AA {event} of {where}")
        if action.is_indirect:
            removed_objects.add(action.objgen)
    if not actions.keys():
        del holder[Name.AA]
    return notes


def remove_rich_media(container: Dictionary | Stream, where: str) -> list[str]:
    if container.get(Name.Subtype) != Name.RichMedia:
        return []
    present = [key for key in RICH_MEDIA_KEYS if key in container]
    for key in present:
        del container[key]
    return [f"rich media (Flash, video or 3D) content of {where}"] if present else []


def active_label(value: object) -> str | None:
    """What makes value active content, or None: an embedded file, or an action of an active
    type (or a link to a script or local-file address) anywhere in its /Next chain."""
    if not isinstance(value, Dictionary | Stream):
        return None
    if Name.EF in value:
        file_name = value.get(Name.UF, value.get(Name.F))
        if isinstance(file_name, pikepdf.String):
            return f"embedded file “{file_name}”"
        return "embedded file"
    if not isinstance(value.get(Name.S), Name):
        return None
    chain, goes_on = action_chain(value)
    labels = []
    for action in chain:
        kind = action.get(Name.S)
        if kind in ACTIVE_ACTIONS:
            labels.append(ACTIVE_ACTIONS[kind])
        elif kind == Name.URI and ACTIVE_URI.match(str(action.get(Name.URI, ""))):
            labels.append("URI action to a script or local-file address")
    if goes_on:
        # Unexamined actions could be anything; a chain this long is not a real document's.
        labels.append(f"chain of more than {MAX_ACTION_CHAIN} actions")
    return " and ".join(dict.fromkeys(labels)) or None


def action_chain(action: Dictionary | Stream) -> tuple[list[Dictionary | Stream], bool]:
    """The action and those it triggers through /Next, breadth first, up to
    MAX_ACTION_CHAIN of them; and whether the chain goes on past that (or loops)."""
    chain = []
    queue = [action]
    while queue and len(chain) < MAX_ACTION_CHAIN:
        current = queue.pop(0)
        chain.append(current)
        following = current.get(Name.Next)
        following = list(following) if isinstance(following, Array) else [following]
        queue += [item for item in following if isinstance(item, Dictionary | Stream)]
    return chain, bool(queue)


def describe(container: object, page_numbers: dict) -> str | None:
    """Where in the document a container is, in words an uploader might recognise; None
    when the container itself does not say."""
    if not isinstance(container, Dictionary | Stream):
        return None
    if container.is_indirect and container.objgen in page_numbers:
        return f"page {page_numbers[container.objgen]}"
    kind = container.get(Name.Type)
    subtype = container.get(Name.Subtype)
    if kind == Name.Catalog:
        return "the document"
    if kind == Name.Annot or (isinstance(subtype, Name) and Name.Rect in container):
        page = container.get(Name.P)
        number = page_numbers.get(page.objgen) if isinstance(page, Dictionary) else None
        on_page = f" on page {number}" if number else ""
        return f"a {str(subtype).lstrip('/')} annotation{on_page}"
    if Name.FT in container:
        return f"the form field “{container.get(Name.T, '')}”"
    if Name.Title in container and (Name.Parent in container or Name.First in container):
        return f"the bookmark “{container.get(Name.Title)}”"
    return None


def summarise(notes: list[str]) -> list[str]:
    """One line per distinct removal, with a count where the same thing went many times.
    Names and keys in the file that are not valid Unicode show as "?", so a note can be
    stored (PostgreSQL refuses lone surrogates) and shown."""
    return [
        (note if count == 1 else f"{note}, {count} times")
        .encode("utf-8", "replace")
        .decode("utf-8")
        for note, count in Counter(notes).items()
    ]


def count_active_objects(pdf: pikepdf.Pdf) -> int:
    """Objects anywhere in the file, referenced or not, that hold active content (in
    themselves or their direct contents)."""
    found = 0
    for candidate in objects_worth_examining(pdf):
        pending = [candidate]
        while pending:
            container = pending.pop()
            if isinstance(container, Array):
                children = list(container)
            else:
                found += is_active_container(container)
                children = [value for _, value in container.items()]
            pending += [child for child in children if is_direct_container(child)]
    return found


def is_active_container(container: Dictionary | Stream) -> bool:
    """Broader than removal on purpose: any script code, attached file or XFA counts."""
    return (
        active_label(container) is not None
        or Name.JS in container
        or container.get(Name.Type) == Name.EmbeddedFile
        or Name.XFA in container
        or (
            Name.Names in container
            and isinstance(container.get(Name.Names), Dictionary)
            and bool({Name.JavaScript, Name.EmbeddedFiles} & set(container[Name.Names].keys()))
        )
        or (container.get(Name.Subtype) == Name.RichMedia and Name.RichMediaContent in container)
    )


def count_pages(path: Path) -> int:
    """Pages as PDFium, which extracts the text, counts them; it must be able to open the file."""
    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        raise DamagedFile(
            f"This PDF is damaged and cannot be opened ({error}). Export the document to PDF "
            "again, or print it to a new PDF, and upload that."
        ) from None
    try:
        pages = len(document)
    finally:
        document.close()
    if pages == 0:
        raise NoPages(
            "This PDF has no pages. Check that you picked the right file, or export the "
            "document to PDF again."
        )
    return pages
