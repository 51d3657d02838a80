"""Turn a filing plan into the filing itself: title, dates, details, summary and document.

Nothing here touches the database; the same plan and calendar always give the
same words, figures and PDF.
"""

import datetime
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from content.demo.jurisdiction import (
    AGENCIES,
    CITY,
    COMMISSION,
    INVENTORY,
    ORDINANCE,
    TECHNOLOGIES,
    VENDORS,
)
from content.demo.pdfs import DocumentContent, Section, Signatures, Table, list_items
from content.demo.specs import (
    AgencySpec,
    Calendar,
    FilingPlan,
    InventorySpec,
    TechnologySpec,
    VendorSpec,
)
from content.filings.models import Status
from content.rulebook.rules import Kind, Rulebook

AGENCY_BY_SLUG = {agency.slug: agency for agency in AGENCIES}
TECHNOLOGY_BY_SLUG = {technology.slug: technology for technology in TECHNOLOGIES}
VENDOR_BY_SLUG = {vendor.slug: vendor for vendor in VENDORS}
ENTRY_BY_AGENCY_AND_TECHNOLOGY = {(entry.agency, entry.technology): entry for entry in INVENTORY}

# The usual way through review for a filing that ends in each status.
DEFAULT_ROUTES = {
    Status.DRAFT: (),
    Status.SUBMITTED: (Status.SUBMITTED,),
    Status.IN_REVIEW: (Status.SUBMITTED, Status.IN_REVIEW),
    Status.CHANGES_REQUESTED: (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED),
    Status.ACCEPTED: (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED),
    Status.PUBLISHED: (Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTED, Status.PUBLISHED),
    Status.WITHDRAWN: (Status.WITHDRAWN,),
    Status.REJECTED: (Status.SUBMITTED, Status.IN_REVIEW, Status.REJECTED),
}
# Days from the previous step to a step into each status; a first submission
# happens on the plan's filing day.
STEP_GAP_DAYS = {
    Status.SUBMITTED: 21,
    Status.IN_REVIEW: 5,
    Status.CHANGES_REQUESTED: 16,
    Status.ACCEPTED: 24,
    Status.PUBLISHED: 6,
    Status.WITHDRAWN: 30,
    Status.REJECTED: 12,
}
DRAFTING_DAYS = 18
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# What a draft's document says where the plan leaves a field for later.
TO_BE_WRITTEN = "To be completed before submission."
RECOMMENDATION_WORDS = {
    "approve": "approve",
    "approve_with_changes": "approve, with changes,",
    "reject": "reject",
}


@dataclass(frozen=True)
class Step:
    status: str
    at: datetime.datetime


@dataclass(frozen=True)
class ComposedFiling:
    plan: FilingPlan
    agency: AgencySpec
    title: str
    technology_slugs: tuple[str, ...]
    created_at: datetime.datetime
    steps: tuple[Step, ...]
    reporting_period: tuple[datetime.date, datetime.date] | None
    due_on: datetime.date | None
    summary: str
    details: dict
    contract: dict | None
    document: DocumentContent | None

    @property
    def natural_key(self) -> tuple[str, str, str]:
        return (self.agency.slug, self.plan.kind, self.title)


@dataclass(frozen=True)
class Story:
    """Everything a filing's words are drawn from."""

    plan: FilingPlan
    kind: Kind
    agency: AgencySpec
    technology: TechnologySpec | None
    entry: InventorySpec | None
    vendor: VendorSpec | None
    calendar: Calendar
    filed_on: datetime.date
    rng: random.Random

    def fill(self, text: str) -> str:
        return text.format_map(
            {
                "agency": self.agency.name,
                "abbr": self.agency.abbreviation,
                "vendor": self.vendor.name if self.vendor else "the vendor",
                "city": CITY,
            }
        )

    @property
    def technology_name(self) -> str:
        return self.technology.name.lower() if self.technology else "surveillance technology"

    def entry_date(self, field_name: str) -> datetime.date | None:
        when = getattr(self.entry, field_name, None) if self.entry else None
        return when.resolve(self.calendar) if when else None

    @property
    def year(self) -> int:
        return self.calendar.latest_reported_year + self.plan.year_offset

    def finish(self, generated: dict) -> dict:
        """The generated details with the plan's own words in their place, less any field
        the plan leaves for a draft to fill in later."""
        details = {**generated, **self.plan.details}
        return {name: value for name, value in details.items() if name not in self.plan.missing}


