import datetime

import pytest

from content.compliance.models import DeadlineExtension
from content.compliance.obligations import State, obligations_for_agency
from content.filings.models import Status
from content.inventory.models import InventoryEntry
from tests.factories import FilingFactory, InventoryEntryFactory, TechnologyFactory

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def alpr(db):
    return TechnologyFactory(name="Automated license plate readers", slug="alpr")


def annual(obligations, year):
    [match] = [
        o for o in obligations if o.kind.slug == "annual_report" and o.reporting_year == year
    ]
    return match


@pytest.mark.django_db
def test_a_technology_in_use_owes_an_annual_report_each_year_due_march_15(agency_a, alpr):
    InventoryEntryFactory(agency=agency_a, technology=alpr, in_use_since=datetime.date(2024, 6, 1))
    obligations = obligations_for_agency(agency_a, TODAY)
    years = sorted(o.reporting_year for o in obligations if o.kind.slug == "annual_report")
    assert years == [2024, 2025]
    report = annual(obligations, 2025)
    assert report.due_on == datetime.date(2026, 3, 15)
    assert report.state == State.OVERDUE
    assert report.days_overdue == (TODAY - datetime.date(2026, 3, 15)).days
    assert report.label == (
        "Annual surveillance report for automated license plate readers, 2025, due March 15, 2026"
    )


@pytest.mark.django_db
def test_a_filed_report_meets_its_obligation_and_a_draft_does_not(agency_a, alpr):
    InventoryEntryFactory(agency=agency_a, technology=alpr, in_use_since=datetime.date(2024, 1, 1))
    filed = FilingFactory(
        kind="annual_report",
        agency=agency_a,
        technologies=[alpr],
        reporting_period_start=datetime.date(2024, 1, 1),
        reporting_period_end=datetime.date(2024, 12, 31),
    )
    filed.transition_to(Status.SUBMITTED)
    FilingFactory(
        kind="annual_report",
        agency=agency_a,
        technologies=[alpr],
        reporting_period_start=datetime.date(2025, 1, 1),
        reporting_period_end=datetime.date(2025, 12, 31),
    )
    obligations = obligations_for_agency(agency_a, TODAY)
    assert annual(obligations, 2024).state == State.FILED_LATE  # filed in 2026, due March 2025
    assert annual(obligations, 2024).filing == filed
    assert annual(obligations, 2025).state == State.OVERDUE


@pytest.mark.django_db
def test_a_granted_extension_moves_the_deadline(agency_a, alpr, reviewer):
    InventoryEntryFactory(agency=agency_a, technology=alpr, in_use_since=datetime.date(2025, 1, 1))
    DeadlineExtension.objects.create(
        agency=agency_a,
        technology=alpr,
        kind="annual_report",
        reporting_year=2025,
        days=60,
        reason="Vendor data export delayed",
        granted_by=reviewer,
    )
    report = annual(obligations_for_agency(agency_a, datetime.date(2026, 4, 1)), 2025)
    assert report.extended_due_on == datetime.date(2026, 5, 14)
    assert report.state == State.UPCOMING


@pytest.mark.django_db
def test_the_rulebook_limits_extensions_to_one_of_60_days(agency_a, alpr, reviewer):
    from django.core.exceptions import ValidationError

    too_long = DeadlineExtension(
        agency=agency_a,
        technology=alpr,
        kind="annual_report",
        reporting_year=2025,
        days=90,
        reason="x",
        granted_by=reviewer,
    )
    with pytest.raises(ValidationError, match="at most 60 days"):
        too_long.full_clean()
    too_long.days = 60
    too_long.save()
    second = DeadlineExtension(
        agency=agency_a,
        technology=alpr,
        kind="annual_report",
        reporting_year=2025,
        days=10,
        reason="again",
        granted_by=reviewer,
    )
    with pytest.raises(ValidationError, match="allows 1 extension"):
        second.full_clean()


@pytest.mark.django_db
def test_a_proposed_technology_owes_policy_and_impact_report_before_acquisition(agency_a, alpr):
    InventoryEntryFactory(
        agency=agency_a,
        technology=alpr,
        status=InventoryEntry.Status.PROPOSED,
        in_use_since=None,
        planned_acquisition_on=datetime.date(2027, 2, 1),
    )
    obligations = obligations_for_agency(agency_a, TODAY)
    assert {(o.kind.slug, o.due_on, o.state) for o in obligations} == {
        ("use_policy", datetime.date(2027, 2, 1), State.UPCOMING),
        ("impact_report", datetime.date(2027, 2, 1), State.UPCOMING),
    }


@pytest.mark.django_db
def test_one_technology_from_two_vendors_owes_one_report_a_year(agency_a, alpr):
    InventoryEntryFactory(agency=agency_a, technology=alpr, in_use_since=datetime.date(2025, 1, 1))
    InventoryEntryFactory(agency=agency_a, technology=alpr, in_use_since=datetime.date(2025, 1, 1))
    reports = [o for o in obligations_for_agency(agency_a, TODAY) if o.kind.slug == "annual_report"]
    assert len(reports) == 1


@pytest.mark.django_db
def test_another_agencys_filing_does_not_meet_this_agencys_obligation(agency_a, agency_b, alpr):
    InventoryEntryFactory(agency=agency_a, technology=alpr, in_use_since=datetime.date(2025, 1, 1))
    theirs = FilingFactory(
        kind="annual_report",
        agency=agency_b,
        technologies=[alpr],
        reporting_period_end=datetime.date(2025, 12, 31),
    )
    theirs.transition_to(Status.SUBMITTED)
    assert annual(obligations_for_agency(agency_a, TODAY), 2025).state == State.OVERDUE


@pytest.mark.django_db
def test_retired_technology_owes_reports_only_up_to_its_retirement(agency_a, alpr):
    InventoryEntryFactory(
        agency=agency_a,
        technology=alpr,
        status=InventoryEntry.Status.RETIRED,
        in_use_since=datetime.date(2022, 1, 1),
        retired_on=datetime.date(2024, 6, 30),
    )
    obligations = obligations_for_agency(agency_a, TODAY)
    years = sorted(o.reporting_year for o in obligations if o.kind.slug == "annual_report")
    assert years == [2023, 2024]


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_inventory(
    agency_a, django_assert_max_num_queries
):
    for _ in range(30):
        technology = TechnologyFactory()
        InventoryEntryFactory(agency=agency_a, technology=technology)
        FilingFactory(kind="annual_report", agency=agency_a, technologies=[technology])
    with django_assert_max_num_queries(4):
        obligations = obligations_for_agency(agency_a, TODAY)
    assert len(obligations) == 30 * 3 + 30 * 2
