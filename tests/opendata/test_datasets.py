"""The /data/ page and every list as CSV and JSON: documented, published-only, bounded."""

import csv
import hashlib
import io

import pytest
from django.urls import reverse

from opendata.datasets import DATASETS
from tests.opendata.conftest import SECRET, add_record

SLUGS = [dataset.slug for dataset in DATASETS]


def streamed_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client, slug) -> list[dict]:
    response = client.get(reverse("opendata:csv", args=[slug]))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(streamed_text(response))))


def test_data_page_documents_every_column_and_links_every_download(client, db):
    response = client.get(reverse("opendata:index"))

    page = response.content.decode()
    assert response.status_code == 200
    for dataset in DATASETS:
        assert reverse("opendata:csv", args=[dataset.slug]) in page
        assert reverse("opendata:json", args=[dataset.slug]) in page
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
    for name in ("opendata:ocds", "opendata:inventory_atlas", "opendata:archive"):
        assert reverse(name) in page
    assert "apostrophe" in page


@pytest.mark.parametrize("slug", SLUGS)
def test_csv_is_a_utf8_attachment_whose_header_matches_the_documented_columns(client, db, slug):
    response = client.get(reverse("opendata:csv", args=[slug]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.csv"'
    header = next(csv.reader(io.StringIO(streamed_text(response))))
    assert header == next(d for d in DATASETS if d.slug == slug).header


@pytest.mark.parametrize("slug", SLUGS)
def test_no_list_shows_anything_unpublished(client, record, slug):
    csv_response = client.get(reverse("opendata:csv", args=[slug]))
    json_response = client.get(reverse("opendata:json", args=[slug]))

    assert SECRET not in streamed_text(csv_response)
    assert SECRET not in json_response.content.decode()


def test_filings_list_every_published_filing_with_its_page(client, record):
    rows = csv_rows(client, "filings")

    assert sorted(int(row["id"]) for row in rows) == sorted(
        [record["contract"].pk, record["audit"].pk]
    )
    contract_row = next(row for row in rows if int(row["id"]) == record["contract"].pk)
    assert contract_row["technologies"] == "Fixed ALPR cameras"
    assert contract_row["public_page_url"].endswith(f"/filings/{record['contract'].pk}/")


def test_cells_a_spreadsheet_would_run_get_an_apostrophe(client, record):
    filing_titles = {row["title"] for row in csv_rows(client, "filings")}
    inventory_notes = {row["notes"] for row in csv_rows(client, "inventory")}

    assert "'=Plate reader contract 1" in filing_titles
    assert "'@SUM(1)" in inventory_notes


def test_contracts_list_the_money_of_published_contracts(client, record):
    rows = csv_rows(client, "contracts")

    assert len(rows) == 1
    assert rows[0]["vendor"] == "Plate Readers Inc."
    assert (rows[0]["amount"], rows[0]["currency"]) == ("125000.50", "USD")
    assert rows[0]["funding_source"] == "General Fund"


def test_json_documents_give_the_hash_of_what_the_download_link_serves(client, record):
    rows = client.get(reverse("opendata:json", args=["documents"])).json()["rows"]

    assert len(rows) == 2
    for row in rows:
        download = client.get(row["download_url"])
        assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == row["sha256"]


def test_json_carries_the_column_documentation(client, db):
    body = client.get(reverse("opendata:json", args=["vendors"])).json()

    assert [column["name"] for column in body["columns"]] == ["id", "name", "slug", "website"]
    assert body["rows"] == []


def test_a_query_string_is_refused_with_a_reason(client, db):
    response = client.get(reverse("opendata:csv", args=["agencies"]), {"agency": "police"})

    assert response.status_code == 400
    assert "take no options" in response.content.decode()


def test_an_unknown_list_is_not_found(client, db):
    assert client.get("/data/people.csv").status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_each_list_runs_a_fixed_number_of_queries(
    client, reviewer, django_assert_max_num_queries, slug
):
    for size in (1, 4):
        add_record(reviewer, size)
        with django_assert_max_num_queries(4):
            b"".join(client.get(reverse("opendata:csv", args=[slug])).streaming_content)
        with django_assert_max_num_queries(4):
            client.get(reverse("opendata:json", args=[slug]))