def long_date(day: datetime.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def money(amount: Decimal | int) -> str:
    return f"${Decimal(amount):,.2f}"


def bullets(items) -> str:
    return "\n".join(f"- {item}" for item in items)


def numbered(items) -> str:
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


def _title(plan: FilingPlan, technology, vendor, calendar: Calendar) -> str:
    if plan.title:
        return plan.title
    if plan.kind == "annual_report":
        year = calendar.latest_reported_year + plan.year_offset
        return f"Annual surveillance report {year}: {technology.name}"
    if plan.kind == "contract":
        return f"Contract with {vendor.name}: {technology.name}"
    prefixes = {
        "acquisition_notice": "Acquisition notice",
        "impact_report": "Surveillance impact report",
        "use_policy": "Surveillance use policy",
        "commission_recommendation": f"{COMMISSION} recommendation",
    }
    return f"{prefixes[plan.kind]}: {technology.name}"


def _timeline(story: Story) -> tuple[datetime.datetime, tuple[Step, ...]]:
    """When the filing was started and each status change, none later than yesterday."""
    plan = story.plan
    route = plan.route or DEFAULT_ROUTES[plan.status]
    if (route[-1] if route else Status.DRAFT) != plan.status:
        raise ValueError(f"the route of {plan} does not end in {plan.status}")
    days, day = [], story.filed_on
    for index, status in enumerate(route):
        if index:
            day += datetime.timedelta(days=STEP_GAP_DAYS[status])
        days.append(day)
    yesterday = story.calendar.today - datetime.timedelta(days=1)
    if days and days[-1] > yesterday:
        overrun = days[-1] - yesterday
        days = [day - overrun for day in days]
    started = days[0] - datetime.timedelta(days=DRAFTING_DAYS) if days else story.filed_on
    started = min(started, story.calendar.today)

    def moment(day, hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))

    steps = tuple(
        Step(status, moment(day, 10 + min(index, 7)))
        for index, (status, day) in enumerate(zip(route, days, strict=True))
    )
    return moment(started, 9), steps


def _due_on(story: Story, rulebook: Rulebook) -> datetime.date | None:
    if story.plan.kind == "annual_report":
        return story.calendar.annual_report_due(story.year)
    for rule in rulebook.deadline_rules_for(story.plan.kind):
        if rule.rule == "before_date":
            anchors = (story.entry_date(name) for name in rule.anchor)
            return next((day for day in anchors if day), None)
    return None


def _reporting_period(story: Story):
    if story.plan.kind == "annual_report":
        return datetime.date(story.year, 1, 1), datetime.date(story.year, 12, 31)
    if story.plan.reporting_period:
        start, end = story.plan.reporting_period
        return start.resolve(story.calendar), end.resolve(story.calendar)
    return None


def _first_year_cost(story: Story) -> tuple[int, int]:
    """The one-off set-up cost and the yearly running cost, in whole dollars."""
    yearly = story.technology.annual_cost
    return int(round(yearly * 0.35, -3)), yearly


def _facts(story: Story, extra_fact: tuple[str, str] | None = None) -> tuple:
    facts = [("Agency", story.agency.name)]
    if story.technology:
        facts.append(("Technology", story.technology.name))
    if story.vendor:
        facts.append(("Vendor", story.vendor.name))
    if extra_fact:
        facts.append(extra_fact)
    facts += [
        ("Date", long_date(story.filed_on)),
        ("Contact", story.agency.contact_email),
        ("Filed under", ORDINANCE),
    ]
    return tuple(facts)


