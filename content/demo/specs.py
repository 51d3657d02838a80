"""The shapes of the demo jurisdiction's data: plain values, no database."""

import datetime
from dataclasses import dataclass, field

from content.agencies.models import Membership
from content.rulebook.rules import Rulebook


@dataclass(frozen=True)
class Calendar:
    """The load's "today" and the latest year whose annual report is already due.

    Every date in the story is placed relative to these, so the same deadlines are
    met, late or overdue whatever day the demo is loaded.
    """

    today: datetime.date
    latest_reported_year: int
    annual_due_month: int
    annual_due_day: int

    @classmethod
    def for_today(cls, today: datetime.date, rulebook: Rulebook) -> "Calendar":
        annual = next(
            (
                rule
                for rule in rulebook.deadline_rules_for("annual_report")
                if rule.rule == "annual"
            ),
            None,
        )
        if annual is None:
            raise ValueError("the rulebook sets no annual deadline for annual_report filings")
        due_this_year = datetime.date(today.year, annual.due_month, annual.due_day)
        return cls(
            today=today,
            latest_reported_year=today.year - 1 if due_this_year < today else today.year - 2,
            annual_due_month=annual.due_month,
            annual_due_day=annual.due_day,
        )

    def annual_report_due(self, year: int) -> datetime.date:
        return datetime.date(year + 1, self.annual_due_month, self.annual_due_day)


@dataclass(frozen=True)
class When:
    """A day in the story: a month and day in a year counted from the latest
    reported year, or a number of days from today."""

    year_offset: int | None = None
    month: int = 1
    day: int = 1
    days_from_today: int = 0

    def resolve(self, calendar: Calendar) -> datetime.date:
        if self.year_offset is None:
            return calendar.today + datetime.timedelta(days=self.days_from_today)
        return datetime.date(calendar.latest_reported_year + self.year_offset, self.month, self.day)


def in_year(offset: int, month: int, day: int) -> When:
    """A day in the latest reported year plus `offset` (0 is that year, -1 the one before)."""
    return When(year_offset=offset, month=month, day=day)


def days_ago(days: int) -> When:
    return When(days_from_today=-days)


def days_ahead(days: int) -> When:
    return When(days_from_today=days)


@dataclass(frozen=True)
class AgencySpec:
    slug: str
    name: str
    abbreviation: str
    website: str
    contact_email: str
    description: str
    head: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class VendorSpec:
    slug: str
    name: str
    website: str
    description: str


@dataclass(frozen=True)
class TechnologySpec:
    """A technology and the facts every filing about it draws on.

    Prose may name {agency}, {abbr}, {vendor} and {city}; the filing fills them in.
    """

    slug: str
    name: str
    category: str
    description: str
    how_it_works: str
    data_collected: str
    retention: str
    access: str
    sharing: tuple[str, ...]
    vendor_access: str
    safeguards: str
    disparate_impact: str
    training: str
    authorized_uses: tuple[str, ...]
    prohibited_uses: tuple[str, ...]
    usage_unit: str
    monthly_usage: tuple[int, int]
    effectiveness: str
    outcome_share: float
    secondary_share: float
    annual_cost: int


@dataclass(frozen=True)
class InventorySpec:
    """One agency's use of one technology from one vendor, and why and where."""

    agency: str
    technology: str
    vendor: str
    status: str
    purpose: str
    locations: str
    funding_source: str
    proposed_on: When | None = None
    planned_acquisition_on: When | None = None
    approved_on: When | None = None
    in_use_since: When | None = None
    retired_on: When | None = None
    notes: str = ""
    authorized_uses: tuple[str, ...] = ()
    prohibited_uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContractTerms:
    amount: str
    period_start: When
    period_end: When
    award_date: When
    funding_source: str
    contract_number: str


@dataclass(frozen=True)
class FilingPlan:
    """One filing of the story: what it is, where it got to and when it was filed.

    `filed` is the day of the first submission (or the day a draft was started);
    the later steps of `route` follow it at the usual pace of review.
    """

    agency: str
    kind: str
    status: str
    filed: When
    technology: str = ""
    title: str = ""
    year_offset: int | None = None
    route: tuple[str, ...] = ()
    details: dict = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    contract: ContractTerms | None = None
    reporting_period: tuple[When, When] | None = None


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    first_name: str
    last_name: str
    email: str
    role: str
    superuser: bool = False
    oversight_staff: bool = False
    agency: str = ""
    membership_role: Membership.Role | None = None
