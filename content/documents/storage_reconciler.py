"""Find and delete what storage holds that no Document row refers to.

Ingestion writes the object first and the row second, and deletes the object when the
row fails; but when storage itself fails at that moment (a bucket server killed mid-way),
the clean-up cannot reach it and an object may stay behind, as may an unfinished S3
multipart upload. Direct uploads leave objects under incoming/ that the portal deletes
once it has taken them in, unless the browser never came back.

Only two kinds of key are ever deleted: a Document's own key shape (documents/<uuid>
with one of its extensions) that no row names, and incoming/ objects. Anything younger
than the grace period is left alone, because its row may not be committed yet; incoming/
objects are left alone besides for as long as their presigned form may still be used.
Wagtail's editorial documents share the documents/ prefix under their own file names,
so their names are never candidates.
"""

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.files.storage import Storage
from django.utils import timezone
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model

from content.documents.models import MEDIA_TYPE_EXTENSIONS, Document
from submissions.direct_upload import EXPIRY_SECONDS

DOCUMENTS_PREFIX = "documents/"
INCOMING_PREFIX = "incoming/"
DEFAULT_GRACE = datetime.timedelta(hours=1)
DOCUMENT_KEY = re.compile(
    r"documents/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?:"
    + "|".join(re.escape(extension) for extension in MEDIA_TYPE_EXTENSIONS.values())
    + ")?"
)


@dataclass(frozen=True)
class StoredObject:
    name: str
    size: int
    modified: datetime.datetime


@dataclass(frozen=True)
class UnfinishedUpload:
    key: str
    upload_id: str


@dataclass
class StorageReport:
    checked: int = 0
    referenced: int = 0
    not_documents: int = 0
    too_recent: int = 0
    orphans: list[StoredObject] = field(default_factory=list)
    unfinished_uploads: list[UnfinishedUpload] = field(default_factory=list)

    @property
    def orphan_bytes(self) -> int:
        return sum(orphan.size for orphan in self.orphans)


def list_stored(storage: Storage) -> list[StoredObject]:
    """Every object under the prefixes the reconciler looks after."""
    return [
        stored
        for prefix in (DOCUMENTS_PREFIX, INCOMING_PREFIX)
        for stored in stored_objects(storage, prefix)
    ]


def stored_objects(storage: Storage, prefix: str) -> Iterator[StoredObject]:
    """Every object under prefix; on S3 from the bucket listing (no request per object)."""
    if isinstance(storage, S3Storage):
        for summary in storage.bucket.objects.filter(Prefix=prefix):
            yield StoredObject(summary.key, summary.size, summary.last_modified)
        return
    yield from walk(storage, prefix.rstrip("/"))


def walk(storage: Storage, directory: str) -> Iterator[StoredObject]:
    if not storage.exists(directory):
        return
    directories, files = storage.listdir(directory)
    for name in files:
        path = f"{directory}/{name}"
        yield StoredObject(path, storage.size(path), storage.get_modified_time(path))
    for name in directories:
        yield from walk(storage, f"{directory}/{name}")


def referenced_names() -> set[str]:
    names = set(Document.objects.values_list("file", flat=True))
    names.update(get_document_model().objects.values_list("file", flat=True))
    return names


def deletable_key(name: str) -> bool:
    return name.startswith(INCOMING_PREFIX) or DOCUMENT_KEY.fullmatch(name) is not None


def find_orphans(
    storage: Storage,
    listed: list[StoredObject],
    grace: datetime.timedelta = DEFAULT_GRACE,
    progress: Callable[[int], None] | None = None,
) -> StorageReport:
    """Sort what list_stored found. Call it after the listing: a row committed while the
    listing ran then counts, and an object written meanwhile is too recent to touch."""
    now = timezone.now()
    incoming_grace = max(grace, datetime.timedelta(seconds=EXPIRY_SECONDS))
    referenced = referenced_names()
    report = StorageReport()
    for stored in listed:
        report.checked += 1
        if progress:
            progress(report.checked)
        if stored.name in referenced:
            report.referenced += 1
        elif not deletable_key(stored.name):
            report.not_documents += 1
        elif now - stored.modified < (
            incoming_grace if stored.name.startswith(INCOMING_PREFIX) else grace
        ):
            report.too_recent += 1
        else:
            report.orphans.append(stored)
    if isinstance(storage, S3Storage):
        report.unfinished_uploads = unfinished_uploads(storage, now - grace)
    return report


def unfinished_uploads(
    storage: S3Storage, started_before: datetime.datetime
) -> list[UnfinishedUpload]:
    """Multipart uploads of document keys begun before the cut-off and never completed:
    invisible in listings, but the bucket keeps (and bills) their parts."""
    client = storage.connection.meta.client
    return [
        UnfinishedUpload(upload["Key"], upload["UploadId"])
        for page in client.get_paginator("list_multipart_uploads").paginate(
            Bucket=storage.bucket_name, Prefix=DOCUMENTS_PREFIX
        )
        for upload in page.get("Uploads", [])
        if upload["Initiated"] < started_before
    ]


def delete_orphans(
    storage: Storage, report: StorageReport, progress: Callable[[int], None] | None = None
) -> int:
    """Delete what find_orphans found; return how many objects and uploads went."""
    done = 0
    for orphan in report.orphans:
        storage.delete(orphan.name)
        done += 1
        if progress:
            progress(done)
    for upload in report.unfinished_uploads:
        storage.connection.meta.client.abort_multipart_upload(
            Bucket=storage.bucket_name, Key=upload.key, UploadId=upload.upload_id
        )
        done += 1
        if progress:
            progress(done)
    return done
