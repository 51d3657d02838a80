"""The name a document is shown and downloaded under, made safe from the uploader's name.

It is never a storage key (those are UUIDs), but it ends up in pages, in
Content-Disposition headers and on visitors' disks, so it must not carry path
parts, invisible or direction-flipping characters (U+202E turns "gpj.exe" into
what looks like "exe.jpg"), names Windows refuses, or an extension other than
the one the bytes were found to be.
"""

import re
import unicodedata

from content.documents.models import MEDIA_TYPE_EXTENSIONS

MAX_NAME_CHARACTERS = 150
FALLBACK_STEM = "document"
# Characters Windows forbids in file names; replaced so a download saves as named.
WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
WINDOWS_RESERVED_STEMS = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{number}" for device in ("COM", "LPT") for number in "123456789¹²³"]
)
# Control (Cc), format (Cf, including the bidi overrides), surrogate, private-use and
# unassigned code points, plus the line and paragraph separators: none belongs in a name.
REMOVED_CATEGORIES = frozenset(["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"])
EDGE_CHARACTERS = ". "


def display_name(original_name: str, media_type: str) -> str:
    """A safe name ending in the extension of the sniffed media type."""
    extension = MEDIA_TYPE_EXTENSIONS[media_type]
    name = re.split(r"[/\\]", original_name or "")[-1]
    name = "".join(
        " " if unicodedata.category(character) == "Zs" else character
        for character in name
        if unicodedata.category(character) not in REMOVED_CATEGORIES
    )
    # Composed only once invisible characters are gone: "e", U+200B, U+0301 must become
    # "é" now, not when the shown name is sanitised again.
    name = unicodedata.normalize("NFC", name)
    name = WINDOWS_FORBIDDEN.sub("_", re.sub(r" {2,}", " ", name)).rstrip(EDGE_CHARACTERS)
    if name.lower().endswith(extension):
        name = name[: -len(extension)]
    # Only the final extension may hold a dot, so "report.pdf.exe" cannot pass for a
    # program and "policy.exe.pdf" shows its real type.
    stem = name.lstrip(EDGE_CHARACTERS).replace(".", "_").strip(EDGE_CHARACTERS)
    if stem.upper() in WINDOWS_RESERVED_STEMS:
        stem += "_"
    stem = stem[: MAX_NAME_CHARACTERS - len(extension)].rstrip(EDGE_CHARACTERS)
    return f"{stem or FALLBACK_STEM}{extension}"
