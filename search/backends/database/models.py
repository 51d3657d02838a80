"""The public search index kept in the portal's own database.

Rows here are derived from IndexedFiling documents only, never edited by hand,
and hold nothing that is not public. Full-text indexing of SearchUnit.text is
engine-specific and lives outside the models (migrations 0002 and 0004): FTS5
tables of the units and of whole filings on SQLite, a generated tsvector column
on PostgreSQL.
"""

from django.db import models


class SearchFiling(models.Model):
    """One published filing in the index, with the columns search filters, facets and sorts on."""

    # The filing's own id, not a foreign key: the index may briefly hold a filing the
    # record has just deleted, and the reconciler removes it.
    filing_id = models.BigIntegerField(primary_key=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=64)
    kind_label = models.CharField(max_length=200)
    agency_slug = models.SlugField(max_length=100, db_index=False)
    agency_name = models.CharField(max_length=200)
    year = models.IntegerField(null=True)
    published_at = models.DateTimeField(null=True)
    # Shown as the hit's snippet when no searched word picks out a better passage.
    summary = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["agency_slug"], name="search_filing_agency"),
            models.Index(fields=["kind"], name="search_filing_kind"),
            models.Index(fields=["year"], name="search_filing_year"),
            models.Index(fields=["published_at", "filing_id"], name="search_filing_published"),
        ]

    def __str__(self):
        return f"{self.title} (filing {self.filing_id})"


class SearchFilingTechnology(models.Model):
    """A technology a filing covers, for the technology filter and facet."""

    # The unique constraint's index, filing first, serves lookups by filing.
    filing = models.ForeignKey(
        SearchFiling, on_delete=models.DB_CASCADE, related_name="technologies", db_index=False
    )
    slug = models.SlugField(max_length=100, db_index=False)
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["filing", "slug"], name="search_one_technology_row"),
        ]
        indexes = [models.Index(fields=["slug", "filing"], name="search_technology_slug")]

    def __str__(self):
        return self.name


class SearchFilingVendor(models.Model):
    """A vendor behind a filing's technology or contract, for the vendor filter and facet."""

    # The unique constraint's index, filing first, serves lookups by filing.
    filing = models.ForeignKey(
        SearchFiling, on_delete=models.DB_CASCADE, related_name="vendors", db_index=False
    )
    slug = models.SlugField(max_length=100, db_index=False)
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["filing", "slug"], name="search_one_vendor_row"),
        ]
        indexes = [models.Index(fields=["slug", "filing"], name="search_vendor_slug")]

    def __str__(self):
        return self.name


class SearchUnit(models.Model):
    """One stretch of searchable text: a filing's own text, or one page of one of its documents.

    The backend gives each unit the id filing_id << 24 | ordinal (0 for the filing's own
    text, then its pages in order), so that a unit's id tells its filing.
    """

    # The (filing, page_number) index serves lookups by filing.
    filing = models.ForeignKey(
        SearchFiling, on_delete=models.DB_CASCADE, related_name="units", db_index=False
    )
    # All three are empty for the filing's own text (title, summary and details).
    document_id = models.BigIntegerField(null=True)
    document_name = models.CharField(max_length=255, blank=True)
    page_number = models.PositiveIntegerField(null=True)
    text = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["filing", "page_number"], name="search_unit_filing_page")]

    def __str__(self):
        if self.page_number is None:
            return f"filing {self.filing_id}"
        return f"{self.document_name} p.{self.page_number}"
