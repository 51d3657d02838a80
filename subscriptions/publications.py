"""Public publications for feeds and alerts: log entries that published or amended a filing
that is public now. Nothing else the log or the database holds is ever read from here."""

from content.filings.visibility import public_filings
from publication.models import PUBLIC_ACTIONS, PublicationLogEntry
from search.forms import SearchForm
from search.query import parse_query
from search.results import SearchRequest
from search.service import answer

# Search engines answer at most 100 filings a page; feeds and alerts look at the newest.
SEARCH_WINDOW = 100


def public_entries():
    return (
        PublicationLogEntry.objects.filter(action__in=PUBLIC_ACTIONS, filing__in=public_filings())
        .select_related("filing__agency")
        .order_by("-recorded_at", "-sequence")
    )


def search_form(params) -> SearchForm:
    """The search page's own form, so a feed or alert accepts exactly what search does."""
    return SearchForm(params)


def matching_entries(form: SearchForm):
    """Public entries of the newest filings the (valid) search form matches."""
    request = SearchRequest(
        query=parse_query(form.cleaned_data["q"] or ""),
        filters=form.filters(),
        sort="newest",
        per_page=SEARCH_WINDOW,
        pages_per_hit=0,
    )
    filing_ids = [hit.filing_id for hit in answer(request).results.hits]
    return public_entries().filter(filing_id__in=filing_ids)
