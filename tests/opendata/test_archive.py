"""The whole published record as one zip: exactly the published material, hashes that verify."""

import csv
import hashlib
import io
import json
import zipfile

from django.urls import reverse

from content.filings.visibility import public_documents
from opendata.datasets import DATASETS
from publication.models import PublicationLogEntry
from tests.opendata.conftest import SECRET, add_record


def download_archive(client) -> zipfile.ZipFile:
    response = client.get(reverse("opendata:archive"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="published-record-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_archive_holds_the_metadata_every_public_document_and_the_log(client, record):
    archive = download_archive(client)

    documents = public_documents().order_by("pk")
    expected = {
        "README.txt",
        "SHA256SUMS",
        "publication-log.json",
        "metadata/inventory.atlas.csv",
        "metadata/contracts.ocds.json",
        *(f"metadata/{dataset.slug}.csv" for dataset in DATASETS),
        *(f"documents/{document.pk}/{document.original_name}" for document in documents),
    }
    assert set(archive.namelist()) == expected
    for document in documents:
        stored = archive.read(f"documents/{document.pk}/{document.original_name}")
        assert hashlib.sha256(stored).hexdigest() == document.sha256


def test_every_checksum_in_sha256sums_verifies(client, record):
    archive = download_archive(client)

    lines = archive.read("SHA256SUMS").decode().splitlines()
    sums = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(sums) == set(archive.namelist()) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest


def test_nothing_unpublished_is_in_the_archive(client, record):
    archive = download_archive(client)

    for name in archive.namelist():
        assert SECRET not in name
        assert SECRET.encode() not in archive.read(name), name


def test_the_log_in_the_archive_is_the_whole_chain(client, record):
    archive = download_archive(client)

    entries = json.loads(archive.read("publication-log.json"))["entries"]
    stored = PublicationLogEntry.objects.order_by("sequence")
    assert [entry["entry_hash"] for entry in entries] == [e.entry_hash for e in stored]
    assert len(entries) == 2


def test_the_documents_list_in_the_archive_matches_the_download(client, record):
    archive = download_archive(client)

    rows = list(csv.DictReader(io.StringIO(archive.read("metadata/documents.csv").decode())))
    assert {row["sha256"] for row in rows} == set(
        public_documents().values_list("sha256", flat=True)
    )


def test_an_archive_of_a_record_without_contracts_leaves_out_only_the_ocds_package(client, db):
    archive = download_archive(client)

    assert "metadata/contracts.ocds.json" not in archive.namelist()
    assert "metadata/contracts.csv" in archive.namelist()


def test_the_archive_runs_a_bounded_number_of_queries(
    client, reviewer, django_assert_max_num_queries
):
    for size in (1, 4):
        add_record(reviewer, size)
        with django_assert_max_num_queries(20):
            download_archive(client)


def test_a_file_name_that_could_escape_the_folder_is_made_safe(client, record):
    document = public_documents().get(filing=record["audit"])
    document.original_name = "../../etc/passwd"
    document.save(update_fields=["original_name"])

    names = download_archive(client).namelist()

    assert f"documents/{document.pk}/....etcpasswd" in names
    assert all(".." not in name.split("/") for name in names)
