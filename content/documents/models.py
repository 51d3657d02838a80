import uuid

from django.conf import settings
from django.db import models

from content.filings.models import Filing

# The types the portal accepts, each with the one extension it is stored and offered under.
MEDIA_TYPE_EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def document_storage_key(instance, filename):
    """Storage keys never contain the uploader's file name: a UUID and the sniffed extension."""
    extension = MEDIA_TYPE_EXTENSIONS.get(instance.media_type, "")
    return f"documents/{instance.uuid}{extension}"


def describe_page_numbers(numbers: list[int]) -> str:
    """Ascending page numbers as ranges ("3, 7-9"), short enough to show for a long scan."""
    ranges = []
    for number in numbers:
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in ranges)


class Document(models.Model):
    """A file attached to a filing, kept in Django storage (local files or S3)."""

    class Processing(models.TextChoices):
        PENDING = "pending", "Waiting for text extraction"
        EXTRACTING = "extracting", "Extracting text"
        EXTRACTED = "extracted", "Text extracted"
        NEEDS_OCR = "needs_ocr", "Needs OCR"
        FAILED = "failed", "Failed"
        DATA_FILE = "data_file", "Data file (no pages to extract)"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to=document_storage_key, max_length=300)
    original_name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100, help_text="Sniffed from the file's bytes.")
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    removed_content = models.JSONField(
        default=list,
        blank=True,
        help_text="What the portal removed from the upload (scripts, embedded files, actions "
        "that open other files), one description per item; empty when stored as uploaded.",
    )
    uploaded_sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the file as uploaded, when the portal stored a cleaned copy "
        "instead; blank when the stored file is the upload itself.",
    )
    processing = models.CharField(
        max_length=20, choices=Processing.choices, default=Processing.PENDING
    )
    processing_error = models.TextField(blank=True)
    ocr_pages = models.JSONField(
        "OCR'd pages",
        default=list,
        blank=True,
        help_text="Numbers of the pages whose text came from OCR.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set on a redacted copy made by oversight staff (its uploaded_by and created_at say who
    # made it and when); the public gets the copy in place of the original. A copy means
    # nothing without its original, so it goes when an agency removes the original.
    redaction_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="redacted_version",
        help_text="The original this redacted copy replaces for the public.",
    )
    redaction_note = models.TextField(
        blank=True, help_text="What staff redacted from the original, and why."
    )

    class Meta:
        ordering = ["filing", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(redaction_of__isnull=True) | ~models.Q(redaction_note=""),
                name="redaction_says_what_was_redacted",
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_ocr_pages_display(self) -> str:
        return describe_page_numbers(self.ocr_pages)


class DocumentPage(models.Model):
    """The extracted text of one page; every search index is derived from these rows."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_row_per_page"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="page_numbers_from_one"),
        ]

    def __str__(self):
        return f"{self.document} p.{self.number}"
