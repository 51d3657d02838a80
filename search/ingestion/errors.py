"""Why the portal refused a file, in words the uploader can act on.

Every refusal is an IngestionError, so a view needs one except clause and can show
str(error) as it is; the subclasses let callers and tests tell the reasons apart.
"""


class IngestionError(Exception):
    """The portal will not accept this file; the message says why and what to do instead."""


class EmptyFile(IngestionError):
    """No bytes arrived."""


class FileTooLarge(IngestionError):
    """More bytes than settings.DOCUMENT_MAX_UPLOAD_BYTES."""


class UnsupportedType(IngestionError):
    """The bytes are not a PDF, a CSV or an XLSX workbook, whatever the name says."""


class DisguisedFile(IngestionError):
    """The bytes are valid as two kinds of file at once (a polyglot), so readers disagree."""


class EncryptedFile(IngestionError):
    """Password-protected or otherwise encrypted: the portal cannot read, index or clean it."""


class DamagedFile(IngestionError):
    """The file claims a type but cannot be read as it: cut off, corrupt or malformed."""


class NoPages(IngestionError):
    """A PDF with nothing to show."""


class TooComplex(IngestionError):
    """Past a safety limit: pages, objects, decoded stream size, or an archive that would
    unpack to far more than it weighs (a decompression bomb)."""


class ActiveContentRemains(IngestionError):
    """Scripts or other active content survived cleaning; the file is refused rather than kept."""
