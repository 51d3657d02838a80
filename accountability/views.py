"""The public compliance and inventory pages: server-rendered, complete without JavaScript.

What they reveal about filings is decided in content.compliance.disclosure. Every
page runs a fixed number of queries whatever the number of agencies and entries.
"""

import datetime
import functools
from itertools import groupby
from urllib.parse import urlencode

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accountability import spending as money
from accountability.charts import describe_totals, stacked_bar_chart
from accountability.query import BadQuery, one_of, page_of
from content.agencies.models import Agency
from content.compliance.disclosure import (
    PUBLIC_STATE_LABELS,
    PUBLIC_STATES,
    StateCounts,
    count_public_states,
    disclose,
)
from content.compliance.obligations import obligations_for_agencies, obligations_for_agency
from content.filings.visibility import public_filings
from content.inventory.history import inventory_history
from content.inventory.models import InventoryEntry

HISTORY_PER_PAGE = 100
OVERVIEW_SORTS = {
    "agency": gettext_lazy("Agency name"),
    "overdue": gettext_lazy("Most overdue first"),
}
STATE_FILTERS = {"all": gettext_lazy("All obligations")} | {
    state.value: PUBLIC_STATE_LABELS[state] for state in PUBLIC_STATES
}
HISTORY_ORDERS = {"newest": gettext_lazy("Newest first"), "oldest": gettext_lazy("Oldest first")}
STATE_ORDER = {state: index for index, state in enumerate(PUBLIC_STATES)}


def _due(obligation) -> datetime.date:
    return obligation.effective_due_on or datetime.date.max


# Each sort: its label and its key; ties fall back to the due date.
AGENCY_SORTS = {
    "due": (
        gettext_lazy("Due date, soonest first"),
        lambda o: (_due(o), o.kind_label, o.technology_name),
    ),
    "-due": (
        gettext_lazy("Due date, latest first"),
        lambda o: (-_due(o).toordinal(), o.kind_label),
    ),
    "overdue": (gettext_lazy("Most days overdue first"), lambda o: (-o.days_overdue, _due(o))),
    "requirement": (gettext_lazy("Requirement"), lambda o: (o.kind_label, _due(o))),
    "technology": (gettext_lazy("Technology"), lambda o: (o.technology_name, _due(o))),
    "state": (gettext_lazy("State"), lambda o: (STATE_ORDER[o.state], _due(o))),
}


