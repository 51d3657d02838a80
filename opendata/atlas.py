"""The EFF Atlas of Surveillance CSV layout: the inventory written in it, and read back from it.

The Atlas publishes one row per agency and technology, with the header below (its
download.csv). An Atlas row says an agency uses a technology, so only entries in use are
written, and every imported row becomes an entry in use.
"""

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify

from content.agencies.models import RESERVED_SLUGS, Agency
from content.inventory.lifecycle import propose, take_step
from content.inventory.models import InventoryEntry, InventoryEvent
from content.oversight.groups import OVERSIGHT_STAFF_GROUP
from content.technologies.models import Category, Technology
from content.vendors.models import Vendor
from opendata.datasets import AbsoluteUrl, inventory_entries

ATLAS_HEADER = (
    "AOSNUMBER",
    "NEWAOSNUMBER (ORI9)",
    "City",
    "County",
    "State",
    "Agency",
    "Type of LEA",
    "Summary",
    "Type of Juris",
    "Technology",
    "TECH ABV",
    "Vendor",
    "Link 1",
    "Link 1 Snapshot",
    "Link 1 Source",
    "Link 1 Type",
    "Link 1 Date",
    "Link 2",
    "Link 2 Snapshot",
    "Link 2 Source",
    "Link 2 Type",
    "Link 2 Date",
    "Link 3",
    "Link 3 Snapshot",
    "Link 3 Source",
    "Link 3 Type",
    "Link 3 Date",
    "Other Links",
)

# The Atlas's name for each technology type; "other" has none there and is written as "Other".
ATLAS_TECHNOLOGY = {
    Category.ALPR: "Automated License Plate Readers",
    Category.BODY_WORN_CAMERAS: "Body-worn Cameras",
    Category.CAMERA_REGISTRY: "Camera Registry",
    Category.CELL_SITE_SIMULATOR: "Cell-site Simulator",
    Category.DRONES: "Drones",
    Category.FACE_RECOGNITION: "Face Recognition",
    Category.FUSION_CENTER: "Fusion Center",
    Category.GUNSHOT_DETECTION: "Gunshot Detection",
    Category.PREDICTIVE_POLICING: "Predictive Policing",
    Category.REAL_TIME_CRIME_CENTER: "Real-Time Crime Center",
    Category.VIDEO_ANALYTICS: "Video Analytics",
    Category.SOCIAL_MEDIA_MONITORING: "Social Media Monitoring",
    Category.RING_NEIGHBORS: "Ring/Neighbors Partnership",
    Category.THIRD_PARTY_PLATFORMS: "Third-party Investigative Platforms",
    Category.FORENSIC_EXTRACTION: "Cell Phone Forensic Extraction",
    Category.ELECTRONIC_MONITORING: "Electronic Monitoring",
    Category.SURVEILLANCE_CAMERAS: "Surveillance Cameras",
    Category.OTHER: "Other",
}
# The Atlas spells some types more than one way over the years; any of these is accepted.
ATLAS_TECHNOLOGY_ALIASES = {
    "video analytics/computer vision": Category.VIDEO_ANALYTICS,
    "cell-site simulators": Category.CELL_SITE_SIMULATOR,
    "drones/unmanned aerial vehicles": Category.DRONES,
}
CATEGORY_BY_ATLAS_NAME = {
    name.casefold(): category for category, name in ATLAS_TECHNOLOGY.items()
} | ATLAS_TECHNOLOGY_ALIASES


def atlas_date(day: datetime.date | None) -> str:
    """The Atlas writes dates as M/D/YYYY."""
    return f"{day.month}/{day.day}/{day.year}" if day else ""


def atlas_rows(absolute_url: AbsoluteUrl) -> Iterator[list]:
    inventory_page = absolute_url(reverse("accountability:inventory"))
    entries = inventory_entries().filter(status=InventoryEntry.Status.IN_USE)
    for entry in entries.iterator(chunk_size=500):
        cells = dict.fromkeys(ATLAS_HEADER, "")
        cells["Agency"] = entry.agency.name
        cells["Summary"] = entry.notes or f"{entry.agency.name} uses {entry.technology.name}."
        cells["Technology"] = ATLAS_TECHNOLOGY[entry.technology.category]
        cells["Vendor"] = entry.vendor.name if entry.vendor_id else ""
        cells["Link 1"] = inventory_page
        cells["Link 1 Source"] = settings.WAGTAIL_SITE_NAME
        cells["Link 1 Type"] = "Government record"
        cells["Link 1 Date"] = atlas_date(entry.in_use_since)
        yield [cells[name] for name in ATLAS_HEADER]


