"""Published contracts as an OCDS 1.1 release package, checked against the official schema."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse
from referencing import Registry, Resource

from publication.services import amend
from tests.opendata.conftest import SECRET, add_record

VENDOR = Path(__file__).parent / "vendor"
PACKAGE_SCHEMA = json.loads((VENDOR / "release-package-schema-1.1.5.json").read_text())
RELEASE_SCHEMA = json.loads((VENDOR / "release-schema-1.1.4.json").read_text())
# The package schema names the release schema by its published address; answer it offline.
RELEASE_SCHEMA_URL = PACKAGE_SCHEMA["properties"]["releases"]["items"]["$ref"]


def validate_package(package: dict) -> None:
    registry = Registry().with_resource(RELEASE_SCHEMA_URL, Resource.from_contents(RELEASE_SCHEMA))
    validator = jsonschema.Draft4Validator(
        PACKAGE_SCHEMA, registry=registry, format_checker=jsonschema.FormatChecker()
    )
    validator.validate(package)


def test_the_package_validates_against_the_official_release_package_schema(client, record):
    package = client.get(reverse("opendata:ocds")).json()

    validate_package(package)
    assert package["version"] == "1.1"
    assert len(package["releases"]) == 1


def _without_ocid(release):
    del release["ocid"]


def _with_a_bare_day(release):
    release["date"] = "2026-01-01"


@pytest.mark.parametrize(
    ("breakage", "complaint"), [(_without_ocid, "ocid"), (_with_a_bare_day, "date-time")]
)
def test_the_schema_check_catches_a_broken_release(client, record, breakage, complaint):
    package = client.get(reverse("opendata:ocds")).json()
    breakage(package["releases"][0])

    with pytest.raises(jsonschema.ValidationError, match=complaint):
        validate_package(package)


def test_with_no_published_contract_there_is_no_package_and_a_reason(client, db):
    response = client.get(reverse("opendata:ocds"))

    assert response.status_code == 404
    assert "No contract has been published yet" in response.json()["error"]


def test_an_amended_contract_is_a_new_release_of_the_same_contracting_process(
    client, record, reviewer
):
    before = client.get(reverse("opendata:ocds")).json()["releases"][0]
    amend(record["contract"], reviewer, {"title": "Plate reader contract, renewed"}, "Renewal")

    after = client.get(reverse("opendata:ocds")).json()["releases"][0]

    assert after["ocid"] == before["ocid"]
    assert after["id"] != before["id"]
    assert after["contracts"][0]["title"] == "Plate reader contract, renewed"


def test_a_release_names_buyer_supplier_value_period_and_documents(client, record):
    contract = record["contract"]
    release = client.get(reverse("opendata:ocds")).json()["releases"][0]

    assert release["ocid"] == f"ocds-xxxxxx-filing-{contract.pk}"
    assert release["tag"] == ["contract"]
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles == {
        "Police Department": ["buyer", "procuringEntity"],
        "Plate Readers Inc.": ["supplier"],
    }
    assert release["buyer"]["name"] == "Police Department"
    assert release["awards"][0]["suppliers"][0]["name"] == "Plate Readers Inc."
    awarded = release["contracts"][0]
    assert awarded["value"] == {"amount": 125000.5, "currency": "USD"}
    assert awarded["period"]["startDate"].startswith("2026-01-01")
    assert awarded["period"]["endDate"].startswith("2027-12-31")
    (document,) = awarded["documents"]
    assert document["title"] == "contract-1.csv"
    assert client.get(document["url"]).status_code == 200


def test_the_ocid_prefix_is_a_setting(client, record, settings):
    settings.OCDS_PREFIX = "ocds-abc123"

    release = client.get(reverse("opendata:ocds")).json()["releases"][0]

    assert release["ocid"] == f"ocds-abc123-filing-{record['contract'].pk}"


def test_unpublished_contracts_are_not_released(client, record):
    response = client.get(reverse("opendata:ocds"))

    assert SECRET not in response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="contracts.ocds.json"'


def test_the_package_runs_a_fixed_number_of_queries(
    client, reviewer, django_assert_max_num_queries
):
    for size in (1, 4):
        add_record(reviewer, size)
        with django_assert_max_num_queries(4):
            package = client.get(reverse("opendata:ocds")).json()
        validate_package(package)
