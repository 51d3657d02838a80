"""The public read-only API. Filings and documents come only from content.filings.visibility."""

from django.db.models import Prefetch
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import decorator_from_middleware
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from content.agencies.models import Agency
from content.filings.visibility import public_documents, public_filings
from content.technologies.models import Technology
from content.vendors.models import Vendor
from public_api.filters import DocumentFilter, FilingFilter
from public_api.pagination import PublicPagination
from public_api.serializers import (
    AgencySerializer,
    DocumentPageSerializer,
    DocumentSerializer,
    FilingSerializer,
    SearchResultsSerializer,
    TechnologySerializer,
    VendorSerializer,
)
from search.forms import PER_PAGE, SearchForm
from search.query import parse_query
from search.results import SORTS, SearchRequest
from search.service import answer
from search.templatetags.search_links import page_link

# Sets an ETag from the response body and answers a matching If-None-Match with 304.
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


class PublicApiMixin:
    """Anonymous, read-only, throttled, with ETags; no sessions, so no CSRF."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    renderer_classes = (JSONRenderer,)
    throttle_classes = (AnonRateThrottle,)
    pagination_class = PublicPagination

    @classmethod
    def as_view(cls, *args, **kwargs):
        return conditional_get(super().as_view(*args, **kwargs))


# Django's slug validator: only these can be a stored slug, so only these are routed.
SLUG_PATTERN = "[-a-zA-Z0-9_]+"
by_slug = extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                pattern=f"^{SLUG_PATTERN}$",
                description="The stable public id, e.g. police.",
            )
        ]
    )
)


class SlugLookupMixin:
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN


@by_slug
class AgencyViewSet(PublicApiMixin, SlugLookupMixin, viewsets.ReadOnlyModelViewSet):
    """City departments that the ordinance requires to file."""

    queryset = Agency.objects.order_by("name")
    serializer_class = AgencySerializer


@by_slug
class TechnologyViewSet(PublicApiMixin, SlugLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Surveillance technologies as the ordinance names them."""

    queryset = Technology.objects.order_by("name")
    serializer_class = TechnologySerializer


@by_slug
class VendorViewSet(PublicApiMixin, SlugLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Companies that sell or operate surveillance technology."""

    queryset = Vendor.objects.order_by("name")
    serializer_class = VendorSerializer


class FilingViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """Published filings (use policies, reports, contracts), newest first, with their public
    documents."""

    serializer_class = FilingSerializer
    lookup_value_regex = "[0-9]+"
    filter_backends = (DjangoFilterBackend,)
    filterset_class = FilingFilter

    def get_queryset(self):
        return (
            public_filings()
            .select_related("agency")
            .prefetch_related(
                "technologies",
                Prefetch(
                    "documents",
                    queryset=public_documents().order_by("pk"),
                    to_attr="public_document_list",
                ),
            )
            .order_by("-published_at", "-pk")
        )


class DocumentViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """The public documents of published filings; a redacted copy stands in for its original."""

    serializer_class = DocumentSerializer
    lookup_value_regex = "[0-9]+"
    filter_backends = (DjangoFilterBackend,)
    filterset_class = DocumentFilter

    def get_queryset(self):
        return public_documents().order_by("pk")


class DocumentPageList(PublicApiMixin, generics.ListAPIView):
    """The extracted text of a public document, page by page."""

    serializer_class = DocumentPageSerializer

    def get_queryset(self):
        document = get_object_or_404(public_documents(), pk=self.kwargs["document_id"])
        return document.pages.order_by("number")


def _repeatable(name, description):
    return OpenApiParameter(name, str, many=True, explode=True, description=description)


class SearchView(PublicApiMixin, APIView):
    """Full-text search of published filings and their documents' pages, as /search.json."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description='Words, "phrases", and field:value filters.'),
            _repeatable("agency", "Agency slug."),
            _repeatable("technology", "Technology slug."),
            _repeatable("vendor", "Vendor slug."),
            _repeatable("kind", "Filing kind, e.g. use_policy."),
            _repeatable("year", "Year the filing covers, e.g. 2025."),
            OpenApiParameter("sort", str, enum=list(SORTS), description="Default: relevance."),
            OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1."),
        ],
        responses=SearchResultsSerializer,
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        query = parse_query(form.cleaned_data["q"] or "")
        page = form.cleaned_data["page"] or 1
        result = answer(
            SearchRequest(
                query=query,
                filters=form.filters(),
                sort=form.cleaned_data["sort"] or "relevance",
                page=page,
                per_page=PER_PAGE,
            )
        )
        results = result.results
        last_page = max(1, -(-results.total // results.per_page))
        return Response(
            {
                "query": form.cleaned_data["q"],
                "notes": list(query.notes),
                "degraded": result.degraded,
                "total": results.total,
                "page": results.page,
                "per_page": results.per_page,
                "next": self._page_url(page + 1) if page < last_page else None,
                "previous": self._page_url(page - 1) if page > 1 else None,
                "hits": [self._hit(hit) for hit in results.hits],
                "facets": {
                    name: [
                        {"value": value.value, "label": value.label, "count": value.count}
                        for value in values
                    ]
                    for name, values in results.facets.items()
                },
            }
        )

    def _page_url(self, page: int) -> str:
        params = self.request.query_params.copy()
        params["page"] = str(page)
        return self.request.build_absolute_uri(f"{self.request.path}?{params.urlencode()}")

    def _hit(self, hit) -> dict:
        absolute = self.request.build_absolute_uri
        return {
            "filing_id": hit.filing_id,
            "title": hit.title,
            "kind": hit.kind,
            "agency": hit.agency,
            "published_at": hit.published_at,
            "score": hit.score,
            "snippet_html": hit.snippet_html,
            "url": absolute(reverse("public_api:filing-detail", args=[hit.filing_id])),
            "public_url": absolute(reverse("publication:filing", args=[hit.filing_id])),
            "pages": [
                {
                    "document_id": page.document_id,
                    "document_name": page.document_name,
                    "page_number": page.page_number,
                    "snippet_html": page.snippet_html,
                    "reading_url": absolute(page_link(page.document_id, page.page_number)),
                }
                for page in hit.pages
            ],
        }
