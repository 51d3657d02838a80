"""The public browsing pages: agencies, technologies, vendors and published filings.

Everything about filings comes from content.filings.visibility, so nothing unpublished
shows. Each page runs a fixed number of queries whatever the amount of data; the
filings list keeps its filters, sort and page in the address.
"""

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.query import one_of, page_of
from accountability.views import refuses_bad_queries
from content.agencies.models import Agency
from content.compliance.disclosure import disclose
from content.compliance.obligations import State, obligations_for_agency
from content.filings.models import ContractDetails
from content.filings.visibility import public_filings
from content.inventory.models import InventoryEntry
from content.rulebook.rules import get_rulebook
from content.technologies.models import Category, Technology
from content.vendors.models import Vendor

FILINGS_PER_PAGE = 50
# Detail pages show the latest few filings and link to the filterable list for the rest.
RECENT_FILINGS = 20


class FilingSort(NamedTuple):
    """One order of the filings list: its label in the form, the caption of the table it
    gives (a whole phrase, so each language can word it) and the ordering."""

    label: str
    caption: str
    ordering: tuple[str, ...]


FILING_SORTS = {
    "newest": FilingSort(
        _("Newest published first"),
        _("Published filings, newest published first"),
        ("-published_at", "-pk"),
    ),
    "oldest": FilingSort(
        _("Oldest published first"),
        _("Published filings, oldest published first"),
        ("published_at", "pk"),
    ),
    "title": FilingSort(_("Title, A to Z"), _("Published filings, title, a to z"), ("title", "pk")),
}
DEADLINE_STATES = (State.OVERDUE, State.UPCOMING)


def public_contracts():
    """Contract details of published filings only."""
    return ContractDetails.objects.filter(filing__in=public_filings())


def totals_by_currency(contracts) -> list[tuple[str, Decimal]]:
    """The summed amounts of `contracts`, one total per currency: amounts in different
    currencies cannot be added together."""
    totals = defaultdict(Decimal)
    for contract in contracts:
        totals[contract.currency] += contract.amount
    return sorted(totals.items())


def contract_of(filing):
    """The filing's contract details, or None for a filing that is not a contract."""
    return getattr(filing, "contract", None)


def listed_filings(filings):
    """Published filings with what a list row shows, loaded in a fixed number of queries."""
    return filings.select_related("agency", "contract__vendor").prefetch_related("technologies")


def filing_rows(filings) -> list[tuple]:
    return [(filing, contract_of(filing)) for filing in filings]


def agency_list(request):
    agencies = Agency.objects.annotate(
        current_entries=Count(
            "inventory", filter=~Q(inventory__status=InventoryEntry.Status.RETIRED)
        )
    ).order_by("name")
    published_counts = dict(
        public_filings().values_list("agency").annotate(count=Count("pk")).order_by()
    )
    rows = [(agency, published_counts.get(agency.pk, 0)) for agency in agencies]
    return render(request, "browse/agency_list.html", {"rows": rows})


def agency_detail(request, slug):
    agency = get_object_or_404(Agency, slug=slug)
    entries = agency.inventory.select_related("technology", "vendor").order_by(
        "technology__name", "vendor__name", "pk"
    )
    filings = public_filings().filter(agency=agency)
    today = timezone.localdate()
    deadlines = [
        obligation
        for obligation in map(disclose, obligations_for_agency(agency, today))
        if obligation.state in DEADLINE_STATES
    ]
    return render(
        request,
        "browse/agency_detail.html",
        {
            "agency": agency,
            "entries": entries,
            "filing_count": filings.count(),
            "filing_rows": filing_rows(
                listed_filings(filings).order_by(*FILING_SORTS["newest"].ordering)[:RECENT_FILINGS]
            ),
            "deadlines": deadlines,
            "today": today,
        },
    )


@refuses_bad_queries
def technology_list(request):
    category = one_of(request.GET, "category", Category.values, "")
    technologies = Technology.objects.annotate(
        agency_count=Count("inventory__agency", distinct=True)
    ).order_by("name")
    if category:
        technologies = technologies.filter(category=category)
    return render(
        request,
        "browse/technology_list.html",
        {
            "technologies": technologies,
            "category": category,
            "category_label": Category(category).label if category else "",
            "categories": Category.choices,
        },
    )


