import pytest

from content.documents.storing import store_document
from content.filings.completeness import check_filing
from tests.conftest import make_pdf
from tests.factories import ContractDetailsFactory, FilingFactory, TechnologyFactory

COMPLETE_ANNUAL_REPORT = {
    "usage_summary": "Readers captured 1.2 million plate reads.",
    "data_sharing": "None outside the department.",
    "deployment_locations": "Fixed cameras at 14 intersections.",
    "complaints": 3,
    "audits_and_violations": "One audit, no violations.",
    "data_breaches": "None",
    "effectiveness": "41 stolen vehicles recovered.",
    "total_annual_cost": "184500.00",
    "records_requests": 7,
}


@pytest.fixture
def annual_report(agency_a):
    filing = FilingFactory(
        kind="annual_report",
        agency=agency_a,
        title="ALPR annual report 2025",
        technologies=[TechnologyFactory()],
        reporting_period_start="2025-01-01",
        reporting_period_end="2025-12-31",
        details=dict(COMPLETE_ANNUAL_REPORT),
    )
    store_document(filing, "report.pdf", make_pdf(["Annual report", "Tables"]))
    return filing


@pytest.mark.django_db
def test_a_complete_annual_report_has_no_problems(annual_report):
    assert check_filing(annual_report) == []


@pytest.mark.django_db
def test_an_empty_filing_lists_every_missing_item_by_name(agency_a):
    filing = FilingFactory(kind="annual_report", agency=agency_a, title=" ")
    names = [problem.name for problem in check_filing(filing)]
    assert names == [
        "title",
        "technologies",
        "reporting_period_start",
        "reporting_period_end",
        "usage_summary",
        "data_sharing",
        "deployment_locations",
        "complaints",
        "audits_and_violations",
        "data_breaches",
        "effectiveness",
        "total_annual_cost",
        "records_requests",
        "documents",
    ]
    labels = {str(problem) for problem in check_filing(filing)}
    assert "Data breaches: required" in labels
    assert "Documents: at least 1 required, 0 attached" in labels


@pytest.mark.django_db
def test_values_of_the_wrong_type_are_named_with_what_is_expected(annual_report):
    annual_report.details |= {"complaints": "several", "total_annual_cost": "-5", "extra": "x"}
    problems = {problem.name: problem.message for problem in check_filing(annual_report)}
    assert problems == {
        "complaints": "must be a whole number",
        "total_annual_cost": "must be a non-negative amount",
        "extra": "is not a field of annual surveillance report filings",
    }


@pytest.mark.django_db
def test_a_choice_outside_the_rulebook_list_is_refused(agency_a):
    filing = FilingFactory(
        kind="commission_recommendation",
        agency=agency_a,
        technologies=[TechnologyFactory()],
        details={"recommendation": "maybe", "meeting_date": "2026-13-01", "rationale": "x"},
    )
    problems = {problem.name: problem.message for problem in check_filing(filing)}
    assert problems == {
        "recommendation": "must be one of approve, approve_with_changes, reject",
        "meeting_date": "must be a date (YYYY-MM-DD)",
    }


@pytest.mark.django_db
def test_a_contract_without_its_money_details_lists_each_one(agency_a):
    filing = FilingFactory(
        kind="contract", agency=agency_a, technologies=[TechnologyFactory()], details={"scope": "x"}
    )
    names = [problem.name for problem in check_filing(filing)]
    assert names == [
        "contract.vendor",
        "contract.amount",
        "contract.currency",
        "contract.period_start",
        "contract.period_end",
        "contract.funding_source",
        "contract.award_date",
        "documents",
    ]


@pytest.mark.django_db
def test_a_contract_with_its_details_and_signed_document_is_complete(agency_a):
    contract = ContractDetailsFactory(
        filing__agency=agency_a, filing__details={"scope": "Cameras and cloud storage."}
    )
    contract.filing.technologies.set([TechnologyFactory()])
    store_document(contract.filing, "signed.pdf", make_pdf(["Signed agreement"]))
    assert check_filing(contract.filing) == []
