"""What the rulebook requires of an agency, when, and whether it has been filed."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from content.agencies.models import Agency
from content.compliance.models import DeadlineExtension
from content.filings.models import FILED_STATUSES, Filing, Status
from content.inventory.models import InventoryEntry
from content.rulebook.rules import DeadlineRule, Kind, Rulebook, get_rulebook
from content.technologies.models import Technology


class State(StrEnum):
    FILED = "filed"
    FILED_LATE = "filed_late"
    IN_PROGRESS = "in_progress"
    UPCOMING = "upcoming"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Obligation:
    kind: Kind
    technology: Technology
    reporting_year: int | None
    due_on: datetime.date | None
    extended_due_on: datetime.date | None
    filing: Filing | None
    state: State
    days_overdue: int
    # The extensions granted for this deadline, newest first, each with its grantor.
    extensions: tuple[DeadlineExtension, ...] = ()

    @property
    def effective_due_on(self) -> datetime.date | None:
        return self.extended_due_on or self.due_on

    @property
    def filed_on(self) -> datetime.date | None:
        """The day the agency first filed it, or None while it is unfiled or a draft."""
        if self.filing is None or self.filing.status not in FILED_STATUSES:
            return None
        return first_filed_on(self.filing)

    @property
    def label(self) -> str:
        """E.g. "Annual surveillance report for drones, 2025, due March 15, 2026"."""
        parts = [
            _("%(kind)s for %(technology)s")
            % {"kind": self.kind.label, "technology": self.technology.name.lower()}
        ]
        if self.reporting_year:
            parts.append(str(self.reporting_year))
        if self.effective_due_on:
            due = date_format(self.effective_due_on)
            parts.append(_("due %(date)s") % {"date": due})
        else:
            parts.append(_("due before acquisition"))
        return ", ".join(parts)


def _annual_periods(rule: DeadlineRule, entry: InventoryEntry, today: datetime.date):
    """Reporting years whose report is due, back to the rule's look-back, plus the next one."""
    first = today.year - rule.lookback_years
    if entry.in_use_since:
        first = max(first, entry.in_use_since.year)
    last = today.year - 1
    if entry.retired_on:
        last = min(last, entry.retired_on.year)
    for year in range(first, last + 1):
        yield year, datetime.date(year + 1, rule.due_month, rule.due_day)


def _anchor_date(rule: DeadlineRule, entry: InventoryEntry) -> datetime.date | None:
    return next((getattr(entry, name) for name in rule.anchor if getattr(entry, name)), None)


def _matching_filing(filings, rule: DeadlineRule, technology_id: int, year: int | None):
    """The best filing that answers this obligation: filed beats draft, earliest first."""
    candidates = [
        filing
        for filing in filings[(rule.kind, technology_id)]
        if year is None
        or (filing.reporting_period_end and filing.reporting_period_end.year == year)
    ]
    filed = [f for f in candidates if f.status in FILED_STATUSES]
    if filed:
        return min(filed, key=lambda f: f.submitted_at or f.created_at)
    drafts = [f for f in candidates if f.status == Status.DRAFT]
    return drafts[0] if drafts else None


def first_filed_on(filing: Filing) -> datetime.date:
    """The local day of the first submission: deadlines are days in the city's time zone."""
    return timezone.localdate(filing.submitted_at or filing.created_at)


def _state(filing, due_on, today) -> tuple[State, int]:
    if filing is not None and filing.status in FILED_STATUSES:
        if due_on and first_filed_on(filing) > due_on:
            return State.FILED_LATE, 0
        return State.FILED, 0
    if due_on and due_on < today:
        return State.OVERDUE, (today - due_on).days
    if filing is not None:
        return State.IN_PROGRESS, 0
    return State.UPCOMING, 0


def obligations_for_agency(
    agency: Agency, today: datetime.date, rulebook: Rulebook | None = None
) -> list[Obligation]:
    """Every obligation the rulebook's deadline rules give `agency`, soonest first.

    Runs a fixed number of queries whatever the size of the inventory.
    """
    return obligations_for_agencies([agency], today, rulebook)[agency.pk]


def obligations_for_agencies(
    agencies: Iterable[Agency], today: datetime.date, rulebook: Rulebook | None = None
) -> dict[int, list[Obligation]]:
    """Every agency's obligations by agency id, each list soonest first.

    Four queries for all the agencies together, whatever the size of the inventory.
    """
    rulebook = rulebook or get_rulebook()
    agency_ids = [agency.pk for agency in agencies]
    entries = defaultdict(list)
    for entry in (
        InventoryEntry.objects.filter(agency_id__in=agency_ids)
        .select_related("technology")
        .order_by("pk")
    ):
        entries[entry.agency_id].append(entry)
    filings = defaultdict(lambda: defaultdict(list))
    for filing in (
        Filing.objects.filter(agency_id__in=agency_ids)
        .exclude(status=Status.WITHDRAWN)
        .prefetch_related("technologies")
        .order_by("created_at")
    ):
        for technology in filing.technologies.all():
            filings[filing.agency_id][(filing.kind, technology.pk)].append(filing)
    extensions = defaultdict(lambda: defaultdict(list))
    for extension in DeadlineExtension.objects.filter(agency_id__in=agency_ids).select_related(
        "granted_by"
    ):
        key = (extension.kind, extension.technology_id, extension.reporting_year)
        extensions[extension.agency_id][key].append(extension)
    return {
        agency_id: _obligations(
            rulebook, entries[agency_id], filings[agency_id], extensions[agency_id], today
        )
        for agency_id in agency_ids
    }


def _obligations(rulebook, entries, filings, extensions, today) -> list[Obligation]:
    obligations: dict[tuple, Obligation] = {}
    for rule in rulebook.deadlines:
        kind = rulebook.kind(rule.kind)
        for entry in entries:
            if entry.status not in rule.applies_to:
                continue
            if rule.rule == "annual":
                periods = list(_annual_periods(rule, entry, today))
            else:
                periods = [(None, _anchor_date(rule, entry))]
            for year, due_on in periods:
                key = (rule.kind, entry.technology_id, year)
                if key in obligations:  # several vendors of one technology: one obligation
                    continue
                granted = extensions.get(key, [])
                extra_days = sum(extension.days for extension in granted)
                extended = (
                    due_on + datetime.timedelta(days=extra_days) if extra_days and due_on else None
                )
                filing = _matching_filing(filings, rule, entry.technology_id, year)
                state, days_overdue = _state(filing, extended or due_on, today)
                obligations[key] = Obligation(
                    kind=kind,
                    technology=entry.technology,
                    reporting_year=year,
                    due_on=due_on,
                    extended_due_on=extended,
                    filing=filing,
                    state=state,
                    days_overdue=days_overdue,
                    extensions=tuple(granted),
                )
    return sorted(
        obligations.values(),
        key=lambda o: (o.effective_due_on or datetime.date.max, o.kind.slug, o.technology.name),
    )