def technology_detail(request, slug):
    technology = get_object_or_404(Technology, slug=slug)
    entries = technology.inventory.select_related("agency", "vendor").order_by(
        "agency__name", "vendor__name", "pk"
    )
    filings = public_filings().filter(technologies=technology)
    contracts = list(
        public_contracts()
        .filter(filing__technologies=technology)
        .select_related("vendor", "filing__agency")
        .order_by("-award_date", "-pk")
    )
    return render(
        request,
        "browse/technology_detail.html",
        {
            "technology": technology,
            "entries": entries,
            "contracts": contracts,
            "totals": totals_by_currency(contracts),
            "filing_count": filings.count(),
            "filing_rows": filing_rows(
                listed_filings(filings).order_by(*FILING_SORTS["newest"].ordering)[:RECENT_FILINGS]
            ),
        },
    )


def vendor_list(request):
    vendors = Vendor.objects.annotate(
        agency_count=Count("inventory__agency", distinct=True),
        technology_count=Count("inventory__technology", distinct=True),
    ).order_by("name")
    contract_counts = dict(
        public_contracts().values_list("vendor").annotate(count=Count("pk")).order_by()
    )
    rows = [(vendor, contract_counts.get(vendor.pk, 0)) for vendor in vendors]
    return render(request, "browse/vendor_list.html", {"rows": rows})


def vendor_detail(request, slug):
    vendor = get_object_or_404(Vendor, slug=slug)
    entries = list(
        vendor.inventory.select_related("agency", "technology").order_by(
            "agency__name", "technology__name", "pk"
        )
    )
    contracts = list(
        public_contracts()
        .filter(vendor=vendor)
        .select_related("filing__agency")
        .prefetch_related("filing__technologies")
        .order_by("-award_date", "-pk")
    )
    # An agency or technology counts whether the inventory or a published contract names it.
    agencies = {entry.agency for entry in entries} | {c.filing.agency for c in contracts}
    technologies = {entry.technology for entry in entries} | {
        technology for contract in contracts for technology in contract.filing.technologies.all()
    }
    return render(
        request,
        "browse/vendor_detail.html",
        {
            "vendor": vendor,
            "entries": entries,
            "contracts": contracts,
            "totals": totals_by_currency(contracts),
            "agencies": sorted(agencies, key=lambda agency: agency.name),
            "technologies": sorted(technologies, key=lambda technology: technology.name),
        },
    )


@refuses_bad_queries
def filing_list(request):
    agencies = list(Agency.objects.order_by("name"))
    technologies = list(Technology.objects.order_by("name"))
    vendors = list(Vendor.objects.order_by("name"))
    kinds = get_rulebook().choices()
    years = [
        str(moment.year)
        for moment in public_filings().datetimes("published_at", "year", order="DESC")
    ]
    chosen = {
        "agency": one_of(request.GET, "agency", [agency.slug for agency in agencies], ""),
        "kind": one_of(request.GET, "kind", [slug for slug, _ in kinds], ""),
        "technology": one_of(request.GET, "technology", [t.slug for t in technologies], ""),
        "vendor": one_of(request.GET, "vendor", [vendor.slug for vendor in vendors], ""),
        "year": one_of(request.GET, "year", years, ""),
    }
    sort = one_of(request.GET, "sort", FILING_SORTS, "newest")
    filings = public_filings()
    if chosen["agency"]:
        filings = filings.filter(agency__slug=chosen["agency"])
    if chosen["kind"]:
        filings = filings.filter(kind=chosen["kind"])
    if chosen["technology"]:
        filings = filings.filter(technologies__slug=chosen["technology"])
    if chosen["vendor"]:
        filings = filings.filter(contract__vendor__slug=chosen["vendor"])
    if chosen["year"]:
        filings = filings.filter(published_at__year=int(chosen["year"]))
    page = page_of(
        request.GET,
        listed_filings(filings).order_by(*FILING_SORTS[sort].ordering),
        FILINGS_PER_PAGE,
    )
    caption = FILING_SORTS[sort].caption
    if page.paginator.num_pages > 1:
        caption = gettext("%(caption)s: page %(number)s of %(count)s") % {
            "caption": caption,
            "number": page.number,
            "count": page.paginator.num_pages,
        }
    return render(
        request,
        "browse/filing_list.html",
        {
            "caption": caption,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "rows": filing_rows(page.object_list),
            "chosen": chosen,
            "filtered": any(chosen.values()),
            "agencies": agencies,
            "technologies": technologies,
            "vendors": vendors,
            "kinds": kinds,
            "years": years,
            "sort": sort,
            "sorts": {key: choice.label for key, choice in FILING_SORTS.items()},
        },
    )
