"""Query-string filters for the filing and document lists; bad values are answered with a 400."""

import datetime

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, ExtractYear
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from content.agencies.models import Agency
from content.inventory.models import InventoryEntry
from content.rulebook.rules import get_rulebook
from content.technologies.models import Technology
from content.vendors.models import Vendor

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def filing_kind_choices():
    return get_rulebook().choices()


def with_filing_year(queryset):
    """The year a filing is about, as search facets it: its reporting period's end, else the
    (UTC) year it was published."""
    return queryset.annotate(
        filing_year=Coalesce(
            ExtractYear("reporting_period_end"), ExtractYear("published_at", tzinfo=datetime.UTC)
        )
    )


class WholeNumberFilter(filters.NumberFilter):
    """A whole number: the generic number filter would accept 2025.5."""

    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(filters.ModelMultipleChoiceFilter):
    """One or more slugs (?agency=a&agency=b); an unknown slug is a 400, not an empty list."""

    def __init__(self, model, **kwargs):
        super().__init__(
            queryset=model.objects.all(),
            to_field_name="slug",
            distinct=True,
            **kwargs,
        )


class StableOrderingFilter(filters.OrderingFilter):
    """The fields asked for, then the id, so pages never overlap; a blank value (?ordering=,)
    keeps the default order instead of leaving the list unordered."""

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or () if param]
        if not ordering:
            return qs
        return qs.order_by(*ordering, "-pk")


class FilingFilter(filters.FilterSet):
    agency = SlugChoiceFilter(
        Agency, field_name="agency__slug", help_text="Agency slug; repeatable."
    )
    technology = SlugChoiceFilter(
        Technology, field_name="technologies__slug", help_text="Technology slug; repeatable."
    )
    vendor = SlugChoiceFilter(
        Vendor,
        method="filter_vendor",
        help_text="Vendor slug, of the filing's contract or of the agency's inventory of "
        "the filing's technologies; repeatable.",
    )
    kind = filters.MultipleChoiceFilter(
        choices=filing_kind_choices, help_text="Filing kind; repeatable."
    )
    year = extend_schema_field(OpenApiTypes.INT)(
        WholeNumberFilter(
            method="filter_year",
            min_value=EARLIEST_YEAR,
            max_value=LATEST_YEAR,
            help_text="The year the filing covers (its reporting period's end), else the year "
            "it was published.",
        )
    )
    published_after = filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__gte",
        help_text="Published on or after this date (YYYY-MM-DD).",
    )
    published_before = filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        help_text="Published on or before this date (YYYY-MM-DD).",
    )
    ordering = StableOrderingFilter(
        fields=(("published_at", "published_at"), ("title", "title"), ("id", "id")),
        help_text="Sort field; prefix with - for descending. Default: newest first.",
    )

    class Meta:
        fields = ()

    def filter_vendor(self, queryset, name, vendors):
        if not vendors:
            return queryset
        # The same vendors search facets: the contract's, or the agency's inventory entries
        # for a technology the filing is about.
        through_inventory = InventoryEntry.objects.filter(
            agency=OuterRef("agency"), technology__filings=OuterRef("pk"), vendor__in=vendors
        )
        return queryset.filter(Q(contract__vendor__in=vendors) | Q(Exists(through_inventory)))

    def filter_year(self, queryset, name, year):
        if year is None:
            return queryset
        return with_filing_year(queryset).filter(filing_year=year)


class DocumentFilter(filters.FilterSet):
    filing = extend_schema_field(OpenApiTypes.INT)(
        WholeNumberFilter(field_name="filing_id", min_value=1, help_text="The filing's id.")
    )

    class Meta:
        fields = ()
