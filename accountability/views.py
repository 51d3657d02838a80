"""The public compliance and inventory pages: server-rendered, complete without JavaScript.

What they reveal about filings is decided in content.compliance.disclosure. Every
page runs a fixed number of queries whatever the number of agencies and entries.
"""

import datetime
import functools
from itertools import groupby
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

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
from content.inventory.history import inventory_history
from content.inventory.models import InventoryEntry

HISTORY_PER_PAGE = 100
OVERVIEW_SORTS = {"agency": "Agency name", "overdue": "Most overdue first"}
STATE_FILTERS = {"all": "All obligations"} | {
    state.value: PUBLIC_STATE_LABELS[state] for state in PUBLIC_STATES
}
HISTORY_ORDERS = {"newest": "Newest first", "oldest": "Oldest first"}
STATE_ORDER = {state: index for index, state in enumerate(PUBLIC_STATES)}


def _due(obligation) -> datetime.date:
    return obligation.effective_due_on or datetime.date.max


# Each sort: its label and its key; ties fall back to the due date.
AGENCY_SORTS = {
    "due": ("Due date, soonest first", lambda o: (_due(o), o.kind_label, o.technology_name)),
    "-due": ("Due date, latest first", lambda o: (-_due(o).toordinal(), o.kind_label)),
    "overdue": ("Most days overdue first", lambda o: (-o.days_overdue, _due(o))),
    "requirement": ("Requirement", lambda o: (o.kind_label, _due(o))),
    "technology": ("Technology", lambda o: (o.technology_name, _due(o))),
    "state": ("State", lambda o: (STATE_ORDER[o.state], _due(o))),
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
        "Obligations by agency and state",
        "One bar per agency, split into obligations filed on time, filed late, overdue and "
        f"not yet due. Across all agencies: {describe_totals(totals)}. The table "
        "“Obligations by agency” gives each agency's numbers.",
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
        f"{agency.name}: obligations by technology and state",
        "One bar per technology, split into obligations filed on time, filed late, overdue "
        f"and not yet due. In all: {describe_totals(counts)}. The table “Obligations by "
        "technology” gives each technology's numbers.",
        technology_rows,
    )
    return render(
        request,
        "accountability/agency_compliance.html",
        {
            "agency": agency,
            "obligations": shown,
            "counts": counts,
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