def _field_sections(story: Story, details: dict) -> list[Section]:
    """One section per rulebook field that has a value, headed with the field's label.

    In the default language whatever the request's: the PDF is a document of record.
    """
    return [
        Section(rule.default_label, (details[rule.name],))
        for rule in story.kind.fields
        if details.get(rule.name)
    ]


def _acquisition_notice(story: Story):
    entry, technology = story.entry, story.technology
    set_up, yearly = _first_year_cost(story)
    proposed_on = (
        story.entry_date("planned_acquisition_on")
        or story.entry_date("in_use_since")
        or story.filed_on + datetime.timedelta(days=180)
    )
    details = story.finish(
        {
            "description": story.fill(f"{technology.description}\n\n{technology.how_it_works}"),
            "purpose": story.fill(
                f"The {{agency}} intends to use {story.technology_name} to {entry.purpose}.\n\n"
                f"{entry.locations}"
            ),
            "proposed_acquisition_date": proposed_on.isoformat(),
            "estimated_cost": f"{set_up + yearly}.00",
            "funding_source": entry.funding_source,
        }
    )
    summary = (
        f"The {story.agency.name} gives notice that it intends to acquire "
        f"{story.technology_name} from {story.vendor.name} to {entry.purpose}."
    )
    return details, summary, None


def _impact_report(story: Story):
    entry, technology = story.entry, story.technology
    in_use_since = story.entry_date("in_use_since")
    verb = "uses" if in_use_since and in_use_since <= story.filed_on else "proposes to use"
    set_up, yearly = _first_year_cost(story)
    sharing = [f"{recipient}: {standard}." for recipient, standard in technology.sharing]
    details = story.finish(
        {
            "purpose": story.fill(
                f"The {{agency}} {verb} {story.technology_name} to {entry.purpose}.\n\n"
                f"{technology.description}"
            ),
            "locations": entry.locations,
            "how_it_works": story.fill(technology.how_it_works),
            "data_collected": story.fill(technology.data_collected),
            "retention": story.fill(technology.retention),
            "data_sharing": (bullets(sharing) + "\n\n" if sharing else "")
            + "No data are shared with federal immigration authorities or sold to anyone.",
            "vendor_access": story.fill(technology.vendor_access),
            "fiscal_cost": (
                f"Set-up costs are estimated at {money(set_up)} and running costs (subscription, "
                f"maintenance and staff time) at {money(yearly)} a year, for a first-year total of "
                f"{money(set_up + yearly)}. Funding: {entry.funding_source}."
            ),
            "civil_liberties_safeguards": story.fill(technology.safeguards),
            "disparate_impact": story.fill(technology.disparate_impact),
        }
    )
    summary = (
        f"The {story.agency.abbreviation}'s assessment of {story.technology_name} from "
        f"{story.vendor.name}: what it collects, how long data are kept, who may see them, what "
        f"it costs ({money(yearly)} a year) and its effect on civil liberties."
    )
    cost_table = Table(
        ("Item", "Amount (USD)"),
        (
            ("Purchase, installation and set-up", money(set_up)),
            ("Subscription and maintenance, per year", money(round(yearly * 0.7))),
            ("Staff time and training, per year", money(yearly - round(yearly * 0.7))),
            ("First-year total", money(set_up + yearly)),
        ),
    )
    sections = _field_sections(story, details)
    sections.append(Section("Appendix: cost estimate", (cost_table,)))
    return details, summary, sections


