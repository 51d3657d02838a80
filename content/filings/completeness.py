"""Check a filing against its kind in the rulebook, listing every missing or invalid item."""

import datetime
import decimal
from dataclasses import dataclass

from content.filings.models import ContractDetails, Filing
from content.rulebook.rules import FieldRule, get_rulebook

CONTRACT_FIELDS = {
    "vendor": "Vendor",
    "amount": "Amount",
    "currency": "Currency",
    "period_start": "Contract period start",
    "period_end": "Contract period end",
    "funding_source": "Funding source",
    "award_date": "Award date",
}


@dataclass(frozen=True)
class Problem:
    name: str
    label: str
    message: str

    def __str__(self):
        return f"{self.label}: {self.message}"


def _value_problem(rule: FieldRule, value) -> str | None:
    """Why a present value does not fit its field type, or None if it fits."""
    text = str(value).strip()
    try:
        if rule.type == "date":
            datetime.date.fromisoformat(text)
        elif rule.type == "integer":
            if int(text) < 0:
                return "must not be negative"
        elif rule.type == "decimal":
            if not decimal.Decimal(text).is_finite() or decimal.Decimal(text) < 0:
                return "must be a non-negative amount"
        elif rule.type == "choice" and text not in rule.choices:
            return f"must be one of {', '.join(rule.choices)}"
    except (ValueError, decimal.InvalidOperation):
        expected = {"date": "a date (YYYY-MM-DD)", "integer": "a whole number"}
        return f"must be {expected.get(rule.type, 'a number')}"
    return None


def check_filing(filing: Filing) -> list[Problem]:
    """Every item the filing still needs before it can be submitted or published."""
    kind = get_rulebook().kind(filing.kind)
    problems = []

    def missing(name, label):
        problems.append(Problem(name, label, "required"))

    if not filing.title.strip():
        missing("title", "Title")
    if kind.requires_technology and (filing.pk is None or not filing.technologies.exists()):
        missing("technologies", "Technologies")
    if kind.requires_reporting_period:
        if filing.reporting_period_start is None:
            missing("reporting_period_start", "Reporting period start")
        if filing.reporting_period_end is None:
            missing("reporting_period_end", "Reporting period end")

    details = filing.details if isinstance(filing.details, dict) else {}
    for rule in kind.fields:
        value = details.get(rule.name)
        if value is None or str(value).strip() == "":
            if rule.required:
                missing(rule.name, rule.label)
            continue
        problem = _value_problem(rule, value)
        if problem:
            problems.append(Problem(rule.name, rule.label, problem))
    for unknown in sorted(set(details) - {rule.name for rule in kind.fields}):
        problems.append(
            Problem(unknown, unknown, f"is not a field of {kind.label.lower()} filings")
        )

    if kind.requires_contract_details:
        try:
            contract = filing.contract if filing.pk else None
        except ContractDetails.DoesNotExist:
            contract = None
        for name, label in CONTRACT_FIELDS.items():
            attribute = "vendor_id" if name == "vendor" else name
            if contract is None or getattr(contract, attribute) in (None, ""):
                missing(f"contract.{name}", label)

    document_count = filing.documents.count() if filing.pk else 0
    if document_count < kind.min_documents:
        problems.append(
            Problem(
                "documents",
                "Documents",
                f"at least {kind.min_documents} required, {document_count} attached",
            )
        )
    return problems
