"""A published filing's history as the public page shows it: versions and what changed.

Everything comes from the log and the frozen versions, never from the live filing, so
the page shows exactly what was published and when.
"""

import difflib
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from content.agencies.models import Agency
from content.documents.models import DocumentPage
from content.filings.completeness import CONTRACT_FIELDS
from content.rulebook.rules import UnknownKind, get_rulebook
from content.technologies.models import Technology
from portal.markdown import render_markdown
from publication.models import PublicationLogEntry

# Unchanged lines kept around each change in a text diff, so the change reads in context.
DIFF_CONTEXT_LINES = 2
NOT_GIVEN = _("(none)")
SKIPPED_TEXT = _("Unchanged lines left out")
MARKDOWN_FIELDS = {"summary"}
FIELD_LABELS = {
    "title": _("Title"),
    "agency": _("Agency"),
    "kind": _("Kind of filing"),
    "technologies": _("Technologies"),
    "reporting_period_start": _("Reporting period start"),
    "reporting_period_end": _("Reporting period end"),
    "due_on": _("Due on"),
    "summary": _("Summary"),
}


@dataclass(frozen=True)
class MetadataField:
    key: str
    label: str
    value: str
    is_markdown: bool = False

    @property
    def html(self):
        """The value as safe HTML: Markdown rendered and sanitised, anything else escaped."""
        return render_markdown(self.value) if self.is_markdown else escape(self.value)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class DiffLine:
    """One line of a text diff: kind is "same", "removed", "added" or "skipped"."""

    kind: str
    text: str


@dataclass
class VersionRecord:
    """One published version, with what changed since the version before it."""

    entry: PublicationLogEntry
    previous: "VersionRecord | None" = None
    changes: list[FieldChange] = field(default_factory=list)
    text_diff: list[DiffLine] = field(default_factory=list)

    @property
    def version(self):
        return self.entry.version

    @property
    def documents(self) -> list[dict]:
        return self.entry.contents["documents"]


def _display(value) -> str:
    if value is None or value == "" or value == []:
        return NOT_GIVEN
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def metadata_fields(metadata: dict) -> list[MetadataField]:
    """A version's metadata as labelled text, in the order a reader expects."""
    try:
        kind = get_rulebook().kind(metadata["kind"])
    except UnknownKind:
        kind = None
    technology_names = dict(
        Technology.objects.filter(slug__in=metadata.get("technologies", [])).values_list(
            "slug", "name"
        )
    )
    fields = []
    for key, label in FIELD_LABELS.items():
        value = metadata.get(key)
        if key == "kind" and kind is not None:
            value = kind.label
        elif key == "agency":
            value = (
                Agency.objects.filter(slug=value).values_list("name", flat=True).first() or value
            )
        elif key == "technologies":
            value = [technology_names.get(slug, slug) for slug in value or []]
        fields.append(MetadataField(key, label, _display(value), key in MARKDOWN_FIELDS))
    for name, value in (metadata.get("details") or {}).items():
        rule = kind.field(name) if kind else None
        fields.append(
            MetadataField(
                f"details.{name}",
                rule.label if rule else name,
                _display(value),
                bool(rule and rule.type == "markdown"),
            )
        )
    for name, value in (metadata.get("contract") or {}).items():
        fields.append(
            MetadataField(f"contract.{name}", CONTRACT_FIELDS.get(name, name), _display(value))
        )
    return fields


def field_changes(before: dict, after: dict) -> list[FieldChange]:
    """Every metadata field whose value differs between two versions, labelled."""
    old = {item.key: item for item in metadata_fields(before)}
    new = {item.key: item for item in metadata_fields(after)}
    changes = []
    for key in dict.fromkeys([*new, *old]):
        was, now = old.get(key), new.get(key)
        before_text = was.value if was else NOT_GIVEN
        after_text = now.value if now else NOT_GIVEN
        if before_text != after_text:
            changes.append(FieldChange((now or was).label, before_text, after_text))
    return changes


def document_lines(documents: list[dict]) -> list[str]:
    """The extracted text of the listed documents, line by line, in the listed order.

    An original that staff have since replaced with a redacted copy reads as that copy: an
    older version lists the original, whose text must never reach the public again.
    """
    ids = [listed["id"] for listed in documents]
    pages = DocumentPage.objects.filter(
        Q(document_id__in=ids, document__redacted_version__isnull=True)
        | Q(document__redaction_of_id__in=ids)
    ).order_by("number")
    text_by_document = {document_id: [] for document_id in ids}
    for document_id, original_id, text in pages.values_list(
        "document_id", "document__redaction_of_id", "text"
    ):
        listed_as = document_id if document_id in text_by_document else original_id
        text_by_document[listed_as].extend(
            line.strip() for line in text.splitlines() if line.strip()
        )
    return [line for document_id in ids for line in text_by_document[document_id]]


def text_diff(before: list[str], after: list[str]) -> list[DiffLine]:
    """The changed lines with a little context; empty when the texts are the same."""
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    lines = []
    last_end = 0
    for group in matcher.get_grouped_opcodes(DIFF_CONTEXT_LINES):
        if group[0][1] > 0:
            lines.append(DiffLine("skipped", SKIPPED_TEXT))
        for tag, old_start, old_end, new_start, new_end in group:
            if tag == "equal":
                lines.extend(DiffLine("same", line) for line in before[old_start:old_end])
                continue
            lines.extend(DiffLine("removed", line) for line in before[old_start:old_end])
            lines.extend(DiffLine("added", line) for line in after[new_start:new_end])
        last_end = group[-1][2]
    if not any(line.kind in {"removed", "added"} for line in lines):
        return []
    if last_end < len(before):
        lines.append(DiffLine("skipped", SKIPPED_TEXT))
    return lines


def version_history(entries: list[PublicationLogEntry], with_text: bool) -> list[VersionRecord]:
    """Each published version of a filing, oldest first, with what changed since the last.

    `with_text` adds the document text diffs; they are left out when the documents are
    no longer public.
    """
    records = []
    previous = None
    previous_lines = None
    for entry in entries:
        if not entry.makes_public:
            continue
        record = VersionRecord(entry, previous)
        if previous is not None:
            record.changes = field_changes(previous.version.metadata, entry.version.metadata)
        if with_text:
            lines = document_lines(record.documents)
            if previous_lines is not None:
                record.text_diff = text_diff(previous_lines, lines)
            previous_lines = lines
        records.append(record)
        previous = record
    return records