def refuses_bad_queries(view):
    """Answer a query string the page does not understand with 400 and what it takes."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadQuery as problem:
            return render(
                request, "accountability/bad_query.html", {"message": str(problem)}, status=400
            )

    return wrapper


@refuses_bad_queries
def compliance_overview(request):
    sort = one_of(request.GET, "sort", OVERVIEW_SORTS, "agency")
    today = timezone.localdate()
    agencies = list(Agency.objects.order_by("name"))
    obligations = obligations_for_agencies(agencies, today)
    rows = [(agency, count_public_states(obligations[agency.pk])) for agency in agencies]
    if sort == "overdue":
        rows.sort(key=lambda row: (-row[1].overdue, row[0].name))
    totals = sum((counts for _, counts in rows), StateCounts())
    chart = stacked_bar_chart(
        "compliance-chart",
        gettext("Obligations by agency and state"),
        gettext(
            "One bar per agency, split into obligations filed on time, filed late, overdue and "
            "not yet due. Across all agencies: %(totals)s. The table “Obligations by agency” "
            "gives each agency's numbers."
        )
        % {"totals": describe_totals(totals)},
        [(agency.name, counts) for agency, counts in rows],
    )
    return render(
        request,
        "accountability/compliance_overview.html",
        {
            "rows": rows,
            "totals": totals,
            "chart": chart,
            "sort": sort,
            "sorts": OVERVIEW_SORTS,
            "today": today,
        },
    )


def _sort_links(state: str, sort: str) -> dict[str, dict]:
    """For each sortable column: the address that sorts by it, and its aria-sort if it is the sort.

    The state filter stays in each address; defaults are left out to keep addresses short.
    """

    def address(target: str) -> str:
        query = {}
        if state != "all":
            query["state"] = state
        if target != "due":
            query["sort"] = target
        return "?" + urlencode(query)

    links = {
        column: {"url": address(column), "aria_sort": direction if sort == column else None}
        for column, direction in (
            ("requirement", "ascending"),
            ("technology", "ascending"),
            ("state", "ascending"),
            ("overdue", "descending"),
        )
    }
    links["due"] = {
        "url": address("-due" if sort == "due" else "due"),
        "aria_sort": {"due": "ascending", "-due": "descending"}.get(sort),
    }
    return links


@refuses_bad_queries
def agency_compliance(request, agency_slug):
    agency = get_object_or_404(Agency, slug=agency_slug)
    state = one_of(request.GET, "state", STATE_FILTERS, "all")
    sort = one_of(request.GET, "sort", AGENCY_SORTS, "due")
    today = timezone.localdate()
    obligations = obligations_for_agency(agency, today)
    by_technology = {}
    for obligation in obligations:
        by_technology.setdefault(obligation.technology.name, []).append(obligation)
    technology_rows = [
        (name, count_public_states(items)) for name, items in sorted(by_technology.items())
    ]
    counts = count_public_states(obligations)
    shown = [disclose(obligation) for obligation in obligations]
    if state != "all":
        shown = [obligation for obligation in shown if obligation.state == state]
    shown.sort(key=AGENCY_SORTS[sort][1])
    chart = stacked_bar_chart(
        "agency-compliance-chart",
        gettext("%(agency)s: obligations by technology and state") % {"agency": agency.name},
        gettext(
            "One bar per technology, split into obligations filed on time, filed late, overdue "
            "and not yet due. In all: %(totals)s. The table “Obligations by technology” gives "
            "each technology's numbers."
        )
        % {"totals": describe_totals(counts)},
        technology_rows,
    )
    return render(
        request,
        "accountability/agency_compliance.html",
        {
            "agency": agency,
            "obligations": shown,
            "counts": counts,
            "counts_in_words": describe_totals(counts),
            "technology_rows": technology_rows,
            "chart": chart,
            "state": state,
            "state_label": STATE_FILTERS[state],
            "state_filters": STATE_FILTERS,
            "sort": sort,
            "sort_label": AGENCY_SORTS[sort][0],
            "sorts": {key: label for key, (label, _) in AGENCY_SORTS.items()},
            "sort_links": _sort_links(state, sort),
            "today": today,
        },
    )


def inventory(request):
    entries = InventoryEntry.objects.select_related("agency", "technology", "vendor").order_by(
        "agency__name", "technology__name", "vendor__name", "pk"
    )
    current, retired = [], []
    for entry in entries:
        (retired if entry.status == InventoryEntry.Status.RETIRED else current).append(entry)
    by_agency = [
        (agency, list(agency_entries))
        for agency, agency_entries in groupby(current, key=lambda entry: entry.agency)
    ]
    return render(
        request, "accountability/inventory.html", {"by_agency": by_agency, "retired": retired}
    )


@refuses_bad_queries
def inventory_history_page(request):
    agencies = list(Agency.objects.filter(inventory__isnull=False).distinct().order_by("name"))
    agency_slug = one_of(request.GET, "agency", ["all", *(a.slug for a in agencies)], "all")
    order = one_of(request.GET, "order", HISTORY_ORDERS, "newest")
    entries = InventoryEntry.objects.all()
    if agency_slug != "all":
        entries = entries.filter(agency__slug=agency_slug)
    items = inventory_history(entries, newest_first=order == "newest")
    page = page_of(request.GET, items, HISTORY_PER_PAGE)
    return render(
        request,
        "accountability/inventory_history.html",
        {
            "page": page,
            "agencies": agencies,
            "agency_slug": agency_slug,
            "agency": next((a for a in agencies if a.slug == agency_slug), None),
            "order": order,
            "order_label": HISTORY_ORDERS[order],
            "orders": HISTORY_ORDERS,
        },
    )


@refuses_bad_queries
def spending(request):
    """Published contract value by award year, per technology and per vendor, one currency."""
    contracts = money.public_contracts()
    currencies = sorted({contract.currency for contract in contracts} | {"USD"})
    currency = one_of(request.GET, "currency", currencies, "USD")
    year_from = money.year_of(request.GET, "from")
    year_to = money.year_of(request.GET, "to")
    if year_from and year_to and year_from > year_to:
        raise BadQuery(
            gettext("“from” (%(from)s) must not be later than “to” (%(to)s).")
            % {"from": year_from, "to": year_to}
        )
    in_range = [
        contract
        for contract in contracts
        if (year_from is None or contract.year >= year_from)
        and (year_to is None or contract.year <= year_to)
    ]
    shown = [contract for contract in in_range if contract.currency == currency]
    data_years = [contract.year for contract in shown]
    first = year_from or min(data_years, default=None)
    last = year_to or max(data_years, default=None)
    years = list(range(first, last + 1)) if first and last and shown else []
    by_technology = money.breakdown(shown, years, "technology")
    by_vendor = money.breakdown(shown, years, "vendor")
    other_totals = {}
    for contract in in_range:
        if contract.currency != currency:
            other_totals[contract.currency] = (
                other_totals.get(contract.currency, 0) + contract.amount
            )
    agencies = list(Agency.objects.order_by("name"))
    obligations = obligations_for_agencies(agencies, timezone.localdate())
    filing_counts = dict(
        public_filings().values("agency").annotate(n=Count("pk")).values_list("agency", "n")
    )
    agency_rows = money.filings_rows(agencies, obligations, filing_counts)
    agency_chart = money.bar_chart(
        "filings-chart",
        gettext("Published filings and overdue obligations by agency"),
        gettext(
            "Two bars per agency: its published filings and its overdue obligations. In all "
            "%(filed)s published filings and %(overdue)s overdue obligations. The table "
            "“Filings and overdue obligations by agency” gives each agency's numbers."
        )
        % {
            "filed": sum(row[1] for row in agency_rows),
            "overdue": sum(row[2] for row in agency_rows),
        },
        [gettext("Published filings"), gettext("Overdue obligations")],
        [(agency.name, [filed, overdue]) for agency, filed, overdue in agency_rows],
        stacked=False,
    )
    return render(
        request,
        "accountability/spending.html",
        {
            "currency": currency,
            "currencies": currencies,
            "year_from": year_from,
            "year_to": year_to,
            "years": years,
            "by_technology": by_technology,
            "by_vendor": by_vendor,
            "technology_chart": money.spending_chart(
                "technology-chart", "technology", currency, by_technology
            ),
            "vendor_chart": money.spending_chart("vendor-chart", "vendor", currency, by_vendor),
            "other_totals": sorted(other_totals.items()),
            "agency_rows": agency_rows,
            "agency_chart": agency_chart,
            "top_n": money.TOP_N,
        },
    )