class AtlasFileError(ValueError):
    """The file as a whole cannot be read as an Atlas CSV."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    problem: str

    def __str__(self):
        return f"row {self.row}, column “{self.column}”, value “{self.value}”: {self.problem}"


@dataclass(frozen=True)
class AtlasRow:
    row: int
    agency: str
    technology_name: str
    category: str
    vendor: str
    summary: str
    in_use_since: datetime.date


def _parse_date(text: str) -> datetime.date:
    for layout in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError("is not a date; write it as M/D/YYYY (as the Atlas does) or YYYY-MM-DD")


def read_atlas_csv(
    lines, agency_column: str, today: datetime.date
) -> tuple[list[AtlasRow], list[RowError]]:
    """Every row of the file, checked; the rows are worth importing only if no error came back."""
    reader = csv.DictReader(lines)
    header = [name.strip().lstrip("\ufeff") for name in reader.fieldnames or []]
    if not header:
        raise AtlasFileError("the file is empty; it needs the Atlas header row and data rows")
    reader.fieldnames = header
    required = [agency_column, "Technology", "Vendor", "Summary", "Link 1 Date"]
    missing = [name for name in required if name not in header]
    if missing:
        raise AtlasFileError(
            f"the header has no column {', '.join(f'“{name}”' for name in missing)}; "
            f"an Atlas of Surveillance CSV starts with: {', '.join(ATLAS_HEADER)}"
        )
    rows, errors = [], []
    # Row 1 is the header, so the first data row is row 2, as a spreadsheet numbers it.
    for number, record in enumerate(reader, start=2):
        if None in record:
            errors.append(RowError(number, "(whole row)", "", "has more cells than the header"))
            continue
        cells = {name: (value or "").strip() for name, value in record.items()}
        row_errors = []
        agency = cells[agency_column]
        if not agency:
            row_errors.append(RowError(number, agency_column, "", "names no agency"))
        elif len(agency) > 200:
            row_errors.append(RowError(number, agency_column, agency[:40] + "…", "is too long"))
        technology = cells["Technology"]
        category = CATEGORY_BY_ATLAS_NAME.get(technology.casefold())
        if category is None:
            row_errors.append(
                RowError(
                    number,
                    "Technology",
                    technology,
                    "is not an Atlas technology type; use one of: "
                    + ", ".join(ATLAS_TECHNOLOGY.values()),
                )
            )
        if len(cells["Vendor"]) > 200:
            row_errors.append(RowError(number, "Vendor", cells["Vendor"][:40] + "…", "is too long"))
        in_use_since = None
        try:
            in_use_since = _parse_date(cells["Link 1 Date"])
        except ValueError as problem:
            row_errors.append(RowError(number, "Link 1 Date", cells["Link 1 Date"], str(problem)))
        if in_use_since and in_use_since > today:
            row_errors.append(
                RowError(number, "Link 1 Date", cells["Link 1 Date"], "is later than today")
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            AtlasRow(
                row=number,
                agency=agency,
                technology_name=ATLAS_TECHNOLOGY[category],
                category=category,
                vendor=cells["Vendor"],
                summary=cells["Summary"],
                in_use_since=in_use_since,
            )
        )
    return rows, errors


IMPORT_NOTE = (
    "Imported from the EFF Atlas of Surveillance, which records the day the use was reported, "
    "not when it was proposed or approved."
)


@dataclass
class ImportSummary:
    agencies_created: int = 0
    technologies_created: int = 0
    vendors_created: int = 0
    entries_created: int = 0
    entries_already_present: int = 0

    def __str__(self):
        return (
            f"{self.entries_created} inventory entries created, "
            f"{self.entries_already_present} already on the inventory; "
            f"{self.agencies_created} agencies, {self.technologies_created} technologies and "
            f"{self.vendors_created} vendors created"
        )


def _unique_slug(model, name: str, fallback: str) -> str:
    base = slugify(name)[:70] or fallback
    slug, number = base, 1
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _named(model, name: str, summary: ImportSummary, counter: str, **defaults):
    found = model.objects.filter(name__iexact=name).first()
    if found:
        return found
    setattr(summary, counter, getattr(summary, counter) + 1)
    return model.objects.create(
        name=name, slug=_unique_slug(model, name, model._meta.model_name), **defaults
    )


def import_atlas_rows(rows: list[AtlasRow], actor, today: datetime.date, progress) -> ImportSummary:
    """Put every row on the inventory through the lifecycle, skipping entries already there.

    The caller runs this in one transaction, so a failure leaves nothing behind.
    """
    summary = ImportSummary()
    for index, row in enumerate(rows, start=1):
        agency = _named(Agency, row.agency, summary, "agencies_created")
        technology = _named(
            Technology, row.technology_name, summary, "technologies_created", category=row.category
        )
        vendor = _named(Vendor, row.vendor, summary, "vendors_created") if row.vendor else None
        if InventoryEntry.objects.filter(
            agency=agency, technology=technology, vendor=vendor
        ).exists():
            summary.entries_already_present += 1
        else:
            lifecycle_args = {"actor": actor, "actor_role": OVERSIGHT_STAFF_GROUP, "today": today}
            try:
                entry = propose(
                    agency=agency,
                    technology=technology,
                    vendor=vendor,
                    proposed_on=row.in_use_since,
                    planned_acquisition_on=None,
                    notes=row.summary,
                    note=IMPORT_NOTE,
                    **lifecycle_args,
                )
                for step in (InventoryEvent.Action.APPROVED, InventoryEvent.Action.PUT_IN_USE):
                    entry = take_step(
                        entry, step, row.in_use_since, note=IMPORT_NOTE, **lifecycle_args
                    )
            except ValidationError as refusal:
                raise AtlasFileError(f"row {row.row}: {' '.join(refusal.messages)}") from None
            summary.entries_created += 1
        progress(index, len(rows))
    return summary