def _use_policy(story: Story):
    entry, technology = story.entry, story.technology
    authorized = entry.authorized_uses or technology.authorized_uses
    prohibited = entry.prohibited_uses or technology.prohibited_uses
    sharing = [f"{recipient}: {standard}." for recipient, standard in technology.sharing]
    sharing.append(
        "Any other sharing needs a warrant or court order, and every disclosure is logged."
    )
    details = story.finish(
        {
            "purpose": story.fill(
                f"This policy governs the {{agency}}'s use of {story.technology_name}, which "
                f"it uses to {entry.purpose}.\n\n{technology.description}"
            ),
            "authorized_uses": "The technology may be used only for:\n\n" + numbered(authorized),
            "prohibited_uses": "The technology must never be used for:\n\n" + numbered(prohibited),
            "data_collection": story.fill(technology.data_collected),
            "data_access": story.fill(technology.access),
            "retention": story.fill(technology.retention),
            "third_party_sharing": numbered(sharing),
            "training": story.fill(technology.training),
            "oversight": story.fill(
                "The {abbr}'s compliance coordinator audits a random sample of uses every quarter "
                "and reports violations to the head of the agency within 30 days. Findings are "
                f"summarised in the annual surveillance report to the {COMMISSION}. The City "
                "Auditor may audit compliance at any time."
            ),
        }
    )
    summary = (
        f"The binding rules for the {story.agency.abbreviation}'s use of "
        f"{story.technology_name}: {len(authorized)} authorized uses, {len(prohibited)} "
        "prohibitions, and the rules on retention, access, sharing, training and auditing."
    )
    approved_on = story.filed_on - datetime.timedelta(days=2)
    approval = (
        "Draft: not yet approved by the head of the agency."
        if story.plan.status == Status.DRAFT
        else f"Approved for submission to the {COMMISSION} on {long_date(approved_on)}."
    )
    sections = _field_sections(story, details)
    sections.append(
        Section("Approval", (approval, Signatures((story.agency.head, "Compliance coordinator"))))
    )
    return details, summary, sections


def _usage_by_month(story: Story) -> list[int]:
    low, high = story.technology.monthly_usage
    return [story.rng.randint(low, high) for _ in MONTHS]


