"""The public search page and its JSON twin: thin views over search.service."""

from dataclasses import replace

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from content.rulebook.rules import get_rulebook
from search.forms import PER_PAGE, SearchForm
from search.query import parse_query
from search.results import SearchRequest
from search.service import answer
from search.templatetags.search_links import page_link

# Facet names are query-string keys (and JSON keys); readers see these headings instead.
FACET_HEADINGS = {
    "agency": _("Agency"),
    "technology": _("Technology"),
    "vendor": _("Vendor"),
    "kind": _("Kind"),
    "year": _("Year"),
}


def _kind_labels() -> dict[str, str]:
    """The index keeps each kind's default-language label; the page shows the reader's."""
    return {kind.default_label: kind.label for kind in get_rulebook().kinds.values()}


def _run(params):
    form = SearchForm(params)
    if not form.is_valid():
        return form, None, None
    query = parse_query(form.cleaned_data["q"] or "")
    request = SearchRequest(
        query=query,
        filters=form.filters(),
        sort=form.cleaned_data["sort"] or "relevance",
        page=form.cleaned_data["page"] or 1,
        per_page=PER_PAGE,
    )
    return form, query, answer(request)


@require_GET
def search_page(request):
    form, query, result = _run(request.GET)
    context = {"form": form, "query": query, "answer": result}
    if result is not None:
        results = result.results
        last_page = max(1, -(-results.total // results.per_page))
        chosen = form.filters()
        kind_labels = _kind_labels()
        context.update(
            results=results,
            hits=[replace(hit, kind=kind_labels.get(hit.kind, hit.kind)) for hit in results.hits],
            facet_groups=[
                {
                    "name": name,
                    "heading": FACET_HEADINGS[name],
                    "values": [
                        {
                            "value": value.value,
                            "label": kind_labels.get(value.label, value.label)
                            if name == "kind"
                            else value.label,
                            "count": value.count,
                            "checked": value.value in chosen.get(name, ()),
                        }
                        for value in values
                    ],
                }
                for name, values in results.facets.items()
            ],
            last_page=last_page,
            previous_page=results.page - 1 if results.page > 1 else None,
            next_page=results.page + 1 if results.page < last_page else None,
        )
    status = 400 if form.errors else 200
    return render(request, "search/search.html", context, status=status)


@require_GET
def search_json(request):
    form, query, result = _run(request.GET)
    if result is None:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    results = result.results
    return JsonResponse(
        {
            "query": form.cleaned_data["q"],
            "notes": list(query.notes),
            "degraded": result.degraded,
            "total": results.total,
            "page": results.page,
            "per_page": results.per_page,
            "hits": [
                {
                    "filing_id": hit.filing_id,
                    "title": hit.title,
                    "url": reverse("publication:filing", args=[hit.filing_id]),
                    "kind": hit.kind,
                    "agency": hit.agency,
                    "published_at": hit.published_at.isoformat() if hit.published_at else None,
                    "score": hit.score,
                    "snippet_html": hit.snippet_html,
                    "pages": [
                        {
                            "document_id": page.document_id,
                            "document_name": page.document_name,
                            "page_number": page.page_number,
                            "snippet_html": page.snippet_html,
                            "url": page_link(page.document_id, page.page_number),
                        }
                        for page in hit.pages
                    ],
                }
                for hit in results.hits
            ],
            "facets": {
                name: [
                    {"value": value.value, "label": value.label, "count": value.count}
                    for value in values
                ]
                for name, values in results.facets.items()
            },
        }
    )
