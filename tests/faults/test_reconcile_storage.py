"""manage.py reconcile_storage: deletes document objects no row refers to, and only those.

On the file system storage, whose files can be aged at will; the S3 listing and its
unfinished multipart uploads are exercised in test_faults.py against SeaweedFS.
"""

import io
import os
import time
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from content.documents.storing import store_document
from tests.conftest import make_pdf
from tests.factories import FilingFactory

HOUR = 60 * 60


def put(local_storage, key: str, age_seconds: int) -> str:
    path = local_storage.root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 left behind")
    modified = time.time() - age_seconds
    os.utime(path, (modified, modified))
    return key


@pytest.fixture
def stored(local_storage, agency_a):
    """One document with its row, and every kind of object the reconciler must judge."""
    filing = FilingFactory(agency=agency_a, kind="audit")
    document = store_document(filing, "audit.pdf", make_pdf(["Audit"]))
    put(local_storage, document.file.name, 2 * HOUR)
    return {
        "referenced": document.file.name,
        "old orphan": put(local_storage, f"documents/{uuid.uuid4()}.pdf", 2 * HOUR),
        "new orphan": put(local_storage, f"documents/{uuid.uuid4()}.pdf", 60),
        "editorial": put(local_storage, "documents/council-briefing.pdf", 2 * HOUR),
        "old incoming": put(local_storage, f"incoming/{uuid.uuid4()}/scan.pdf", 2 * HOUR),
        # Younger than a presigned form's lifetime (15 minutes): its upload may still be used.
        "live incoming": put(local_storage, f"incoming/{uuid.uuid4()}/scan.pdf", 10 * 60),
        "elsewhere": put(local_storage, f"original_images/{uuid.uuid4()}.pdf", 2 * HOUR),
    }


def reconcile(*arguments) -> str:
    output = io.StringIO()
    call_command("reconcile_storage", *arguments, stdout=output)
    return output.getvalue()


@pytest.mark.django_db
def test_a_dry_run_names_the_orphans_and_deletes_nothing(local_storage, stored):
    before = local_storage.object_keys()
    report = reconcile("--dry-run")
    assert local_storage.object_keys() == before
    assert (
        "Checked 6 objects: 1 referenced by a row, 1 not document files, 2 too recent to "
        "judge, 2 orphans (40 bytes); 0 unfinished uploads."
    ) in report
    assert f"orphan: {stored['old orphan']}" in report
    assert f"orphan: {stored['old incoming']}" in report


@pytest.mark.django_db
def test_only_old_unreferenced_document_objects_and_old_incoming_uploads_go(local_storage, stored):
    report = reconcile()
    assert "Deleted 2 orphan objects" in report
    assert local_storage.object_keys() == {
        stored[kind]
        for kind in ("referenced", "new orphan", "editorial", "live incoming", "elsewhere")
    }


@pytest.mark.django_db
def test_without_a_grace_period_incoming_uploads_still_keep_their_form_lifetime(
    local_storage, stored
):
    reconcile("--grace-minutes", "0")
    assert local_storage.object_keys() == {
        stored[kind] for kind in ("referenced", "editorial", "live incoming", "elsewhere")
    }


@pytest.mark.django_db
def test_matching_storage_says_so(local_storage):
    assert "Storage matches the database." in reconcile()


@pytest.mark.django_db
def test_a_negative_grace_period_is_refused(local_storage):
    with pytest.raises(CommandError, match="cannot be negative"):
        reconcile("--grace-minutes", "-1")
