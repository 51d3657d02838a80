"""The review checklist: every requirement the rulebook sets for the filing's kind, each
with its automatic state from the completeness check, plus checks only a person can make.

Item names are stable (the names check_filing reports problems under, and
"reviewer.*" for the human checks), so the reviewer's ticks stored under them survive
page loads, rounds and rulebook reloads that keep the item.
"""

from dataclasses import dataclass

from content.filings.completeness import CONTRACT_FIELDS, Problem, check_filing
from content.filings.models import Filing

# Judgements no automatic check can make; the reviewer ticks them by hand.
REVIEWER_CHECKS = (
    ("reviewer.documents_match", "The documents are what the filing says they are"),
    ("reviewer.fit_to_publish", "Nothing in the filing or its documents must be withheld"),
    ("reviewer.summary_accurate", "The public summary is accurate"),
)


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    label: str
    # False for the reviewer's own checks, which have no automatic state.
    automatic: bool
    problem: str | None
    ticked: bool

    @property
    def complete(self) -> bool:
        return self.automatic and self.problem is None


def requirement_items(filing: Filing) -> list[tuple[str, str]]:
    """(name, label) for every requirement of the filing's kind, in the rulebook's order."""
    kind = filing.kind_rules
    items = [("title", "Title")]
    if kind.requires_technology:
        items.append(("technologies", "Technologies"))
    if kind.requires_reporting_period:
        items += [
            ("reporting_period_start", "Reporting period start"),
            ("reporting_period_end", "Reporting period end"),
        ]
    items += [
        (rule.name, rule.label if rule.required else f"{rule.label} (optional)")
        for rule in kind.fields
    ]
    if kind.requires_contract_details:
        items += [(f"contract.{name}", label) for name, label in CONTRACT_FIELDS.items()]
    if kind.min_documents:
        documents = "document" if kind.min_documents == 1 else "documents"
        items.append(("documents", f"At least {kind.min_documents} {documents}"))
    return items


def item_names(filing: Filing) -> list[str]:
    return [name for name, _ in requirement_items(filing)] + [name for name, _ in REVIEWER_CHECKS]


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]
    # Problems check_filing found that no item stands for, e.g. a detail the kind lacks.
    other_problems: list[Problem]

    @property
    def requirements(self) -> list[ChecklistItem]:
        return [item for item in self.items if item.automatic]

    @property
    def reviewer_checks(self) -> list[ChecklistItem]:
        return [item for item in self.items if not item.automatic]

    @property
    def complete_count(self) -> int:
        return sum(item.complete for item in self.requirements)

    @property
    def ticked_count(self) -> int:
        return sum(item.ticked for item in self.items)


def build_checklist(filing: Filing, ticks: dict) -> Checklist:
    problems = check_filing(filing)
    by_name = {problem.name: problem.message for problem in problems}
    ticks = ticks if isinstance(ticks, dict) else {}
    items = [
        ChecklistItem(name, label, True, by_name.get(name), ticks.get(name) is True)
        for name, label in requirement_items(filing)
    ]
    items += [
        ChecklistItem(name, label, False, None, ticks.get(name) is True)
        for name, label in REVIEWER_CHECKS
    ]
    known = {item.name for item in items}
    return Checklist(items, [problem for problem in problems if problem.name not in known])