def _share_out(total: int, parts: int, rng: random.Random) -> list[int]:
    weights = [rng.randint(2, 9) for _ in range(parts)]
    shares = [total * weight // sum(weights) for weight in weights]
    shares[0] += total - sum(shares)
    return shares


def _annual_report(story: Story):
    technology, agency, rng = story.technology, story.agency, story.rng
    monthly = _usage_by_month(story)
    usage = sum(monthly)
    outcome = round(usage * technology.outcome_share)
    secondary = round(outcome * technology.secondary_share)
    by_area = _share_out(usage, len(agency.areas), rng)
    disclosures = [rng.randint(3, 60) for _ in technology.sharing]
    complaints = rng.randint(0, 6)
    records_requests = rng.randint(2, 18)
    audited = rng.choice((20, 25, 30, 40))
    violations = rng.choice((0, 0, 1, 2, 3))
    cost_factor = Decimal(rng.randint(92, 108)) / 100
    total_cost = (Decimal(technology.annual_cost) * cost_factor).quantize(Decimal("0.01"))
    vendor_cost = (total_cost * Decimal("0.7")).quantize(Decimal("0.01"))
    training_cost = (total_cost * Decimal("0.05")).quantize(Decimal("0.01"))
    staff_cost = total_cost - vendor_cost - training_cost
    busiest = max(range(12), key=monthly.__getitem__)
    unit = technology.usage_unit
    violation_text = (
        "No violations of the use policy were found."
        if violations == 0
        else f"{violations} violation{'s' if violations > 1 else ''} of the use policy "
        "were found: searches made without a valid reason. Each user was retrained and "
        "the supervisor notified; no data were disclosed as a result."
    )
    sharing_lines = [
        f"{recipient} ({standard}): {count} disclosures."
        for (recipient, standard), count in zip(technology.sharing, disclosures, strict=True)
    ]
    details = story.finish(
        {
            "usage_summary": (
                f"In {story.year} the {agency.abbreviation} recorded {usage:,} {unit} with "
                f"{story.technology_name}, an average of {usage // 12:,} a month. The busiest "
                f"month was {MONTHS[busiest]}, with {monthly[busiest]:,}."
            ),
            "data_sharing": (bullets(sharing_lines) + "\n\n" if sharing_lines else "")
            + "No data were shared with federal immigration authorities or sold.",
            "deployment_locations": bullets(
                f"{area}: {count:,} {unit}"
                for area, count in zip(agency.areas, by_area, strict=True)
            ),
            "complaints": complaints,
            "audits_and_violations": (
                f"The compliance coordinator audited {audited} randomly chosen uses each quarter "
                f"({audited * 4} in all). {violation_text}"
            ),
            "data_breaches": (
                f"None. No unauthorized access to {story.technology_name} data was found."
            ),
            "effectiveness": technology.effectiveness.format(
                usage=usage, outcome=outcome, secondary=secondary
            ),
            "total_annual_cost": str(total_cost),
            "records_requests": records_requests,
        }
    )
    summary = (
        f"In {story.year} the {agency.abbreviation} recorded {usage:,} {unit} with "
        f"{story.technology_name}, at a cost of {money(total_cost)}. It received {complaints} "
        f"complaint{'' if complaints == 1 else 's'} and {records_requests} public records "
        "requests."
    )
    sections = [
        Section(
            "How the technology was used",
            (
                details.get("usage_summary", TO_BE_WRITTEN),
                Table(
                    ("Month", unit.capitalize()),
                    (
                        *(
                            (f"{month} {story.year}", f"{count:,}")
                            for month, count in zip(MONTHS, monthly, strict=True)
                        ),
                        ("Total", f"{usage:,}"),
                    ),
                ),
            ),
        ),
        Section(
            "Deployment locations",
            (
                Table(
                    ("Area", unit.capitalize()),
                    tuple(
                        (area, f"{count:,}")
                        for area, count in zip(agency.areas, by_area, strict=True)
                    ),
                ),
            ),
        ),
        Section("Data sharing", (details.get("data_sharing", TO_BE_WRITTEN),)),
        Section(
            "Complaints and public records requests",
            (
                Table(
                    ("Measure", "Number"),
                    (
                        ("Community complaints received", str(complaints)),
                        ("Public records requests", str(records_requests)),
                        ("Uses audited", str(audited * 4)),
                        ("Policy violations found", str(violations)),
                    ),
                ),
            ),
        ),
        Section("Audits and violations", (details.get("audits_and_violations", TO_BE_WRITTEN),)),
        Section("Data breaches", (details.get("data_breaches", TO_BE_WRITTEN),)),
        Section("Effectiveness", (details.get("effectiveness", TO_BE_WRITTEN),)),
        Section(
            "Costs",
            (
                Table(
                    ("Item", "Amount (USD)"),
                    (
                        (f"{story.vendor.name}: subscription and maintenance", money(vendor_cost)),
                        ("Staff time", money(staff_cost)),
                        ("Training", money(training_cost)),
                        ("Total annual cost", money(total_cost)),
                    ),
                ),
                f"Funding: {story.entry.funding_source}.",
            ),
        ),
    ]
    return details, summary, sections


def _contract_terms(story: Story) -> dict:
    terms = story.plan.contract
    return {
        "vendor": story.vendor.slug,
        "amount": Decimal(terms.amount),
        "currency": "USD",
        "period_start": terms.period_start.resolve(story.calendar),
        "period_end": terms.period_end.resolve(story.calendar),
        "funding_source": terms.funding_source,
        "award_date": terms.award_date.resolve(story.calendar),
    }


def _contract(story: Story):
    terms, contract = story.plan.contract, _contract_terms(story)
    vendor, agency = story.vendor.name, story.agency
    start, end, amount = contract["period_start"], contract["period_end"], contract["amount"]
    details = story.finish(
        {
            "scope": story.fill(
                f"{{vendor}} will supply, install and maintain {story.technology_name} for the "
                "{abbr}, host the software and data where the use policy allows, and train {abbr} "
                f"staff.\n\nDeployment: {story.entry.locations}\n\n"
                f"Data access: {story.technology.vendor_access}"
            ),
            "contract_number": terms.contract_number,
        }
    )
    summary = (
        f"{vendor} will provide {story.technology_name} to the {agency.abbreviation} for up to "
        f"{money(amount)} from {long_date(start)} to {long_date(end)}, paid from "
        f"{contract['funding_source']}."
    )
    years = max(1, round((end - start).days / 365))
    instalment = (amount / years).quantize(Decimal("0.01"))
    schedule = tuple(
        (
            f"Contract year {number}",
            money(instalment if number < years else amount - instalment * (years - 1)),
        )
        for number in range(1, years + 1)
    )
    parties = story.fill(
        f"This agreement, No. {terms.contract_number}, is between the {CITY}, acting through "
        "the {agency} (the City), and {vendor} (the Contractor). It was awarded on "
        f"{long_date(contract['award_date'])}."
    )
    clauses = (
        Section("Parties", (parties,)),
        Section(
            "Term",
            (
                f"The agreement runs from {long_date(start)} to {long_date(end)}. The City may "
                "extend it once, for up to one year, on the same terms.",
            ),
        ),
        Section("Scope of work", (details["scope"],)),
        Section(
            "Compensation",
            (
                f"The City will pay the Contractor no more than {money(amount)} over the term, "
                f"from {contract['funding_source']}, in yearly instalments:",
                Table(("Period", "Amount (USD)"), (*schedule, ("Total", money(amount)))),
            ),
        ),
        Section(
            "Data ownership and vendor access",
            (
                "- All data collected by the technology belong to the City.\n"
                "- The Contractor may not sell, share or use City data for any purpose other "
                "than providing this service, including training its products.\n"
                f"- {story.fill(story.technology.vendor_access)}",
            ),
        ),
        Section(
            "Surveillance ordinance",
            (
                f"- The Contractor will support only the uses in the use policy approved under "
                f"{ORDINANCE}.\n"
                "- The Contractor will give the City, within 30 days of a request, the figures "
                "the City needs for its annual surveillance report.\n"
                "- This agreement and its amendments are public records and will be published.",
            ),
        ),
        Section(
            "Security and breach notification",
            (
                "- The Contractor will keep City data encrypted in transit and at rest.\n"
                "- The Contractor will tell the City of any unauthorized access to City data "
                "within 72 hours of discovering it.",
            ),
        ),
        Section(
            "Termination",
            (
                "- The City may end the agreement on 30 days' notice for any reason.\n"
                "- The City may end it at once if the City Council withdraws approval of the "
                "technology.\n"
                "- On termination the Contractor will return all City data and certify its "
                "deletion within 30 days.",
                Signatures(
                    (
                        f"For the City: {agency.head}",
                        f"For the Contractor: authorized signatory of {vendor}",
                        "Approved as to form: Office of the City Attorney",
                    )
                ),
            ),
        ),
    )
    return details, summary, list(clauses)


def _audit(story: Story):
    details = story.finish({})
    findings = list_items(details["findings"])
    recommendations = list_items(details["recommendations"])
    audited = (
        f"the {story.agency.abbreviation}'s use of {story.technology_name}"
        if story.technology
        else f"the {story.agency.name}"
    )
    summary = (
        f"The {details['auditor']} audited {audited}: {len(findings)} findings and "
        f"{len(recommendations)} recommendations."
    )
    period = _reporting_period(story)
    scope = (
        f"The {details['auditor']} examined {audited}"
        + (f" from {long_date(period[0])} to {long_date(period[1])}" if period else "")
        + f", testing compliance with {ORDINANCE} and the approved use policies. The "
        "objective was to find whether the agency used its technology only as its policies "
        "allow, and reported that use completely and on time."
    )
    response = "Agreed" if details.get("agency_response") else "Response pending"
    sections = [
        Section("Objective and scope", (scope,)),
        Section("Findings", (details["findings"],)),
        Section(
            "Recommendations",
            (
                Table(
                    ("No.", "Recommendation", "Agency response"),
                    tuple(
                        (str(number), text, response)
                        for number, text in enumerate(recommendations, start=1)
                    ),
                    column_inches=(0.5, 4.5, 1.5),
                ),
            ),
        ),
    ]
    if details.get("agency_response"):
        sections.append(Section("Agency response", (details["agency_response"],)))
    sections.append(
        Section(
            "Methodology",
            (
                "Auditors interviewed staff, read the use policy and the agency's procedures, "
                "tested random samples of system logs against case records, and compared "
                "annual reports with the financial system. The audit followed generally "
                "accepted government auditing standards.",
            ),
        )
    )
    return details, summary, sections


def _commission_recommendation(story: Story):
    meeting_on = story.filed_on - datetime.timedelta(days=8)
    details = story.finish({"meeting_date": meeting_on.isoformat()})
    summary = (
        f"The {COMMISSION} recommends that the City Council "
        f"{RECOMMENDATION_WORDS[details['recommendation']]} the "
        f"{story.agency.abbreviation}'s use of {story.technology_name}."
    )
    return details, summary, None


def _exigent_use_report(story: Story):
    ended = story.filed_on - datetime.timedelta(days=12)
    started = ended - datetime.timedelta(days=story.rng.randint(0, 2))
    details = story.finish(
        {"use_started_on": started.isoformat(), "use_ended_on": ended.isoformat()}
    )
    summary = (
        f"The {story.agency.abbreviation} used {story.technology_name} without prior approval "
        f"from {long_date(started)} to {long_date(ended)} because of an emergency, and reports "
        "it as the ordinance requires."
    )
    return details, summary, None


COMPOSERS = {
    "acquisition_notice": _acquisition_notice,
    "impact_report": _impact_report,
    "use_policy": _use_policy,
    "annual_report": _annual_report,
    "contract": _contract,
    "audit": _audit,
    "commission_recommendation": _commission_recommendation,
    "exigent_use_report": _exigent_use_report,
}
NUMBERED_CLAUSE_KINDS = {"use_policy", "contract"}


def compose(plan: FilingPlan, calendar: Calendar, rulebook: Rulebook) -> ComposedFiling:
    agency = AGENCY_BY_SLUG[plan.agency]
    technology = TECHNOLOGY_BY_SLUG[plan.technology] if plan.technology else None
    entry = ENTRY_BY_AGENCY_AND_TECHNOLOGY.get((plan.agency, plan.technology))
    vendor = VENDOR_BY_SLUG[entry.vendor] if entry else None
    kind = rulebook.kind(plan.kind)
    title = _title(plan, technology, vendor, calendar)
    story = Story(
        plan=plan,
        kind=kind,
        agency=agency,
        technology=technology,
        entry=entry,
        vendor=vendor,
        calendar=calendar,
        filed_on=plan.filed.resolve(calendar),
        # Seeded by the filing's natural key: its figures never change between runs.
        rng=random.Random(f"{agency.slug}|{plan.kind}|{title}"),
    )
    created_at, steps = _timeline(story)
    if steps:
        story = replace(story, filed_on=steps[0].at.date())
    details, summary, sections = COMPOSERS[plan.kind](story)
    document = None
    if kind.min_documents:
        document = DocumentContent(
            file_name=f"{agency.abbreviation}-{slugify(title)}.pdf",
            title=title,
            running_head=f"{CITY} - {agency.name}",
            kind_label=kind.default_label,
            facts=_facts(
                story,
                (("Reporting year", str(story.year)) if plan.kind == "annual_report" else None),
            ),
            summary=summary,
            sections=tuple(sections),
            numbered_clauses=plan.kind in NUMBERED_CLAUSE_KINDS,
        )
    return ComposedFiling(
        plan=plan,
        agency=agency,
        title=title,
        technology_slugs=(plan.technology,) if plan.technology else (),
        created_at=created_at,
        steps=steps,
        reporting_period=_reporting_period(story),
        due_on=_due_on(story, rulebook),
        summary=summary,
        details=details,
        contract=_contract_terms(story) if plan.contract else None,
        document=document,
    )


def compose_all(plans, calendar: Calendar, rulebook: Rulebook) -> list[ComposedFiling]:
    composed = [compose(plan, calendar, rulebook) for plan in plans]
    keys = [filing.natural_key for filing in composed]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"two demo filings share an agency, kind and title: {duplicates}")
    return composed
