import pytest

from content.documents.storing import store_document
from content.filings.models import FilingVersion, FrozenVersionError
from content.filings.versions import freeze_version
from tests.conftest import make_pdf
from tests.factories import ContractDetailsFactory, TechnologyFactory


@pytest.fixture
def contract_filing(agency_a):
    contract = ContractDetailsFactory(
        filing__agency=agency_a,
        filing__title="ALPR camera lease",
        filing__details={"scope": "Forty fixed cameras."},
        amount="250000.50",
    )
    contract.filing.technologies.set([TechnologyFactory(slug="alpr")])
    return contract.filing


@pytest.mark.django_db
def test_a_version_freezes_metadata_and_every_documents_sha256(contract_filing, submitter_a):
    pdf = make_pdf(["Signed lease"])
    document = store_document(contract_filing, "lease.pdf", pdf)
    version = freeze_version(contract_filing, FilingVersion.Reason.SUBMITTED, by=submitter_a)

    stored = FilingVersion.objects.get(pk=version.pk)
    assert stored.number == 1
    assert stored.metadata["title"] == "ALPR camera lease"
    assert stored.metadata["technologies"] == ["alpr"]
    assert stored.metadata["contract"]["amount"] == "250000.50"
    assert stored.metadata["contract"]["period_start"] == "2026-01-01"
    assert stored.documents == [
        {
            "id": document.pk,
            "original_name": "lease.pdf",
            "sha256": document.sha256,
            "size_bytes": len(pdf),
        }
    ]


@pytest.mark.django_db
def test_later_versions_keep_the_earlier_ones_and_point_at_them(contract_filing):
    first = freeze_version(contract_filing, FilingVersion.Reason.SUBMITTED)
    contract_filing.title = "ALPR camera lease (amended)"
    contract_filing.save()
    second = freeze_version(contract_filing, FilingVersion.Reason.AMENDED)
    assert second.number == 2
    assert second.supersedes == first
    assert FilingVersion.objects.get(pk=first.pk).metadata["title"] == "ALPR camera lease"


@pytest.mark.django_db
def test_a_frozen_version_cannot_be_edited_or_deleted(contract_filing):
    version = freeze_version(contract_filing, FilingVersion.Reason.PUBLISHED)
    version.metadata["title"] = "Quietly changed"
    with pytest.raises(FrozenVersionError, match="frozen"):
        version.save()
    with pytest.raises(FrozenVersionError, match="cannot be deleted"):
        version.delete()
    assert FilingVersion.objects.get(pk=version.pk).metadata["title"] == "ALPR camera lease"
